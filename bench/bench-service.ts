/**
 * The hotline service (src/main.ts) as the benchmark's child process: the test slot's environment,
 * its own Redis prefix and database, a fixture hotline config, and its stdout kept in a file for
 * the timing breakdown. Also samples a process's RSS and CPU from /proc (what `ps` reads).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse, stringify } from 'yaml';
import { serviceEnvForProfile } from '../src/adapters/asterisk/pbx-profile.ts';
import { profileRedisUrl } from '../src/config/profiles.ts';
import { dropRedisPrefix } from '../tests/support/redis-keys.ts';
import { BENCH_LINE_NUMBER, ROOT } from './bench-pbx.ts';

export const BENCH_DIR = join(ROOT, 'var/bench');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * config/hotline.yaml with the benchmark's changes: no wrap-up (the counsellor is free the moment
 * the call ends, as in the app_queue baseline) and a line `bench` (12356) routed straight to the
 * general queue, so callers need no key presses.
 */
export function writeFixtureConfig(): string {
  const raw = parse(readFileSync(join(ROOT, 'config/hotline.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;
  raw.queue = { ...raw.queue, wrapUpMs: 0 };
  raw.lines = { ...raw.lines, bench: { number: BENCH_LINE_NUMBER, route: 'general' } };
  mkdirSync(BENCH_DIR, { recursive: true });
  const file = join(BENCH_DIR, 'hotline.bench.yaml');
  writeFileSync(file, `# Written by bench/bench-service.ts from config/hotline.yaml: wrapUpMs 0, line bench (${BENCH_LINE_NUMBER}) → general.\n${stringify(raw)}`);
  return file;
}

/** The fields of the service's log lines the benchmarks read. */
export interface ServiceLog { time: number; msg: string; callId?: string; event?: string; counsellorId?: string; level: number; outcome?: string }
export const serviceLog = (svc: BenchService): ServiceLog[] => svc.logLines() as unknown as ServiceLog[];

const starts: Record<string, number> = {};

export interface BenchService {
  pid: number;
  url: string;
  logFile: string;
  /** The service's log lines (pino JSON) so far. */
  logLines(): Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

/**
 * Starts the service and waits for /readyz; `label` names its log file under var/bench. `profileEnv`
 * is the profile's service environment: the slot's single PBX unless given (the cluster's differs).
 */
export async function startBenchService(label: string, configFile: string, profileEnv: Record<string, string> = serviceEnvForProfile(ROOT, 'test')): Promise<BenchService> {
  const prefix = `hotline-bench-${process.env.HOTLINE_TEST_SLOT ?? '0'}-${Date.now().toString(36)}`;
  const env: Record<string, string | undefined> = {
    ...process.env,
    ...profileEnv,
    HOTLINE_CONFIG: configFile,
    REDIS_PREFIX: prefix,
    // BENCH_DATABASE_URL: another checkout's service (BENCH_SERVICE_DIR) may need a schema of its own.
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hotline_bench',
    LOG_LEVEL: process.env.BENCH_SERVICE_LOG_LEVEL ?? 'info',
  };
  // One log per start in this process (service-handoff-1.log, ...): rounds do not overwrite each other.
  const logFile = join(BENCH_DIR, `service-${label}-${(starts[label] = (starts[label] ?? 0) + 1)}.log`);
  const out = createWriteStream(logFile);
  await new Promise((r) => out.once('open', r));
  // With BENCH_TRACE_FILE set, the preload logs ARI requests and events (diagnostics only).
  const trace = process.env.BENCH_TRACE_FILE ? ['--import', pathToFileURL(join(ROOT, 'bench/bench-trace-preload.ts')).href] : [];
  // With BENCH_CPU_PROFILE_DIR set, V8's profiler runs from ready to stop (bench/cpu-profile-preload.ts).
  const profileDir = process.env.BENCH_CPU_PROFILE_DIR;
  if (profileDir) {
    mkdirSync(profileDir, { recursive: true });
    trace.push('--import', pathToFileURL(join(ROOT, 'bench/cpu-profile-preload.ts')).href);
  }
  // BENCH_SERVICE_DIR runs the service from another checkout (e.g. to measure a patch); default: this one.
  const cwd = process.env.BENCH_SERVICE_DIR ?? ROOT;
  const child = spawn(process.execPath, ['--import', 'tsx', ...trace, 'src/main.ts'], { cwd, env, stdio: ['ignore', out, out] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${env.HTTP_PORT}`;
  const until = Date.now() + 60_000;
  for (;;) {
    if (gone) throw new Error(`service exited before it was ready; see ${logFile}`);
    const ok = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`service not ready within 60 s; see ${logFile}`);
    }
    await sleep(200);
  }
  if (profileDir) child.kill('SIGUSR2');
  const logLines = () =>
    readFileSync(logFile, 'utf8').split('\n').flatMap((l) => {
      if (!l.startsWith('{')) return [];
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  return {
    pid: child.pid ?? 0,
    url,
    logFile,
    logLines,
    async stop() {
      if (!gone && profileDir) {
        const before = new Set(readdirSync(profileDir));
        child.kill('SIGUSR2');
        for (let i = 0; i < 100 && readdirSync(profileDir).every((f) => before.has(f)); i++) await sleep(100);
      }
      if (!gone) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited.finally(() => clearTimeout(t));
      }
      out.end();
      await dropRedisPrefix(env.REDIS_URL ?? profileRedisUrl(), prefix);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Process sampling

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** RSS (kB) and CPU time (s, user + system) of a pid, from /proc/<pid>/status and /proc/<pid>/stat. */
export function procSample(pid: number): { rssKb: number; cpuS: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuS = (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime (fields 14, 15)
    return { rssKb, cpuS };
  } catch {
    return null;
  }
}

export interface ProcUsage {
  rssMbMax: number; rssMbEnd: number; cpuPctMean: number; cpuPctMax: number;
  /** CPU time over the watch, user + system: in seconds (0.1) and in ms (the clock tick's resolution, 10 ms). */
  cpuSeconds: number; cpuMs: number;
}

/** Samples `pid` every `everyMs` until `stop()` is called; CPU % is of one core (like ps/top). */
export function watchProcess(pid: number, everyMs = 500): { stop(): ProcUsage } {
  const first = procSample(pid);
  const t0 = performance.now();
  let prev = { t: t0, cpu: first?.cpuS ?? 0 };
  let rssMax = first?.rssKb ?? 0;
  let rssEnd = rssMax;
  let cpuMax = 0;
  const timer = setInterval(() => {
    const s = procSample(pid);
    if (!s) return;
    const t = performance.now();
    cpuMax = Math.max(cpuMax, ((s.cpuS - prev.cpu) / ((t - prev.t) / 1000)) * 100);
    prev = { t, cpu: s.cpuS };
    rssMax = Math.max(rssMax, s.rssKb);
    rssEnd = s.rssKb;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const s = procSample(pid);
      const elapsedS = (performance.now() - t0) / 1000;
      const cpuSeconds = (s?.cpuS ?? prev.cpu) - (first?.cpuS ?? 0);
      if (s) rssMax = Math.max(rssMax, s.rssKb);
      const r1 = (x: number) => Math.round(x * 10) / 10;
      return { rssMbMax: r1(rssMax / 1024), rssMbEnd: r1((s?.rssKb ?? rssEnd) / 1024), cpuPctMean: r1((cpuSeconds / elapsedS) * 100), cpuPctMax: r1(cpuMax), cpuSeconds: r1(cpuSeconds), cpuMs: Math.round(cpuSeconds * 1000) };
    },
  };
}
