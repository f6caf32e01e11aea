/**
 * The analytics section of docs/benchmarks.md, from var/bench/analytics.json (bench/analytics-bench.ts).
 * bench-report.ts puts it in the full page; `splice` replaces it in an existing page, so the
 * analytics benchmark can be rerun without rerunning the slow call benchmarks:
 *
 *   node --import tsx bench/bench-report-analytics.ts var/bench/analytics.json docs/benchmarks.md
 */
import { readFileSync, writeFileSync } from 'node:fs';

interface Stats { n: number; min: number; p50: number; p95: number; max: number; mean: number }
export interface AnalyticsReport {
  startedAt: string; finishedAt: string; rows: Record<string, number>; runsPerQuery: number; targetP95Ms: number;
  generateSec: number; rebuildSec: number; incrementalRefreshMs: Stats; refreshWithEarlierMonthOrderMs?: Stats; now?: string;
  machine: { nproc: number; cpuModel: string; loadAvg: number[]; postgres: string };
  queries: Record<string, Stats & { targetMet: boolean }>; allMet: boolean;
}

export const ANALYTICS_HEADING = '## 4. Analytics queries (统计分析)';

const QUERY_NAMES: Record<string, string> = {
  byCategory: 'calls by category (both levels)', byGrade: 'calls by grade', byLine: 'calls by line and season', byHour: 'calls by hour of day',
  byWeekday: 'calls by weekday', byDay: 'calls by day', byMonth: 'calls by month', byArea: 'calls by city/county',
  answerFiguresByDay: 'answer figures per day', answerFiguresByMonth: 'answer figures per month', ordersByCentre: 'work orders by centre',
  followUps: 'follow-up outcomes',
};

export function analyticsSection(a: AnalyticsReport): string[] {
  const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  const n = (x: number) => x.toLocaleString('en-US');
  return [
    ANALYTICS_HEADING,
    '',
    `Run of ${a.startedAt.slice(0, 16).replace('T', ' ')} UTC (\`bench/analytics-bench.ts\`), PostgreSQL ${a.machine.postgres}, ${a.machine.nproc} cores,`,
    `load average at the end ${a.machine.loadAvg.join(' / ')}. One year of synthetic history of a busy province, generated inside`,
    `PostgreSQL in ${a.generateSec} s into a database of its own (\`hotline_analytics_bench\`, dropped afterwards):`,
    Object.entries(a.rows).map(([t, c]) => `${n(c)} ${t.replace(/_/g, ' ')}`).join(', ') + '.',
    '',
    'The queries read narrow fact tables (one row per call, order and follow-up, calendar fields precomputed in',
    'Asia/Shanghai) through rollups: `analytics_daily` per day, and per-month tables for the months before the',
    'current one; the current month and the days of a range that cut a month are read from the facts (categories',
    'from a daily rollup, `analytics_daily_categories`). Each query',
    `ran ${a.runsPerQuery} times with varied filters (a month, a quarter or the whole year; with and without line, team,`,
    `category and grade)${a.now ? `, "now" being ${a.now.slice(0, 10)} (so the last month came from the facts)` : ''}. Target: p95 < ${a.targetP95Ms} ms.`,
    '',
    row(['Query', 'p50 ms', 'p95 ms', 'max ms', 'Target']),
    row(['---', '---:', '---:', '---:', '---']),
    ...Object.entries(a.queries).map(([k, q]) => row([QUERY_NAMES[k] ?? k, q.p50, q.p95, q.max, q.targetMet ? '**met**' : '**not met**'])),
    '',
    `Building the fact tables and rollups from scratch (first start on an existing database, or \`rebuild\`): ${a.rebuildSec} s.`,
    `An incremental refresh (what the service runs before answering, at most every 30 s): p50 ${a.incrementalRefreshMs.p50} ms,`,
    `p95 ${a.incrementalRefreshMs.p95} ms${a.refreshWithEarlierMonthOrderMs ? `; with an order of an earlier month changed (its month's order rollup is redone): p50 ${a.refreshWithEarlierMonthOrderMs.p50} ms` : ''}.`,
    '',
    '```sh',
    'node --import tsx bench/analytics-bench.ts [calls]   # default 500000; writes var/bench/analytics.json',
    'node --import tsx bench/bench-report-analytics.ts var/bench/analytics.json docs/benchmarks.md',
    '```',
    '',
  ];
}

/** Replaces (or inserts, before "## Reproduce") the analytics section of an existing page. */
export function splice(page: string, section: string[]): string {
  const lines = page.split('\n');
  const start = lines.indexOf(ANALYTICS_HEADING);
  if (start >= 0) {
    let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
    if (end < 0) end = lines.length;
    lines.splice(start, end - start, ...section);
  } else {
    const at = lines.indexOf('## Reproduce');
    lines.splice(at >= 0 ? at : lines.length, 0, ...section);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [json, page] = process.argv.slice(2);
  if (!json || !page) {
    process.stderr.write('usage: bench-report-analytics.ts <analytics.json> <benchmarks.md>\n');
    process.exit(2);
  }
  const report = JSON.parse(readFileSync(json, 'utf8')) as AnalyticsReport;
  writeFileSync(page, splice(readFileSync(page, 'utf8'), analyticsSection(report)));
}
