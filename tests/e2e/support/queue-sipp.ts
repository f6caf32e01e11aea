import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readSecrets } from '../../../src/adapters/asterisk/secrets.ts';
import { profilePorts, testSlot } from '../../../src/config/profiles.ts';
import { dtmfPcap } from './dtmf-pcap.ts';
import { trackChild } from './service.ts';
import { parseMessageLog, type SipMessage, type SippResult } from './sipp.ts';
import { sleep } from './wait.ts';

/**
 * SIPp peers for the queue tests, built from the scenarios in tests/e2e/sipp/ with two changes that
 * sipp.ts's peers do not have:
 * - a caller whose key presses have their own delays, and whose waits between keys end on a BYE
 *   (sipp.ts's caller takes one gap for all keys and cannot take a BYE while it waits to press the
 *   next one): used to press the callback key long after the menus;
 * - a counsellor phone whose BYE has a branch of its own in each call. answer.xml's BYE uses
 *   `branch=[branch]`, which in SIPp's out-of-call scenario is the same in every call (same pid and
 *   call number): a phone that hangs up twice within 32 s sends Asterisk a BYE it takes for a
 *   retransmission of the first one, answered with the first call's 200 OK, and the second call
 *   only ends once that transaction has expired (15-30 s later).
 */

const ROOT = resolve(import.meta.dirname, '../../..');
const CARRIER_IP = '127.0.0.2';
const PBX_IP = '127.0.0.1';
const PBX = `${PBX_IP}:${profilePorts('test', testSlot()).sipPort}`;
const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '');
const template = (file: string) => readFileSync(join(ROOT, 'tests/e2e/sipp', file), 'utf8');

const udpFree = (host: string, port: number) => new Promise<boolean>((done) => {
  const s = createSocket('udp4').once('error', () => done(false));
  s.bind(port, host, () => s.close(() => done(true)));
});
const taken = new Set<number>();
/** Even UDP ports free on `host`, in 30000-39999, away from the ranges sipp.ts hands out (40000+). */
async function freePort(host: string, base: number, span = 1): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const ports = Array.from({ length: span }, (_, k) => base + 2 * Math.floor(Math.random() * 2000) + k);
    if (ports.some((p) => taken.has(p)) || !(await Promise.all(ports.map((p) => udpFree(host, p)))).every(Boolean)) continue;
    ports.forEach((p) => taken.add(p));
    return ports[0]!;
  }
  throw new Error(`queue sipp: no free UDP port on ${host}`);
}

/** Fills {{NAME}} placeholders (a missing value is an error). */
function fill(text: string, vars: Record<string, string | number>): string {
  return text.replace(/\{\{([A-Z_]+)\}\}/g, (_m, k: string) => {
    if (vars[k] === undefined) throw new Error(`queue sipp: no value for {{${k}}}`);
    return String(vars[k]);
  });
}

export interface SippProcess {
  dir: string;
  done: Promise<SippResult>;
  messages(): SipMessage[];
  stop(): Promise<SippResult>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => running.forEach((p) => p.kill('SIGKILL')));

