import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import { parse, stringify } from 'yaml';
import { readSecrets } from '../../../src/adapters/asterisk/secrets.ts';
import { profilePorts, testSlot } from '../../../src/config/profiles.ts';
import type { AriBridge, AriInspector } from './ari-inspector.ts';
import { dtmfPcap } from './dtmf-pcap.ts';
import { trackChild } from './service.ts';
import { parseMessageLog, saw, type SipMessage } from './sipp.ts';
import { sleep } from './wait.ts';

/**
 * SIPp peers the stock helpers in sipp.ts do not offer, for escalation and monitoring tests:
 *  - a counsellor phone that presses '*' on its own leg after answering (sipp/escalate-phone.xml);
 *  - a caller whose keys each have their own delay and which can echo the RTP it receives
 *    (-rtp_echo), so that Asterisk's receive counter on the caller's channel shows whether audio
 *    really reached the caller;
 * plus an independent ARI event tap, the hotline file with overrides, and bridge look-ups.
 */

const ROOT = resolve(import.meta.dirname, '../../..');
const CARRIER_IP = '127.0.0.2';
const PBX_IP = '127.0.0.1';
const PBX_PORT = profilePorts('test', testSlot()).sipPort;
const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '');
let cachedSecrets: ReturnType<typeof readSecrets> | undefined;
/**
 * var/test/secrets.json, read once. Every start of a test-profile service rewrites the file in place
 * (ensureSecrets), so a read racing another run's start can see it empty: such a read is retried.
 */
function secrets(): ReturnType<typeof readSecrets> {
  for (let i = 0; !cachedSecrets; i++) {
    try {
      cachedSecrets = readSecrets(join(ROOT, 'var/test/secrets.json'));
    } catch (err) {
      if (i >= 20) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
  return cachedSecrets;
}

const udpFree = (host: string, port: number) => new Promise<boolean>((done) => {
  const s = createSocket('udp4').once('error', () => done(false));
  s.bind(port, host, () => s.close(() => done(true)));
});
const taken = new Set<number>();
/** An even UDP port free on `host` with its `span - 1` successors; 30000-39999, clear of sipp.ts's ranges. */
async function freePort(host: string, span = 1): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const base = 30000 + 2 * Math.floor(Math.random() * 4990);
    const ports = Array.from({ length: span }, (_, k) => base + k);
    if (ports.some((x) => taken.has(x)) || !(await Promise.all(ports.map((x) => udpFree(host, x)))).every(Boolean)) continue;
    ports.forEach((x) => taken.add(x));
    return base;
  }
  throw new Error(`sipp: no free UDP port on ${host}`);
}

function render(dir: string, file: string, vars: Record<string, string | number>): string {
  const text = readFileSync(join(ROOT, 'tests/e2e/sipp', file), 'utf8').replace(/\{\{([A-Z_]+)\}\}/g, (_m, k: string) => {
    if (vars[k] === undefined) throw new Error(`sipp: ${file} needs {{${k}}}`);
    return String(vars[k]);
  });
  writeFileSync(join(dir, file), text);
  return join(dir, file);
}

export interface SippExit { exitCode: number | null; messages: SipMessage[]; log: string }
export interface SippProcess {
  dir: string;
  done: Promise<SippExit>;
  messages(): SipMessage[];
  /** INVITEs received so far. */
  invites(): SipMessage[];
  stop(): Promise<SippExit>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => running.forEach((p) => p.kill('SIGKILL')));

