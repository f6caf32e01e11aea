import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import type { ScenarioFigures } from '../tests/chaos/support/report.ts';

/** Writes docs/reliability.md from the figures the chaos scenarios recorded in var/chaos/. */

const ROOT = resolve(import.meta.dirname, '..');
const DIR = join(ROOT, 'var/chaos');
const results = (existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.json')) : [])
  .map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as ScenarioFigures & { measuredAt: string })
  .sort((a, b) => a.scenario.localeCompare(b.scenario, 'en', { numeric: true }));

const left = (r: ScenarioFigures) => `${r.leftovers.channels} / ${r.leftovers.bridges} / ${r.leftovers.redisKeys} / ${r.leftovers.jobs}`;
const lines = [
  '# Reliability under faults',
  '',
  'Written by `npm run chaos` (scripts/chaos.sh → tests/chaos/*.chaos.test.ts → scripts/reliability-report.ts):',
  'each scenario breaks the real stack (Asterisk 22, the project\'s Redis, PostgreSQL, the service, SIPp',
  'callers, counsellor phones and 110) on purpose, under load, and counts what was lost. The goal is',
  'nothing. A smaller version of scenarios 1–4 runs in `npm test` as end-to-end tests.',
  '',
  `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB.`,
  '',
  '| scenario | load | fault | callers | reached a counsellor | hung up on by the hotline | lost their place | left behind: channels / bridges / Redis keys / jobs | records missing | result |',
  '| --- | --- | --- | ---: | ---: | ---: | ---: | --- | ---: | --- |',
  ...results.map((r) => `| ${r.scenario} | ${r.load} | ${r.fault} | ${r.callers} | ${r.reachedCounsellor} | ${r.hungUpBySystem} | ${r.lostPlace} | ${left(r)} | ${r.recordsMissing} | ${r.passed ? 'held' : '**failed**'} |`),
  '',
];
for (const r of results) {
  lines.push(`## ${r.scenario}`, '', `Measured ${r.measuredAt}, ${r.durationSec} s. Load: ${r.load}. Fault: ${r.fault}.`, '');
  if (r.extra && Object.keys(r.extra).length) {
    lines.push('| figure | value |', '| --- | ---: |', ...Object.entries(r.extra).map(([k, v]) => `| ${k} | ${v} |`), '');
  }
  for (const n of r.notes ?? []) lines.push(`- ${n}`);
  if (r.notes?.length) lines.push('');
}
if (results.length === 0) lines.push('No scenario has recorded figures yet: run `npm run chaos`.', '');
writeFileSync(join(ROOT, 'docs/reliability.md'), lines.join('\n'));
console.log(`docs/reliability.md: ${results.length} scenario(s)`);
