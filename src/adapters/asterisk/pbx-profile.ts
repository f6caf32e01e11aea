import { resolve } from 'node:path';
import { hostname } from 'node:os';
import { profilePorts, profileRedisUrl, testSlot } from '../../config/profiles.ts';
import { loadRoster } from '../../config/roster.ts';
import { loadCasesConfig } from '../../config/cases-config.ts';
import { loadCentresConfig } from '../../config/centres-config.ts';
import { ensureSecrets, type Secrets } from './secrets.ts';
import type { PbxParams } from './render-config.ts';
import type { SipGuardSettings } from './sip-guard-config.ts';
import { ensureDemoCertificate, spkiHash, type DemoCertificate } from './demo-certificate.ts';
import { readFileSync } from 'node:fs';

export const DEFAULT_ASTERISK_PREFIX = '/opt/hotline12355/asterisk';

/** The host name tests open the pages under (mapped to 127.0.0.1 in the browser): not localhost, so nothing is exempt. */
export const TEST_TLS_HOST = 'hotline.test';

/** The cluster's SIP edge (Kamailio) on this machine, and the name tests reach its TLS ports by. */
export const EDGE_ADDRESS = '127.0.1.10';
export const TEST_EDGE_HOST = 'sip.hotline.test';

/** The name browsers use for the demo (HOTLINE_PUBLIC_HOST, e.g. a LAN name), else localhost. */
export function publicHost(env: Record<string, string | undefined> = process.env): string {
  return env.HOTLINE_PUBLIC_HOST ?? 'localhost';
}

/**
 * The certificate of a profile: the operator's (PBX_TLS_CERT_FILE / PBX_TLS_KEY_FILE), else one
 * the profile generates under var/<profile>/tls for localhost, hotline.test, the public host and the
 * cluster's edge (its address, sip.hotline.test and EDGE_BIND), whose TLS and WSS serve it too.
 */
function profileCertificate(projectDir: string, profile: 'demo' | 'test', env: Record<string, string | undefined>): DemoCertificate {
  if (env.PBX_TLS_CERT_FILE && env.PBX_TLS_KEY_FILE) {
    const certFile = resolve(env.PBX_TLS_CERT_FILE);
    return { caFile: certFile, certFile, keyFile: resolve(env.PBX_TLS_KEY_FILE), spki: spkiHash(readFileSync(certFile)) };
  }
  const extra = profile === 'demo' ? [publicHost(env), hostname(), ...(env.EDGE_BIND ? [env.EDGE_BIND] : [])] : [];
  const names = [...new Set(['localhost', TEST_TLS_HOST, '127.0.0.1', '::1', TEST_EDGE_HOST, EDGE_ADDRESS, ...extra])];
  return ensureDemoCertificate(resolve(projectDir, `var/${profile}/tls`), names);
}

/**
 * The SIP guard of a profile (sip-guard-config.ts): on unless SIP_GUARD=off. Five failures in a
 * minute ban an address for ten minutes (SIP_GUARD_BAN_SECONDS); SIP_GUARD_NEVER_BLOCK lists
 * extra addresses or networks to spare, such as an office whose phones share one address.
 */
function sipGuardFor(profile: 'demo' | 'test', slot: number, env: Record<string, string | undefined>): SipGuardSettings | undefined {
  if (env.SIP_GUARD === 'off') return undefined;
  return {
    maxFailures: Number(env.SIP_GUARD_MAX_FAILURES ?? 5),
    windowSeconds: Number(env.SIP_GUARD_WINDOW_SECONDS ?? 60),
    banSeconds: Number(env.SIP_GUARD_BAN_SECONDS ?? 600),
    neverBlock: (env.SIP_GUARD_NEVER_BLOCK ?? '').split(/[\s,]+/).filter(Boolean),
    name: `${profile}-${slot}`,
  };
}

/** PBX parameters of the demo or test profile, with generated secrets kept under var/<profile>. */
export function pbxForProfile(
  projectDir: string,
  profile: 'demo' | 'test',
  env: Record<string, string | undefined> = process.env,
): { params: PbxParams; secrets: Secrets; secretsFile: string; rosterFile: string; certificate: DemoCertificate } {
  const slot = profile === 'test' ? testSlot(env) : 0;
  const ports = profilePorts(profile, slot);
  const rosterFile = resolve(projectDir, env.HOTLINE_ROSTER ?? 'config/roster.demo.yaml');
  const roster = loadRoster(rosterFile);
  const secretsFile = resolve(projectDir, `var/${profile}/secrets.json`);
  // Centre staff (config/centres.yaml) sign in too: the profile generates their passwords.
  const cases = loadCasesConfig(resolve(projectDir, env.HOTLINE_CASES_CONFIG ?? 'config/cases.yaml'));
  const centreStaff = loadCentresConfig(resolve(projectDir, env.HOTLINE_CENTRES_CONFIG ?? 'config/centres.yaml'), cases).centres.flatMap((c) => c.staff);
  const secrets = ensureSecrets(secretsFile, roster, centreStaff);
  const certificate = profileCertificate(projectDir, profile, env);
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
    carrierAddress: env.CARRIER_ADDRESS ?? ports.carrierAddress,
    ...(env.SIP_PUBLIC_ADDRESS ? { publicAddress: env.SIP_PUBLIC_ADDRESS } : {}),
    emergencyUri: env.EMERGENCY_URI ?? ports.emergencyUri,
    emergencyFallbackUri: env.EMERGENCY_FALLBACK_URI ?? ports.emergencyFallbackUri,
    carrierOutUri: env.CARRIER_OUT_URI ?? ports.carrierOutUri,
    rtpStart: ports.rtpStart,
    rtpEnd: ports.rtpEnd,
    amiPort: ports.amiPort,
    sipPasswords: secrets.sip,
    roster,
    tls: {
      certFile: certificate.certFile, keyFile: certificate.keyFile, httpsPort: ports.ariHttpsPort, sipTlsPort: ports.sipTlsPort,
      srtp: env.SIP_SRTP === 'required' ? 'required' : 'optional',
    },
    sipGuard: sipGuardFor(profile, slot, env),
  };
  return { params, secrets, secretsFile, rosterFile, certificate };
}

/** The service's environment for a profile: what scripts/stack.sh and the e2e tests pass to it. */
export function serviceEnvForProfile(projectDir: string, profile: 'demo' | 'test'): Record<string, string> {
  const { params, secretsFile, rosterFile, certificate } = pbxForProfile(projectDir, profile);
  const ports = profilePorts(profile, profile === 'test' ? testSlot() : 0);
  // The demo serves HTTPS (a counsellor on another computer needs it for the microphone) and its
  // softphones use WSS; the test profile stays plain, and the TLS tests set these themselves.
  const tls: Record<string, string> = profile === 'demo'
    ? { HTTP_TLS_CERT_FILE: certificate.certFile, HTTP_TLS_KEY_FILE: certificate.keyFile, SIP_WS_URL: `wss://${publicHost()}:${ports.ariHttpsPort}/ws` }
    : {};
  return {
    ...tls,
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
