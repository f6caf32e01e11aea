/**
 * Analytics benchmark: one year of synthetic history at province scale (500,000 calls, their
 * cases, orders and follow-ups) in a database of its own, then every analytics query 30 times
 * with varied filters. Target: p95 < 200 ms each. Results to var/bench/analytics.json.
 *
 *   node --import tsx bench/analytics-bench.ts [calls]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { ensureDatabase, openDatabase } from '../src/adapters/storage/database.ts';
import { PgAnalytics } from '../src/adapters/storage/pg-analytics.ts';
import type { AnalyticsContext, AnalyticsFilter, AnalyticsQueries } from '../src/ports/analytics.ts';
import { BENCH_FROM, COUNSELLORS, countRows, generateHistory, LEAVES, TEAMS } from './analytics-bench-data.ts';
import { summarize, type Summary } from './bench-stats.ts';

const CALLS = Number(process.argv[2] ?? 500_000);
const RUNS = 30;
const NOW = '2026-11-30T04:00:00.000Z';
const TARGET_P95_MS = 200;
const DB_NAME = 'hotline_analytics_bench';
const BASE_URL = process.env.HOTLINE_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432';

const ctx: AnalyticsContext = {
  timeZone: 'Asia/Shanghai',
  serviceLevelSeconds: 20,
  counsellorTeams: Object.fromEntries(Array.from({ length: COUNSELLORS }, (_, i) => [`c${i}`, TEAMS[i % TEAMS.length]!])),
  lineTeams: { main: 'province', exam: 'province' },
  seasons: [{ name: 'exam', from: '2026-05-20T00:00', to: '2026-06-30T00:00' }],
};

/** Varied filters: a month, a quarter or the whole year, with none, one or several of the other filters. */
function filterFor(run: number): AnalyticsFilter {
  const month = run % 12;
  const start = new Date(`${BENCH_FROM}T00:00:00Z`);
  const ranges: Array<[number, number]> = [[month, month + 1], [month - (month % 3), month - (month % 3) + 3], [0, 12]];
  const [a, b] = ranges[run % 3]!;
  const day = (m: number, back = 0) => {
    const d = new Date(start);
    d.setUTCMonth(d.getUTCMonth() + m);
    d.setUTCDate(d.getUTCDate() - back);
    return d.toISOString().slice(0, 10);
  };
  const f: AnalyticsFilter = { from: day(a), to: day(b, 1) };
  if (run % 4 === 1) f.line = run % 8 === 1 ? 'exam' : 'main';
  if (run % 5 === 2) f.team = TEAMS[run % TEAMS.length]!;
  if (run % 6 === 3) f.category = run % 12 === 3 ? 'mental-health' : LEAVES[run % LEAVES.length]!;
  if (run % 7 === 4) f.grade = ((run % 4) + 1) as 1 | 2 | 3 | 4;
  return f;
}

