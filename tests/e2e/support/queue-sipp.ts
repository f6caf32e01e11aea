import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { profilePorts, testSlot } from '../../../src/config/profiles.ts';
import { dtmfPcap } from './dtmf-pcap.ts';
import { trackChild } from './service.ts';
import { parseMessageLog, type SipMessage, type SippResult } from './sipp.ts';

/**
 * A hotline caller for the queue tests whose key presses have their own delays, and whose waits
 * between keys end on a BYE (sipp.ts's caller takes one gap for all keys and cannot take a BYE
 * while it waits to press the next key). Used to press a key only long after the menus, e.g. the
 * callback key while the caller waits in the queue. The scenario is tests/e2e/sipp/caller.xml with
 * its key presses replaced.
 */

const ROOT = resolve(import.meta.dirname, '../../..');
const CARRIER_IP = '127.0.0.2';
const PBX = `127.0.0.1:${profilePorts('test', testSlot()).sipPort}`;
const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '');

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

export interface QueueCaller {
  callerNumber: string;
  dir: string;
  done: Promise<SippResult>;
  messages(): SipMessage[];
  /** Whether the hotline hung up on this caller (a BYE arrived) so far. */
  byeReceived(): boolean;
  stop(): Promise<SippResult>;
}

const udpFree = (port: number) => new Promise<boolean>((done) => {
  const s = createSocket('udp4').once('error', () => done(false));
  s.bind(port, CARRIER_IP, () => s.close(() => done(true)));
});
const taken = new Set<number>();
/** Even UDP ports free on the carrier address, away from the ranges sipp.ts hands out (40000+). */
async function freePort(base: number, span: number): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const ports = Array.from({ length: span }, (_, k) => base + 2 * Math.floor(Math.random() * 2000) + k);
    if (ports.some((p) => taken.has(p)) || !(await Promise.all(ports.map(udpFree))).every(Boolean)) continue;
    ports.forEach((p) => taken.add(p));
    return ports[0]!;
  }
  throw new Error('queue caller: no free UDP port');
}

const running = new Set<ChildProcess>();
process.on('exit', () => running.forEach((p) => p.kill('SIGKILL')));

function scenario(o: QueueCallerOptions): string {
  const keys = (o.keys ?? []).map((k, i) => [
    `  <recv request="BYE" timeout="${Math.max(1, k.afterMs)}" ontimeout="key${i}" next="bye"/>`,
    `  <label id="key${i}"/>`,
    `  <nop><action><exec play_pcap_audio="${dtmfPcap(k.key, i)}"/></action></nop>`,
  ].join('\n')).join('\n');
  const template = readFileSync(join(ROOT, 'tests/e2e/sipp/caller.xml'), 'utf8');
  const finalWait = '<recv request="BYE" {{BYE_WAIT}}/>';
  // {{DTMF}} on a line of its own (the template's header comment names it too).
  const keysAt = /^\{\{DTMF\}\}$/m;
  if (!template.includes(finalWait) || !keysAt.test(template)) throw new Error('queue caller: tests/e2e/sipp/caller.xml changed shape');
  const wait = `<recv request="BYE" timeout="${Math.max(1, o.holdMs)}"${o.hangup === 'caller' ? ' ontimeout="hangup"' : ''} next="bye"/>\n  <label id="bye"/>`;
  return template.replace(finalWait, wait).replace(keysAt, () => keys).replace(/\{\{CALLER\}\}/g, o.callerNumber);
}

/** Starts one call from the carrier address; `done` settles when SIPp exits. */
export async function startQueueCaller(o: QueueCallerOptions): Promise<QueueCaller> {
  const dir = mkdtempSync(join(tmpdir(), 'sipp-queue-caller-'));
  const file = join(dir, 'caller.xml');
  writeFileSync(file, scenario(o));
  const f = (x: string) => join(dir, `caller.${x}`);
  const budgetS = Math.ceil(((o.keys ?? []).reduce((t, k) => t + k.afterMs, 0) + o.holdMs) / 1000) + 30;
  const argv = [PBX, '-sf', file, '-s', o.number ?? '12355', '-i', CARRIER_IP, '-p', String(await freePort(30000, 1)),
    '-mi', CARRIER_IP, '-mp', String(await freePort(35000, 4)), '-m', '1', '-aa', '-timeout', `${budgetS}s`, '-timeout_error',
    '-t', 'u1', '-nostdin', '-trace_msg', '-message_file', f('messages.log'), '-trace_stat', '-stf', f('stats.csv'),
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
  const byeReceived = () => messages().some((m) => m.direction === 'received' && m.firstLine.startsWith('BYE '));
  return { callerNumber: o.callerNumber, dir, done, messages, byeReceived, stop };
}
