import { resolve } from 'node:path';
import { profilePorts, profileRedisUrl, testSlot } from '../../config/profiles.ts';
import { loadRoster } from '../../config/roster.ts';
import { ensureSecrets, type Secrets } from './secrets.ts';
import type { PbxParams } from './render-config.ts';

export const DEFAULT_ASTERISK_PREFIX = '/opt/hotline12355/asterisk';

/** PBX parameters of the demo or test profile, with generated secrets kept under var/<profile>. */
export function pbxForProfile(
  projectDir: string,
  profile: 'demo' | 'test',
  env: Record<string, string | undefined> = process.env,
): { params: PbxParams; secrets: Secrets; secretsFile: string; rosterFile: string } {
  const slot = profile === 'test' ? testSlot(env) : 0;
  const ports = profilePorts(profile, slot);
  const rosterFile = resolve(projectDir, env.HOTLINE_ROSTER ?? 'config/roster.demo.yaml');
  const roster = loadRoster(rosterFile);
  const secretsFile = resolve(projectDir, `var/${profile}/secrets.json`);
  const secrets = ensureSecrets(secretsFile, roster);
  const params: PbxParams = {
    runDir: resolve(projectDir, `var/${profile}/asterisk${slot ? `-${slot}` : ''}`),
    asteriskPrefix: env.HOTLINE_ASTERISK_PREFIX ?? DEFAULT_ASTERISK_PREFIX,
    soundsDir: resolve(projectDir, env.HOTLINE_SOUNDS_DIR ?? 'var/sounds'),
    ariApp: 'hotline',
    ariUser: 'hotline',
    ariPassword: secrets.ariPassword,
    httpBind: '127.0.0.1',
    httpPort: ports.ariHttpPort,
    // Loopback by default: nothing listens beyond it unless the operator says so.
    sipBind: env.SIP_BIND ?? '127.0.0.1',
    sipPort: ports.sipPort,
    carrierAddress: ports.carrierAddress,
    emergencyUri: env.EMERGENCY_URI ?? ports.emergencyUri,
    emergencyFallbackUri: env.EMERGENCY_FALLBACK_URI ?? ports.emergencyFallbackUri,
    carrierOutUri: env.CARRIER_OUT_URI ?? ports.carrierOutUri,
    rtpStart: ports.rtpStart,
    rtpEnd: ports.rtpEnd,
    amiPort: ports.amiPort,
    sipPasswords: secrets.sip,
    roster,
  };
  return { params, secrets, secretsFile, rosterFile };
}

/** The service's environment for a profile: what scripts/stack.sh and the e2e tests pass to it. */
export function serviceEnvForProfile(projectDir: string, profile: 'demo' | 'test'): Record<string, string> {
  const { params, secretsFile, rosterFile } = pbxForProfile(projectDir, profile);
  const ports = profilePorts(profile, profile === 'test' ? testSlot() : 0);
  return {
    HOTLINE_PROFILE: profile,
    HOTLINE_ROSTER: rosterFile,
    HOTLINE_SECRETS_FILE: secretsFile,
    HOTLINE_SOUNDS_DIR: params.soundsDir,
    HOTLINE_RECORDINGS_DIR: resolve(params.runDir, 'spool/recording'),
    ARI_URL: `http://127.0.0.1:${params.httpPort}`,
    ARI_USER: params.ariUser,
    ARI_PASSWORD: params.ariPassword,
    ARI_APP: params.ariApp,
    REDIS_URL: profileRedisUrl(),
    REDIS_PREFIX: ports.redisPrefix,
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${ports.database}`,
    HTTP_PORT: String(ports.servicePort),
  };
}
