import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { appendFileSync, createWriteStream, existsSync, mkdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { readSecrets } from '../../../src/adapters/asterisk/secrets.ts';
import { serviceEnvForProfile } from '../../../src/adapters/asterisk/pbx-profile.ts';
import { profileRedisUrl, testSlot } from '../../../src/config/profiles.ts';
import { RedisLiveCalls } from '../../../src/adapters/redis/redis-live-calls.ts';
import type { LiveCall } from '../../../src/ports/live-calls.ts';
import { fetchTrusting } from './tls-fetch.ts';

/** The hotline service (src/main.ts) as a child process with the test profile's environment. */

const ROOT = resolve(import.meta.dirname, '../../..');
const SLOT = testSlot(); // HOTLINE_TEST_SLOT: a run with its own PBX, ports, database and Redis keys
const E2E_REDIS_PREFIX = `hotline-e2e${SLOT ? `-s${SLOT}` : ''}`;
/** Matches the keys of every REDIS_PREFIX handed out here in this slot (and no other slot's). */
export const E2E_REDIS_PATTERN = `${E2E_REDIS_PREFIX}-[0-9]*`;
const MAX_LOG = 4_000_000;

/** Environment overrides; `undefined` removes a variable (e.g. to test a missing setting). */
export type EnvOverrides = Record<string, string | undefined>;

/**
 * login: Bearer token for a roster id (c1001, s2001, admin, ...), password from var/test/secrets.json.
 * api: GET (or init.method), the body parsed when JSON. stop: SIGTERM (SIGKILL after 10 s) -> exit code.
 * kill: SIGKILL, as a crash (calls stay in Stasis). liveCalls: what the service keeps in Redis under its
 * prefix. pause/resume: SIGSTOP/SIGCONT, so Asterisk runs ahead of it. waitForLog: the first log line
 * matching, at or after offset `since` (an earlier logs().length).
 */
export interface RunningService {
  url: string;
  env: Record<string, string>;
  pid: number;
  login(user: string, password?: string): Promise<string>;
  api<T = unknown>(path: string, token?: string, init?: RequestInit): Promise<{ status: number; body: T }>;
  stop(): Promise<number | null>;
  kill(): Promise<void>;
  liveCalls(): Promise<LiveCall[]>;
  pause(): void;
  resume(): void;
  logs(): string;
  waitForLog(pattern: RegExp, timeoutMs?: number, since?: number): Promise<string>;
}

let starts = 0;
const children = new Set<ChildProcess>();
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));

