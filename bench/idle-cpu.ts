/**
 * The service's CPU with no calls: each checkout's service started in turn through one benchmark
 * Asterisk, left alone for --seconds after /readyz, CPU (user + system, /proc) over that time.
 * Background work (pollers, timers, job queues) is in the hand-off benchmark's CPU per hand-off too.
 *
 *   HOTLINE_TEST_SLOT=5 node --import tsx bench/idle-cpu.ts --side before=/path/to/old --side after=. [--seconds 30] [--rounds 2]
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startBenchPbx } from './bench-pbx.ts';
import { BENCH_DIR, procSample, startBenchService, writeFixtureConfig } from './bench-service.ts';

const args = process.argv.slice(2);
const opt = (name: string, d: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const SECONDS = opt('--seconds', 30);
const ROUNDS = opt('--rounds', 2);
const sides = args.flatMap((x, i) => (x === '--side' && args[i + 1] ? [args[i + 1]!.split('=', 2) as [string, string]] : []));
const pbx = await startBenchPbx();
try {
  const ours = writeFixtureConfig();
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [label, dir] of round % 2 === 1 ? sides : [...sides].reverse()) {
      process.env.BENCH_SERVICE_DIR = resolve(dir);
      process.env.BENCH_DATABASE_URL = `postgres://postgres@127.0.0.1:5432/hotline_bench_${label.replace(/\W/g, '_')}`;
      // Another checkout's schema may differ: the fixture handoff-ab.ts wrote from its own config.
      const theirs = join(BENCH_DIR, `hotline.bench.${label}.yaml`);
      const svc = await startBenchService(`idle-${label}`, existsSync(theirs) ? theirs : ours);
      try {
        await new Promise((r) => setTimeout(r, 2000)); // start-up work after /readyz settles
        const a = procSample(svc.pid)?.cpuS ?? NaN;
        await new Promise((r) => setTimeout(r, SECONDS * 1000));
        const b = procSample(svc.pid)?.cpuS ?? NaN;
        process.stdout.write(`round ${round} ${label}: ${(((b - a) * 1000) / SECONDS).toFixed(1)} ms CPU per second idle\n`);
      } finally {
        await svc.stop();
      }
    }
  }
} finally {
  await pbx.stop();
}