const QUERIES: Record<string, (a: AnalyticsQueries, f: AnalyticsFilter) => Promise<unknown>> = {
  byCategory: (a, f) => a.byCategory(f),
  byGrade: (a, f) => a.byGrade(f),
  byLine: (a, f) => a.byLine(f),
  byHour: (a, f) => a.byHour(f),
  byWeekday: (a, f) => a.byWeekday(f),
  byDay: (a, f) => a.byDay(f),
  byMonth: (a, f) => a.byMonth(f),
  byArea: (a, f) => a.byArea(f),
  answerFiguresByDay: (a, f) => a.answerFigures(f, 'day', 20),
  answerFiguresByMonth: (a, f) => a.answerFigures(f, 'month', 20),
  ordersByCentre: (a, f) => a.ordersByCentre(f),
  followUps: (a, f) => a.followUps(f),
};

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const url = `${BASE_URL}/${DB_NAME}`;
  // REUSE_BENCH_DB=1 (with KEEP_BENCH_DB=1 on the run before): measure again without generating.
  const reuse = Boolean(process.env.REUSE_BENCH_DB);
  if (!reuse) execFileSync('dropdb', ['--if-exists', '--force', '-h', '127.0.0.1', '-U', 'postgres', DB_NAME]);
  await ensureDatabase(url);
  await (await openDatabase(url)).end(); // migrations
  // No client-side query timeout: the first build of the fact tables reads the whole year.
  const db = new pg.Pool({ connectionString: url, max: 2 });
  try {
    let t = performance.now();
    const rows = reuse ? await countRows(db) : await generateHistory(db, CALLS);
    const generateSec = (performance.now() - t) / 1000;
    process.stderr.write(`generated ${JSON.stringify(rows)} in ${generateSec.toFixed(1)} s\n`);
    const analytics = new PgAnalytics(db);
    // Noon of the last day of the year: the months before are rolled up, this month is read from the facts.
    const now = new Date(NOW);
    t = performance.now();
    await analytics.rebuild(ctx, now);
    const rebuildSec = (performance.now() - t) / 1000;
    await db.query('ANALYZE');
    // Refreshes as the service makes them: the last two days' calls looked at again…
    const incremental: number[] = [];
    for (let i = 0; i < 5; i++) {
      t = performance.now();
      await analytics.refresh(ctx, new Date(now.getTime() + (i + 1) * 30_000));
      incremental.push(performance.now() - t);
    }
    // …and with an order of an earlier month changed (accepted late, say): its month's orders are rolled up again.
    const withOldOrder: number[] = [];
    for (let i = 0; i < 5; i++) {
      const at = new Date(now.getTime() + (i + 10) * 30_000);
      await db.query(`UPDATE work_orders SET updated_at = $1 WHERE id = (SELECT id FROM work_orders WHERE created_at < '2026-11-01' ORDER BY id OFFSET $2 LIMIT 1)`, [at.toISOString(), i * 7919]);
      t = performance.now();
      await analytics.refresh(ctx, at);
      withOldOrder.push(performance.now() - t);
    }
    process.stderr.write(`rebuild ${rebuildSec.toFixed(1)} s, incremental ${incremental.map((x) => x.toFixed(0)).join(' ')} ms, with an old order ${withOldOrder.map((x) => x.toFixed(0)).join(' ')} ms\n`);
    const queries: Record<string, Summary & { targetMet: boolean }> = {};
    for (const [name, run] of Object.entries(QUERIES)) {
      await run(analytics, filterFor(0)); // warm-up
      const ms: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const f = filterFor(i);
        const t0 = performance.now();
        await run(analytics, f);
        ms.push(performance.now() - t0);
      }
      const s = summarize(ms);
      queries[name] = { ...s, targetMet: s.p95 < TARGET_P95_MS };
      process.stderr.write(`${name.padEnd(22)} p50 ${s.p50} ms  p95 ${s.p95} ms  max ${s.max} ms\n`);
    }
    const report = {
      startedAt, finishedAt: new Date().toISOString(), rows, runsPerQuery: RUNS, targetP95Ms: TARGET_P95_MS,
      generateSec: Math.round(generateSec * 10) / 10, rebuildSec: Math.round(rebuildSec * 10) / 10, incrementalRefreshMs: summarize(incremental), refreshWithEarlierMonthOrderMs: summarize(withOldOrder), now: NOW,
      machine: { nproc: cpus().length, cpuModel: cpus()[0]?.model ?? '', loadAvg: loadavg().map((x) => Math.round(x * 100) / 100),
        postgres: (await db.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? '' },
      queries, allMet: Object.values(queries).every((q) => q.targetMet),
    };
    mkdirSync('var/bench', { recursive: true });
    writeFileSync('var/bench/analytics.json', JSON.stringify(report, null, 2) + '\n');
    process.stderr.write(`all p95 < ${TARGET_P95_MS} ms: ${report.allMet}\n`);
  } finally {
    await db.end();
    if (!process.env.KEEP_BENCH_DB) execFileSync('dropdb', ['--if-exists', '--force', '-h', '127.0.0.1', '-U', 'postgres', DB_NAME]);
  }
}

await main();
