import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSecrets } from '../../../src/adapters/asterisk/secrets.ts';
import { freePort, PBX_IP } from '../../support/sipp-process.ts';
import { sleep } from './wait.ts';

/**
 * A desk phone speaking SIP over TLS, with SRTP (SDES) if asked: Debian's baresip, registered as
 * `sipUser` at `host` (the single PBX by default, or the cluster's edge), answering every call
 * itself and sending a tone. SIPp has no TLS in this build.
 */

const ROOT = join(import.meta.dirname, '../../..');

export interface TlsPhone {
  /** Everything baresip printed so far (with -s: the SIP messages too). */
  log(): string;
  stop(): Promise<void>;
}

export async function tlsPhone(o: { sipUser: string; tlsPort: number; caFile: string; srtp?: 'srtp-mand' | 'srtp'; host?: string }): Promise<TlsPhone> {
  const host = o.host ?? PBX_IP;
  const password = readSecrets(join(ROOT, 'var/test/secrets.json')).sip[o.sipUser];
  if (!password) throw new Error(`baresip: no password for ${o.sipUser}`);
  const dir = mkdtempSync(join(tmpdir(), `baresip-${o.sipUser}-`));
  const port = await freePort(PBX_IP, 47000, 2, 1000);
  const rtp = await freePort(PBX_IP, 49000, 4, 400);
  writeFileSync(join(dir, 'config'), [
    'poll_method epoll', `sip_listen ${PBX_IP}:${port}`, `sip_cafile ${o.caFile}`,
    // No sound card: a 440 Hz tone out (ausine makes 48 kHz stereo only), what comes in goes nowhere.
    'audio_player aubridge,phone', 'audio_source ausine,440', 'audio_alert aubridge,alert', 'ausrc_srate 48000', 'ausrc_channels 2',
    `rtp_ports ${rtp}-${rtp + 3}`, 'module_path /usr/lib/baresip/modules',
    'module g711.so', 'module ausine.so', 'module aubridge.so', 'module srtp.so', 'module menu.so', 'module account.so',
    '',
  ].join('\n'));
  const server = `sip:${host}:${o.tlsPort};transport=tls`;
  const mediaenc = o.srtp ? `;mediaenc=${o.srtp}` : '';
  writeFileSync(join(dir, 'accounts'),
    `<sip:${o.sipUser}@${host}>;auth_pass=${password};outbound="${server}";regint=300;answermode=auto${mediaenc};audio_codecs=PCMU,PCMA\n`);
  const child = spawn('baresip', ['-f', dir, '-s'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
  process.once('exit', () => child.kill('SIGKILL'));
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode === null) {
      child.stdin.write('q');
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited.finally(() => clearTimeout(t));
    }
  };
  const deadline = Date.now() + 10_000;
  // baresip prints e.g. "1001@127.0.0.1: {0/TLS/v4} 200 OK (Asterisk) [1 binding]".
  while (!/\{\d+\/TLS\/v4\} 200 OK/.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`baresip: ${o.sipUser} did not register over TLS:\n${out.slice(-3000)}`);
    }
    await sleep(100);
  }
  return { log: () => out, stop };
}
