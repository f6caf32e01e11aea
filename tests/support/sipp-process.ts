import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * SIPp as a child process, and the UDP ports it binds: shared by the e2e peers and bench/. It
 * writes no pid file (the e2e clean-up would end the benchmark's SIPps): tests/e2e/support/sipp.ts
 * records its own.
 */

export const PBX_IP = '127.0.0.1';
/** The carrier trunk's address: the test profile identifies the carrier by it. */
export const CARRIER_IP = '127.0.0.2';

/** A file's text, '' while it does not exist (SIPp creates its logs as it goes). */
const readIfExists = (path: string): string => (existsSync(path) ? readFileSync(path, 'utf8') : '');

export const udpFree = (host: string, port: number): Promise<boolean> => new Promise((done) => {
  const s = createSocket('udp4').once('error', () => done(false));
  s.bind(port, host, () => s.close(() => done(true)));
});

const handedOut = new Set<number>();
/**
 * An even UDP port in [base, base + 2 * choices) free on `host`, with its `span - 1` successors
 * (RTP, RTCP, video), never handed out twice in this process.
 */
export async function freePort(host: string, base: number, span = 1, choices = 2500): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const first = base + 2 * Math.floor(Math.random() * choices);
    const ports = Array.from({ length: span }, (_, k) => first + k);
    if (ports.some((p) => handedOut.has(p)) || !(await Promise.all(ports.map((p) => udpFree(host, p)))).every(Boolean)) continue;
    ports.forEach((p) => handedOut.add(p));
    return ports[0]!;
  }
  throw new Error(`sipp: no free UDP port on ${host}`);
}

/** The last row of a -trace_stat CSV, by column name. */
export function parseStatCsv(text: string): Record<string, string> {
  const rows = text.trim().split('\n').map((l) => l.split(';'));
  const last = rows.length > 1 ? rows.at(-1)! : [];
  return Object.fromEntries((rows[0] ?? []).map((h, i) => [h, last[i] ?? '']).filter(([h]) => h));
}

export interface SippOptions {
  /** Names the trace files in `dir`: <name>.messages.log, <name>.stats.csv, <name>.errors.log. */
  name: string;
  dir: string;
  /** SIPp's own address (-i, -p). */
  host: string;
  port: number;
  /** Remote address, scenario and the rest; the transport and trace options are added. */
  args: string[];
  /** How long `stop()` waits after SIGTERM before SIGKILL. */
  killAfterMs: number;
}

export interface SippProcess {
  child: ChildProcess;
  /** The command line, for failure messages. */
  argv: string[];
  /** Resolves with SIPp's exit code once it has ended (null: killed, or it did not start). */
  exited: Promise<number | null>;
  /** The text of one of its trace files so far. */
  read(file: 'messages.log' | 'stats.csv' | 'errors.log'): string;
  /** SIGTERM (SIGKILL after `killAfterMs`); resolves once it has ended. */
  stop(): Promise<number | null>;
  /** Command line, stderr and the error log (its last `errorTail` characters), for failure messages. */
  log(errorTail?: number): string;
}

const running = new Set<ChildProcess>();
process.on('exit', () => running.forEach((c) => c.kill('SIGKILL')));

/** Starts SIPp over UDP with its messages, statistics and errors traced into files in `o.dir`. */
export function spawnSipp(o: SippOptions): SippProcess {
  const file = (x: string) => join(o.dir, `${o.name}.${x}`);
  const argv = [...o.args, '-i', o.host, '-p', String(o.port), '-t', 'u1', '-nostdin', '-trace_msg', '-message_file', file('messages.log'),
    '-trace_stat', '-stf', file('stats.csv'), '-trace_err', '-error_file', file('errors.log')];
  const child = spawn('sipp', argv, { cwd: o.dir, stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((res) => {
    child.once('error', (e) => ((stderr += String(e)), running.delete(child), res(null)));
    child.once('exit', (code) => (running.delete(child), res(code)));
  });
  const read = (x: string) => readIfExists(file(x));
  return {
    child,
    argv,
    exited,
    read,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), o.killAfterMs);
      return exited.finally(() => clearTimeout(t));
    },
    log: (errorTail) => `sipp ${argv.join(' ')}\n${stderr}\n${errorTail ? read('errors.log').slice(-errorTail) : read('errors.log')}`,
  };
}
