/**
 * Hand-off A/B: the same service hand-off rounds as bench/handoff-bench.ts, run from two or more
 * checkouts in turn (A, B, A, B, ...; the order flips each round) through one benchmark Asterisk,
 * so all see the same background load on a shared machine. Compare the medians of the interleaved
 * rounds, not one run.
 *
 *   HOTLINE_TEST_SLOT=4 node --import tsx bench/handoff-ab.ts --side before=/path/to/old/checkout \
 *     [--side after=.] [--rounds 3] [--handoffs 15] [--count-handoffs 8] [--note 'before=what it is'] [--json]
 *
 * Each checkout runs with a fixture made from its own config/hotline.yaml (wrapUpMs 0, line bench
 * → general) and its own database (hotline_bench_<label>). After the timed rounds, one counting
 * round per checkout (not timed: tracing slows it) records, for each hand-off window (the phone's
 * BYE → its next INVITE), the Redis commands the service sent (`redis-cli MONITOR`, lines naming
 * its key prefix) and the ARI requests it started (bench-trace-preload.ts).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { pbxForProfile } from '../src/adapters/asterisk/pbx-profile.ts';
import { profileRedisUrl } from '../src/config/profiles.ts';
import { addQueueEntry, BENCH_LINE_NUMBER, connectAmi, pbxTarget, ROOT, startBenchPbx } from './bench-pbx.ts';
import { BENCH_DIR } from './bench-service.ts';
import { median, round1, summarize } from './bench-stats.ts';
import { handOffServiceRound } from './handoff-bench.ts';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const say = (line: string) => process.stderr.write(`[handoff-ab] ${line}\n`);
const ROUNDS = Number(opt('--rounds') ?? 3);
const HANDOFFS = Number(opt('--handoffs') ?? 15);
const COUNT_HANDOFFS = Number(opt('--count-handoffs') ?? 8);

interface Side { label: string; dir: string; config: string }

function side(spec: string): Side {
  const [label, dir] = spec.includes('=') ? (spec.split('=', 2) as [string, string]) : ['b', spec];
  const abs = resolve(dir);
  if (!existsSync(join(abs, 'src/main.ts'))) throw new Error(`${abs} is no checkout of the service`);
  // The benchmark's fixture, from that checkout's own config (its schema may differ from ours).
  const raw = parse(readFileSync(join(abs, 'config/hotline.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;
  raw.queue = { ...raw.queue, wrapUpMs: 0 };
  raw.lines = { ...raw.lines, bench: { number: BENCH_LINE_NUMBER, route: 'general' } };
  mkdirSync(BENCH_DIR, { recursive: true });
  const config = join(BENCH_DIR, `hotline.bench.${label}.yaml`);
  writeFileSync(config, `# Written by bench/handoff-ab.ts from ${abs}/config/hotline.yaml\n${stringify(raw)}`);
  return { label, dir: abs, config };
}

/** `redis-cli MONITOR` into a file: one line per command the server ran, with its time (epoch s). */
function monitorRedis(file: string): { stop(): Promise<void> } {
  const url = new URL(profileRedisUrl());
  const fd = openSync(file, 'w');
  const child = spawn('redis-cli', ['-h', url.hostname, '-p', url.port || '6379', 'monitor'], { stdio: ['ignore', fd, 'ignore'] });
  return {
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      closeSync(fd);
    },
  };
}

interface Window { byeAt: number; inviteAt: number }

/** Redis commands of the service (its key prefix) and ARI requests started within each window. */
function countPerHandOff(windows: Window[], monitorFile: string, ariFile: string, prefix: string) {
  const redis = readFileSync(monitorFile, 'utf8').split('\n').flatMap((l) => {
    const m = /^(\d+\.\d+) \[\d+ ([^\]]+)\] "(\w+)"(.*)$/.exec(l);
    return m && m[4]!.includes(prefix) ? [{ t: Number(m[1]) * 1000, cmd: m[3]!.toLowerCase(), lua: m[2] === 'lua', offerLink: m[3] === 'set' && m[4]!.includes(':chan:offer-') }] : [];
  });
  const ari = existsSync(ariFile)
    ? readFileSync(ariFile, 'utf8').split('\n').flatMap((l) => {
        if (!l) return [];
        const o = JSON.parse(l) as { t: number; rest?: string; phase?: string };
        return o.rest && o.phase === 'start' ? [{ t: o.t, what: o.rest.replace(/\/[^/]*-[0-9a-z-]{6,}[^/]*/gi, '/:id') }] : [];
      })
    : [];
  return windows.map((w) => {
    // The ARI trace has ms resolution: a request started in the BYE's millisecond counts.
    const inR = redis.filter((c) => c.t >= w.byeAt && c.t <= w.inviteAt);
    const inA = ari.filter((a) => a.t >= Math.floor(w.byeAt) && a.t <= w.inviteAt);
    const tally = (xs: string[]) => Object.fromEntries([...new Set(xs)].sort().map((k) => [k, xs.filter((x) => x === k).length]));
    // Round trips one after the other up to the new offer's channel link (written just before the
    // originate): commands the server saw within 0.15 ms of the previous one were sent together.
    const path = inR.filter((c) => !c.lua);
    const end = path.findIndex((c) => c.offerLink);
    const redisRoundTrips = end < 0 ? NaN : path.slice(0, end + 1).filter((c, i, a) => i === 0 || c.t - a[i - 1]!.t > 0.15).length;
    return { redis: inR.length, redisRoundTrips, redisByCommand: tally(inR.map((c) => c.cmd)), ari: inA.length, ariByRequest: tally(inA.map((a) => a.what)) };
  });
}