function runSipp(name: string, dir: string, args: string[]): SippProcess {
  const f = (x: string) => join(dir, `${name}.${x}`);
  const argv = [...args, '-t', 'u1', '-nostdin', '-trace_msg', '-message_file', f('messages.log'), '-trace_stat', '-stf', f('stats.csv'),
    '-trace_err', '-error_file', f('errors.log')];
  const child = spawn('sipp', argv, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  trackChild(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const messages = () => parseMessageLog(read(f('messages.log')));
  const done = new Promise<SippResult>((res) => {
    const finish = (exitCode: number | null) => {
      running.delete(child);
      const rows = read(f('stats.csv')).trim().split('\n').map((l) => l.split(';'));
      const stats = Object.fromEntries((rows[0] ?? []).map((h, i) => [h, rows.length > 1 ? (rows.at(-1)![i] ?? '') : '']).filter(([h]) => h));
      res({ exitCode, stats, messages: messages(), log: `sipp ${argv.join(' ')}\n${stderr}\n${read(f('errors.log'))}`, dir });
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
  return { dir, done, messages, stop };
}

export interface KeyPress {
  key: string;
  /** Wait before this key, from the previous key (or the answer); a BYE meanwhile ends the call. */
  afterMs: number;
}

export interface QueueCallerOptions {
  callerNumber: string;
  number?: string;
  keys?: KeyPress[];
  /** Time on the line after the last key: 'caller' then hangs up; 'remote' waits that long at most for a BYE. */
  holdMs: number;
  hangup: 'caller' | 'remote';
}

export interface QueueCaller extends SippProcess {
  callerNumber: string;
  /** Whether the hotline hung up on this caller (a BYE arrived) so far. */
  byeReceived(): boolean;
}

function callerScenario(o: QueueCallerOptions): string {
  const keys = (o.keys ?? []).map((k, i) => [
    `  <recv request="BYE" timeout="${Math.max(1, k.afterMs)}" ontimeout="key${i}" next="bye"/>`,
    `  <label id="key${i}"/>`,
    `  <nop><action><exec play_pcap_audio="${dtmfPcap(k.key, i)}"/></action></nop>`,
  ].join('\n')).join('\n');
  const text = template('caller.xml');
  const finalWait = '<recv request="BYE" {{BYE_WAIT}}/>';
  // {{DTMF}} on a line of its own (the template's header comment names it too).
  const keysAt = /^\{\{DTMF\}\}$/m;
  if (!text.includes(finalWait) || !keysAt.test(text)) throw new Error('queue caller: tests/e2e/sipp/caller.xml changed shape');
  const wait = `<recv request="BYE" timeout="${Math.max(1, o.holdMs)}"${o.hangup === 'caller' ? ' ontimeout="hangup"' : ''} next="bye"/>\n  <label id="bye"/>`;
  return text.replace(finalWait, wait).replace(keysAt, () => keys).replace(/\{\{CALLER\}\}/g, o.callerNumber);
}

/** Starts one call from the carrier address (127.0.0.2); `done` settles when SIPp exits. */
export async function startQueueCaller(o: QueueCallerOptions): Promise<QueueCaller> {
  const dir = mkdtempSync(join(tmpdir(), 'sipp-queue-caller-'));
  const file = join(dir, 'caller.xml');
  writeFileSync(file, callerScenario(o));
  const budgetS = Math.ceil(((o.keys ?? []).reduce((t, k) => t + k.afterMs, 0) + o.holdMs) / 1000) + 30;
  const run = runSipp('caller', dir, [PBX, '-sf', file, '-s', o.number ?? '12355', '-i', CARRIER_IP, '-p', String(await freePort(CARRIER_IP, 30000)),
    '-mi', CARRIER_IP, '-mp', String(await freePort(CARRIER_IP, 35000, 4)), '-m', '1', '-aa', '-timeout', `${budgetS}s`, '-timeout_error']);
  const byeReceived = () => run.messages().some((m) => m.direction === 'received' && m.firstLine.startsWith('BYE '));
  return { ...run, callerNumber: o.callerNumber, byeReceived };
}

export interface QueuePhone extends SippProcess {
  sipUser: string;
  port: number;
  /** INVITEs received so far (retransmissions included), with their headers. */
  invites(): SipMessage[];
}

const PHONE_SCENARIO = { answer: 'answer.xml', 'no-answer': 'ring.xml' } as const;

/**
 * A counsellor phone (sipUser 1001, ...) registered from 127.0.0.1 that answers (and hangs up after
 * `talkMs`) or lets every call ring out. Resolves once registered; `stop()` also unregisters it.
 */
export async function startQueuePhone(o: { sipUser: string; answer: boolean; talkMs?: number; ringMs?: number }): Promise<QueuePhone> {
  const dir = mkdtempSync(join(tmpdir(), `sipp-queue-phone-${o.sipUser}-`));
  const password = readSecrets(join(ROOT, 'var/test/secrets.json')).sip[o.sipUser];
  if (!password) throw new Error(`queue phone: no password for ${o.sipUser} in var/test/secrets.json`);
  const port = await freePort(PBX_IP, 30000);
  const media = ['-mi', PBX_IP, '-mp', String(await freePort(PBX_IP, 35000, 4))];
  const reg = (expires: number, lifeMs: number) => {
    const file = join(dir, `register-${expires}.xml`);
    writeFileSync(file, fill(template('register.xml'), { USER: o.sipUser, PASSWORD: password, EXPIRES: expires, LIFETIME_MS: lifeMs }));
    return file;
  };
  const name = PHONE_SCENARIO[o.answer ? 'answer' : 'no-answer'];
  // answer.xml gives each call's BYE a branch of its own (Asterisk's Call-IDs are UUIDs).
  const scenario = fill(template(name), { TALK_MS: o.talkMs ?? 2000, RING_MS: o.ringMs ?? 0 });
  const ooc = join(dir, name);
  writeFileSync(ooc, scenario);
  const run = runSipp('phone', dir, [PBX, '-sf', reg(300, 3_600_000), '-oocsf', ooc, '-i', PBX_IP, '-p', String(port), '-m', '1', ...media]);
  const registered = () => run.messages().some((m) => m.direction === 'received' && m.firstLine.startsWith('SIP/2.0 200 ') && (m.headers.cseq ?? '').endsWith(' REGISTER'));
  for (const until = Date.now() + 10_000; !registered(); await sleep(50)) {
    if (Date.now() > until) throw new Error(`queue phone: ${o.sipUser} did not register\n${(await run.stop()).log}`);
  }
  const stop = async () => {
    const r = await run.stop();
    // Unregister from the same port, so the PBX does not keep a dead contact to ring.
    await runSipp('unregister', dir, [PBX, '-sf', reg(0, 0), '-i', PBX_IP, '-p', String(port), '-m', '1', '-timeout', '5s', ...media]).done;
    return r;
  };
  const invites = () => run.messages().filter((m) => m.direction === 'received' && m.firstLine.startsWith('INVITE '));
  return { ...run, stop, sipUser: o.sipUser, port, invites };
}