/** Pids of the services and SIPps tests start, so that the next run can end any a killed run left. */
const PID_FILE = join(ROOT, `var/test/e2e-children${SLOT ? `-${SLOT}` : ''}.pids`);
export function trackChild(child: ChildProcess): void {
  mkdirSync(dirname(PID_FILE), { recursive: true });
  if (child.pid) appendFileSync(PID_FILE, `${child.pid}\n`);
}
/** SIGKILLs the children of earlier runs still alive; a pid now used by anything else is left alone. */
export function killStaleChildren(): number[] {
  if (!existsSync(PID_FILE)) return [];
  const ours = (pid: number, cmd = existsSync(`/proc/${pid}`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8') : '') =>
    (cmd.includes('src/main.ts') && readlinkSync(`/proc/${pid}/cwd`) === ROOT) || (cmd.startsWith('sipp') && cmd.includes(join(tmpdir(), 'sipp-')));
  const stale = readFileSync(PID_FILE, 'utf8').split('\n').map(Number).filter((pid) => pid > 0 && ours(pid));
  stale.forEach((pid) => process.kill(pid, 'SIGKILL'));
  rmSync(PID_FILE, { force: true });
  return stale;
}

/** The test database of this slot (hotline_test, or hotline_test_<slot>). */
export function e2eDatabaseUrl(): string {
  const url = new URL(serviceEnvForProfile(ROOT, 'test').DATABASE_URL!);
  if (SLOT) url.pathname = `${url.pathname}_${SLOT}`;
  return url.toString();
}

export function serviceEnv(overrides: EnvOverrides = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    ...serviceEnvForProfile(ROOT, 'test'),
    DATABASE_URL: e2eDatabaseUrl(),
    REDIS_PREFIX: `${E2E_REDIS_PREFIX}-${process.pid}-${++starts}-${Date.now().toString(36)}`,
    LOG_LEVEL: 'debug',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

function spawnService(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  trackChild(child);
  const out = { all: '', stderr: '' };
  // A long run's whole log (past the MAX_LOG kept in memory), when the test names a file for it.
  const file = env.HOTLINE_TEST_LOG_FILE ? createWriteStream(env.HOTLINE_TEST_LOG_FILE, { flags: 'a' }) : undefined;
  const take = (stream: 'stdout' | 'stderr') => (d: Buffer) => {
    file?.write(d);
    if (out.all.length < MAX_LOG) out.all += d.toString();
    if (stream === 'stderr') out.stderr += d.toString();
  };
  child.stdout?.on('data', take('stdout'));
  child.stderr?.on('data', take('stderr'));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => {
    child.once('exit', (code, signal) => (children.delete(child), file?.end(), res({ code, signal })));
  });
  return { child, out, exited };
}

const tail = (text: string, n = 40) => text.trimEnd().split('\n').slice(-n).join('\n');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const portTaken = (port: number) => new Promise<boolean>((res) => {
  const s = connect(port, '127.0.0.1').once('error', () => res(false));
  s.once('connect', () => (s.destroy(), res(true)));
});

/** Starts the service and waits until /readyz answers 200 (ARI, Redis and the database up). */
export async function startService(opts: { env?: EnvOverrides; timeoutMs?: number } = {}): Promise<RunningService> {
  const env = serviceEnv(opts.env);
  // With a certificate the service speaks HTTPS: trust the CA that issued it (TEST_CA_FILE) or the certificate itself.
  const tls = Boolean(env.HTTP_TLS_CERT_FILE);
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${env.HTTP_PORT}`;
  const get: (url: string, init?: RequestInit) => Promise<Response> = tls ? fetchTrusting(env.TEST_CA_FILE ?? env.HTTP_TLS_CERT_FILE!) : fetch;
  if (await portTaken(Number(env.HTTP_PORT))) {
    throw new Error(`port ${env.HTTP_PORT} is taken: is a service from an earlier run still up? (ss -ltnp 'sport = :${env.HTTP_PORT}')`);
  }
  const { child, out, exited } = spawnService(env);
  let exit: { code: number | null; signal: string | null } | null = null;
  void exited.then((e) => (exit = e));
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let last = 'no answer';
  for (;;) {
    if (exit) throw new Error(`service exited (${JSON.stringify(exit)}) before it was ready:\n${tail(out.all)}`);
    try {
      const res = await get(`${url}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`service not ready in ${opts.timeoutMs ?? 30_000} ms (last /readyz: ${last}):\n${tail((await exited, out.all))}`);
    }
    await sleep(200);
  }

  const api = async <T>(path: string, token?: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
    const res = await get(`${url}${path}`, { ...init, headers, signal: init.signal ?? AbortSignal.timeout(10_000) });
    const text = await res.text();
    const json = (res.headers.get('content-type') ?? '').includes('json') && text;
    return { status: res.status, body: (json ? JSON.parse(text) : text) as T };
  };
  const stopWith = async (signal: NodeJS.Signals, graceMs: number) => {
    if (!exit) {
      child.kill('SIGCONT'); // a paused process would not act on SIGTERM
      child.kill(signal);
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited.finally(() => clearTimeout(t));
    }
    return (await exited).code;
  };
  return {
    url,
    env,
    pid: child.pid ?? 0,
    async login(user, password) {
      const pw = password ?? readSecrets(join(ROOT, 'var/test/secrets.json')).web[user];
      // bearer: API clients ask for the token; the pages get only the HttpOnly cookie.
      const res = await api<{ token?: string }>('/api/auth/login', undefined, { method: 'POST', body: JSON.stringify({ username: user, password: pw, bearer: true }) });
      if (res.status !== 200 || !res.body.token) throw new Error(`login as ${user}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.token;
    },
    api,
    stop: () => stopWith('SIGTERM', 10_000),
    kill: async () => void (await stopWith('SIGKILL', 0)),
    async liveCalls() {
      const redis = new Redis(env.REDIS_URL ?? profileRedisUrl(), { maxRetriesPerRequest: 1 });
      return new RedisLiveCalls(redis, env.REDIS_PREFIX!).list().finally(() => redis.disconnect());
    },
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    logs: () => out.all,
    async waitForLog(pattern, timeoutMs = 10_000, since = 0) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const line = out.all.slice(since).split('\n').find((l) => pattern.test(l));
        if (line) return line;
        if (Date.now() > until) throw new Error(`no log line matching ${pattern} within ${timeoutMs} ms:\n${tail(out.all)}`);
        await sleep(100);
      }
    },
  };
}

/** Runs the service expecting it to refuse to start: resolves with how it exited, or kills it after `timeoutMs`. */
export async function runServiceToExit(opts: { env?: EnvOverrides; timeoutMs?: number } = {}) {
  const started = Date.now();
  const { child, out, exited } = spawnService(serviceEnv(opts.env));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 10_000);
  const { code, signal } = await exited.finally(() => clearTimeout(timer));
  return { code, signal, ms: Date.now() - started, stderr: out.stderr, output: out.all };
}

/**
 * Removes the queue events a service on a clock set forward (HOTLINE_NOW) dated after the real now:
 * a test that moves the clock forward calls it when done, so that no later test's "today" counts them.
 */
export async function forgetFutureQueueEvents(db: { query(sql: string): Promise<unknown> }): Promise<void> {
  await db.query("DELETE FROM queue_events WHERE at > now() + interval '1 minute'");
}