function runSipp(name: string, host: string, port: number, args: string[], dir: string): SippProcess {
  const f = (x: string) => join(dir, `${name}.${x}`);
  const argv = [...args, '-i', host, '-p', String(port), '-t', 'u1', '-nostdin', '-trace_msg', '-message_file', f('messages.log'),
    '-trace_err', '-error_file', f('errors.log')];
  const child = spawn('sipp', argv, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  trackChild(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const messages = () => parseMessageLog(read(f('messages.log')));
  const done = new Promise<SippExit>((res) => {
    const finish = (exitCode: number | null) => {
      running.delete(child);
      res({ exitCode, messages: messages(), log: `sipp ${argv.join(' ')}\n${stderr}\n${read(f('errors.log'))}` });
    };
    child.once('error', (e) => ((stderr += String(e)), finish(null)));
    child.once('exit', (code) => finish(code));
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return done;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 2000);
    return done.finally(() => clearTimeout(t));
  };
  const invites = () => messages().filter((m) => m.direction === 'received' && m.firstLine.startsWith('INVITE '));
  return { dir, done, messages, invites, stop };
}

/**
 * A SIP phone (counsellor 1001, ..., or supervisor 2001) registered from 127.0.0.1 that answers every
 * INVITE after `ringMs`, answers re-INVITEs like a real phone, and with `starAfterMs` sends '*' that
 * long after answering (each call its own capture, so Asterisk takes every press). With `tone` it
 * talks: a 440 Hz tone in G.711 µ-law from the answer on (Asterisk cannot end a snoop on a channel
 * that carries no audio at all, see asterisk/asterisk#978). It hangs up `talkMs` after answering
 * (after the key, when there is one) unless the PBX does first.
 * Resolves once registered; `stop()` also unregisters it.
 */
export async function sipPhone(o: { sipUser: string; talkMs: number; starAfterMs?: number; ringMs?: number; tone?: boolean }): Promise<SippProcess & { port: number }> {
  const dir = mkdtempSync(join(tmpdir(), `sipp-phone-${o.sipUser}-`));
  const password = secrets().sip[o.sipUser];
  if (!password) throw new Error(`sipp: no password for ${o.sipUser} in var/test/secrets.json`);
  const port = await freePort(PBX_IP);
  const pbx = `${PBX_IP}:${PBX_PORT}`;
  const reg = (expires: number, lifeMs: number) => render(dir, 'register.xml', { USER: o.sipUser, PASSWORD: password, EXPIRES: expires, LIFETIME_MS: lifeMs });
  const media = ['-mi', PBX_IP, '-mp', String(await freePort(PBX_IP, 4))];
  const scenario = render(dir, 'escalate-phone.xml', {
    RING_MS: o.ringMs ?? 0, STAR_AFTER_MS: Math.max(1, o.starAfterMs ?? 1), TALK_MS: Math.max(1, o.talkMs),
    STAR: o.starAfterMs === undefined ? '' : `<nop><action><exec play_pcap_audio="${dtmfPcap('*', 0)}"/></action></nop>`,
    AUDIO: o.tone ? `<nop><action><exec play_pcap_audio="${tonePcap(Math.ceil(o.talkMs / 1000) + 5)}"/></action></nop>` : '',
  });
  const run = runSipp('phone', PBX_IP, port, [pbx, '-sf', reg(300, 3_600_000), '-oocsf', scenario, '-m', '1', ...media], dir);
  const deadline = Date.now() + 10_000;
  while (!saw({ messages: run.messages() }, 'received', 200, 'REGISTER')) {
    if (Date.now() > deadline || run.messages().some((m) => /^SIP\/2\.0 [3-6]\d\d/.test(m.firstLine) && !m.firstLine.includes(' 401 '))) {
      throw new Error(`sipp: ${o.sipUser} did not register\n${(await run.stop()).log}`);
    }
    await sleep(50);
  }
  const stop = async () => {
    const r = await run.stop();
    await runSipp('unregister', PBX_IP, port, [pbx, '-sf', reg(0, 0), '-m', '1', '-timeout', '5s', ...media], dir).done;
    return r;
  };
  return { ...run, port, stop };
}

/** A counsellor phone that presses '*' on its own leg `starAfterMs` after answering (see sipPhone). */
export const escalatingPhone = (o: { sipUser: string; starAfterMs: number; talkMs: number; ringMs?: number }) => sipPhone(o);

function ipChecksum(buf: Buffer, sum = 0): number {
  for (let off = 0; off < buf.length; off += 2) sum += (buf[off]! << 8) | (off + 1 < buf.length ? buf[off + 1]! : 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** G.711 µ-law of a 16-bit sample. */
function ulaw(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0;
  let s = Math.min(Math.abs(sample), 32635) + 0x84;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  s = ~(sign | (exponent << 4) | mantissa) & 0xff;
  return s;
}

/**
 * A pcap of `seconds` of RTP (PCMU, 20 ms packets) carrying a 440 Hz tone at -10 dBFS, for SIPp's
 * play_pcap_audio. Written once per length into the system temp dir.
 */
export function tonePcap(seconds: number, dir = join(tmpdir(), 'hotline-e2e-media')): string {
  const file = join(dir, `tone_440_pcmu_${seconds}s.pcap`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const packets = seconds * 50;
  const rtpLen = 12 + 160;
  const udpLen = 8 + rtpLen;
  const ipLen = 20 + udpLen;
  const frame = 14 + ipLen;
  const out = Buffer.alloc(24 + packets * (16 + frame));
  out.writeUInt32LE(0xa1b2c3d4, 0);
  out.writeUInt16LE(2, 4);
  out.writeUInt16LE(4, 6);
  out.writeUInt32LE(65535, 16);
  out.writeUInt32LE(1, 20); // Ethernet
  const loopback = Buffer.from([127, 0, 0, 1]);
  for (let n = 0; n < packets; n++) {
    const rec = 24 + n * (16 + frame);
    out.writeUInt32LE(Math.floor((n * 20) / 1000), rec);
    out.writeUInt32LE(((n * 20) % 1000) * 1000, rec + 4);
    out.writeUInt32LE(frame, rec + 8);
    out.writeUInt32LE(frame, rec + 12);
    const eth = rec + 16;
    out.writeUInt16BE(0x0800, eth + 12);
    const ip = out.subarray(eth + 14, eth + 14 + ipLen);
    ip[0] = 0x45;
    ip.writeUInt16BE(ipLen, 2);
    ip.writeUInt16BE(n & 0xffff, 4);
    ip[8] = 64;
    ip[9] = 17;
    loopback.copy(ip, 12);
    loopback.copy(ip, 16);
    ip.writeUInt16BE(ipChecksum(ip.subarray(0, 20)), 10);
    const udp = ip.subarray(20);
    udp.writeUInt16BE(40000, 0);
    udp.writeUInt16BE(40002, 2);
    udp.writeUInt16BE(udpLen, 4);
    const rtp = udp.subarray(8);
    rtp[0] = 0x80;
    rtp[1] = n === 0 ? 0x80 : 0x00; // PCMU, marker on the first packet
    rtp.writeUInt16BE((2000 + n) & 0xffff, 2);
    rtp.writeUInt32BE((n * 160) >>> 0, 4);
    rtp.writeUInt32BE(0x12355110, 8);
    for (let i = 0; i < 160; i++) rtp[12 + i] = ulaw(Math.round(10362 * Math.sin((2 * Math.PI * 440 * (n * 160 + i)) / 8000)));
    let pseudo = 0;
    for (const off of [12, 14, 16, 18]) pseudo += ip.readUInt16BE(off);
    udp.writeUInt16BE(ipChecksum(udp, pseudo + 17 + udpLen) || 0xffff, 6);
  }
  writeFileSync(`${file}.${process.pid}`, out);
  renameSync(`${file}.${process.pid}`, file);
  return file;
}

export interface CallerOptions {
  callerNumber: string;
  number?: string;
  /** Keys sent once answered, each `afterMs` after the previous one (the first: after the answer). */
  keys?: Array<{ key: string; afterMs: number }>;
  /** Time on the line after the last key: 'caller' then hangs up; 'remote' waits that long at most for a BYE. */
  holdMs: number;
  hangup: 'caller' | 'remote';
  /** Echo every RTP packet received back to Asterisk (SIPp -rtp_echo). */
  rtpEcho?: boolean;
}

/** A caller from the carrier address (127.0.0.2) through tests/e2e/sipp/caller.xml. */
export async function startCaller(o: CallerOptions): Promise<SippProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'sipp-caller-'));
  const keys = o.keys ?? [];
  const dtmf = keys.map((k, i) => `  <pause milliseconds="${Math.max(1, k.afterMs)}"/>\n` +
    `  <nop><action><exec play_pcap_audio="${dtmfPcap(k.key, i)}"/></action></nop>`).join('\n');
  const scenario = render(dir, 'caller.xml', {
    CALLER: o.callerNumber, DTMF: dtmf,
    BYE_WAIT: `timeout="${Math.max(1, o.holdMs)}"` + (o.hangup === 'caller' ? ' ontimeout="hangup"' : ''),
  });
  const budgetS = Math.ceil((keys.reduce((n, k) => n + k.afterMs, 0) + o.holdMs) / 1000) + 30;
  return runSipp('caller', CARRIER_IP, await freePort(CARRIER_IP), [`${PBX_IP}:${PBX_PORT}`, '-sf', scenario, '-s', o.number ?? '12355',
    '-mi', CARRIER_IP, '-mp', String(await freePort(CARRIER_IP, 4)), ...(o.rtpEcho ? ['-rtp_echo'] : []),
    '-m', '1', '-aa', '-timeout', `${budgetS}s`, '-timeout_error'], dir);
}

/** Whether the peer received a BYE (the PBX hung up on it). */
export const gotBye = (p: { messages(): SipMessage[] }) => p.messages().some((m) => m.direction === 'received' && m.firstLine.startsWith('BYE '));

export interface AriEvent {
  type: string;
  timestamp?: string;
  channel?: { id: string; name: string; state: string };
  digit?: string;
  bridge?: { id: string; channels: string[] };
  [key: string]: unknown;
}

/**
 * Every ARI event of the test PBX, seen through an app of the test's own (subscribeAll), apart
 * from the service's app: e.g. which DTMF digits Asterisk took from which channel.
 */
export class AriEventTap {
  readonly events: AriEvent[] = [];
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      try {
        this.events.push(JSON.parse(data.toString()) as AriEvent);
      } catch {
        // not JSON: ignore
      }
    });
  }

  static async open(ari: AriInspector): Promise<AriEventTap> {
    const app = `e2e-tap-${process.pid}-${Date.now().toString(36)}`;
    const url = `${ari.url.replace(/^http/, 'ws')}/ari/events?app=${app}&subscribeAll=true&api_key=${encodeURIComponent(`hotline:${secrets().ariPassword}`)}`;
    const ws = new WebSocket(url);
    await new Promise<void>((res, rej) => {
      ws.once('open', () => res());
      ws.once('error', rej);
    });
    return new AriEventTap(ws);
  }

  dtmf(channelId: string): string[] {
    return this.events.filter((e) => e.type === 'ChannelDtmfReceived' && e.channel?.id === channelId).map((e) => e.digit ?? '');
  }

  async waitFor(what: string, pred: (e: AriEvent) => boolean, timeoutMs = 10_000): Promise<AriEvent> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.events.find(pred);
      if (hit) return hit;
      if (Date.now() > until) throw new Error(`no ARI event ${what} within ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  close(): void {
    this.ws.close();
  }
}

/** config/hotline.yaml with `patch(config)` applied, written to a temp file for HOTLINE_CONFIG. */
export function hotlineConfigWith(patch: (c: Record<string, Record<string, unknown>>) => void): string {
  const config = parse(readFileSync(join(ROOT, 'config/hotline.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;
  patch(config);
  const file = join(mkdtempSync(join(tmpdir(), 'hotline-config-')), 'hotline.yaml');
  writeFileSync(file, stringify(config));
  return file;
}

/** The (non-holding) bridge a channel is in now, if any. */
export async function bridgeWith(ari: AriInspector, channelId: string): Promise<AriBridge | undefined> {
  return (await ari.bridges()).find((b) => b.channels.includes(channelId));
}

/** A web password from var/test/secrets.json (c1001, s2001, ...). */
export const webPassword = (user: string): string => {
  const pw = secrets().web[user];
  if (!pw) throw new Error(`no web password for ${user} in var/test/secrets.json`);
  return pw;
};