async function main(): Promise<void> {
  const specs = args.flatMap((x, i) => (x === '--side' && args[i + 1] ? [args[i + 1]!] : []));
  if (specs.length === 0) throw new Error('--side label=dir is required (once per checkout)');
  if (specs.length === 1) specs.push(`after=${ROOT}`);
  const sides = specs.map(side);
  const password = pbxForProfile(ROOT, 'test').secrets.sip['1001'];
  if (!password) throw new Error('no SIP password for 1001 in the test profile');
  say('starting the benchmark Asterisk');
  const pbx = await startBenchPbx();
  const ami = await connectAmi(pbx.params);
  const loadAtStart = loadavg().map(round1);
  const startedAt = new Date().toISOString();
  const timed: Record<string, { samples: number[]; perRound: Array<{ p50: number; p95: number; n: number; load1: number; cpuMsPerHandOff: number }>; steps: Array<Record<string, number>> }> = {};
  const counts: Record<string, unknown> = {};
  const runOne = async (s: Side, handoffs: number, trace?: string) => {
    process.env.BENCH_SERVICE_DIR = s.dir;
    process.env.BENCH_DATABASE_URL = `postgres://postgres@127.0.0.1:5432/hotline_bench_${s.label.replace(/\W/g, '_')}`;
    process.env.BENCH_CPU_PROFILE_LABEL = s.label;
    if (trace) process.env.BENCH_TRACE_FILE = trace;
    else delete process.env.BENCH_TRACE_FILE;
    try {
      return await handOffServiceRound(pbxTarget(pbx, ami), s.config, password, handoffs);
    } finally {
      delete process.env.BENCH_TRACE_FILE;
    }
  };
  try {
    await addQueueEntry(ami);
    for (let round = 1; round <= ROUNDS; round++) {
      for (const s of round % 2 === 1 ? sides : [...sides].reverse()) {
        const load1 = round1(loadavg()[0] ?? 0);
        const r = await runOne(s, HANDOFFS);
        const ms = r.kept.map((h) => h.ms);
        const sum = summarize(ms);
        const t = (timed[s.label] ??= { samples: [], perRound: [], steps: [] });
        t.samples.push(...ms);
        t.steps.push(...r.steps);
        // CPU per hand-off covers whole calls (each round serves the same number of callers on every side).
        t.perRound.push({ p50: sum.p50, p95: sum.p95, n: ms.length, load1, cpuMsPerHandOff: round1((r.serviceCpuS * 1000) / Math.max(1, ms.length)) });
        say(`round ${round} ${s.label}: n=${ms.length} p50 ${sum.p50} p95 ${sum.p95} ms, service CPU ${round1(r.serviceCpuS)} s (load ${load1})`);
      }
    }
    if (COUNT_HANDOFFS > 0) {
      for (const s of sides) {
        const ariFile = join(BENCH_DIR, `ab-${s.label}.ari.jsonl`);
        const monFile = join(BENCH_DIR, `ab-${s.label}.redis-monitor.log`);
        rmSync(ariFile, { force: true });
        const mon = monitorRedis(monFile);
        let r;
        try {
          r = await runOne(s, COUNT_HANDOFFS, ariFile);
        } finally {
          await mon.stop();
        }
        const per = countPerHandOff(r.kept, monFile, ariFile, `hotline-bench-${process.env.HOTLINE_TEST_SLOT ?? '0'}-`);
        counts[s.label] = {
          handOffs: per.length,
          redisMedian: median(per.map((p) => p.redis)),
          redisRoundTripsMedian: median(per.map((p) => p.redisRoundTrips).filter(Number.isFinite)),
          redisRoundTrips: per.map((p) => p.redisRoundTrips),
          ariMedian: median(per.map((p) => p.ari)),
          redis: per.map((p) => p.redis),
          ari: per.map((p) => p.ari),
          // The first window's detail (the others are alike; see the arrays above).
          example: per[Math.floor(per.length / 2)],
        };
        say(`counting ${s.label}: Redis ${JSON.stringify(per.map((p) => p.redis))}, round trips ${JSON.stringify(per.map((p) => p.redisRoundTrips))}, ARI ${JSON.stringify(per.map((p) => p.ari))}`);
      }
    }
  } finally {
    await ami.close();
    await pbx.stop();
  }
  const stepNames = ['byeToLegGone', 'legGoneToFree', 'freeToOffer', 'offerToInvite'] as const;
  // --note 'label=what this checkout is' (repeatable): carried into the page by bench-report.ts --ab.
  const notes = Object.fromEntries(args.flatMap((x, i) => (x === '--note' && args[i + 1]?.includes('=') ? [args[i + 1]!.split(/=(.*)/s, 2)] : [])));
  const result = {
    startedAt, notes,
    startedLoadAvg: loadAtStart, endedLoadAvg: loadavg().map(round1), rounds: ROUNDS, handoffsPerRound: HANDOFFS,
    sides: Object.fromEntries(sides.map((s) => {
      const t = timed[s.label] ?? { samples: [], perRound: [], steps: [] };
      return [s.label, {
        dir: s.dir, ...summarize(t.samples), perRound: t.perRound,
        medianOfRoundP50: median(t.perRound.map((r) => r.p50)), medianOfRoundP95: median(t.perRound.map((r) => r.p95)),
        medianCpuMsPerHandOff: median(t.perRound.map((r) => r.cpuMsPerHandOff).filter(Number.isFinite)),
        breakdownMedianMs: Object.fromEntries(stepNames.map((k) => [k, median(t.steps.map((x) => x[k] ?? NaN).filter(Number.isFinite))])),
        counts: counts[s.label] ?? null,
      }];
    })),
  };
  process.stdout.write(`${JSON.stringify(result, null, args.includes('--json') ? 0 : 2)}\n`);
}

await main();
