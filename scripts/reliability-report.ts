import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CHAOS_RESULTS_DIR, type ScenarioFigures } from '../tests/chaos/support/report.ts';
import { earlierScenarios } from './reliability-earlier.ts';

/**
 * Writes docs/reliability.md from the figures the chaos scenarios recorded (docs/reliability-data/,
 * kept in the repository so that running one scenario does not drop the others' figures). A
 * scenario with no recorded file keeps its row and section from the page as it was.
 */

const ROOT = resolve(import.meta.dirname, '..');
const DIR = CHAOS_RESULTS_DIR;
const PAGE = join(ROOT, 'docs/reliability.md');
const results = (existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.json')) : [])
  .map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as ScenarioFigures & { measuredAt: string; machine?: string })
  .sort((a, b) => a.scenario.localeCompare(b.scenario, 'en', { numeric: true }));
const page = existsSync(PAGE) ? readFileSync(PAGE, 'utf8') : '';
const earlier = earlierScenarios(page, new Set(results.map((r) => r.scenario)));
// Figures recorded before each scenario named its machine were measured on the one the page named.
const pageMachine = /^Machine: (.+?)\.?$/m.exec(page)?.[1] ?? /^Machines: .*?sections that name none: (.+)\)\.$/m.exec(page)?.[1] ?? 'not recorded';
const machineOf = (r: { machine?: string }) => r.machine ?? pageMachine;
const machines = [...new Set(results.map(machineOf))];

const left = (r: ScenarioFigures) => `${r.leftovers.channels} / ${r.leftovers.bridges} / ${r.leftovers.redisKeys} / ${r.leftovers.jobs}`;
const lines = [
  '# Reliability under faults',
  '',
  'Written by `npm run chaos` (scripts/chaos.sh → tests/chaos/*.chaos.test.ts → scripts/reliability-report.ts):',
  'each scenario breaks the real stack (Asterisk 22, the project\'s Redis, PostgreSQL, the service, SIPp',
  'callers, counsellor phones and 110) on purpose, under load, and counts what was lost. The goal is',
  'nothing. A smaller version of scenarios 1–4 and 8 runs in `npm test` as end-to-end tests',
  '(tests/e2e/faults-small.test.ts, database-outage.test.ts, http-bad-input.test.ts), and the SIP guard',
  'of scenario 9 in tests/e2e/sip-guard.test.ts.',
  '',
  machines.length === 1 && earlier.length === 0
    ? `Machine: ${machines[0]}.`
    : `Machines: each section names the one it was measured on${earlier.length ? ` (sections that name none: ${pageMachine})` : ''}.`,
  '',
  '| scenario | load | fault | callers | reached a counsellor | hung up on by the hotline | lost their place | left behind: channels / bridges / Redis keys / jobs | records missing | result |',
  '| --- | --- | --- | ---: | ---: | ---: | ---: | --- | ---: | --- |',
  ...[
    ...results.map((r) => ({ scenario: r.scenario, row: `| ${r.scenario} | ${r.load} | ${r.fault} | ${r.callers} | ${r.reachedCounsellor} | ${r.hungUpBySystem} | ${r.lostPlace} | ${left(r)} | ${r.recordsMissing} | ${r.passed ? 'held' : '**failed**'} |` })),
    ...earlier.map((e) => ({ scenario: e.scenario, row: e.row })),
  ].sort((a, b) => a.scenario.localeCompare(b.scenario, 'en', { numeric: true })).map((x) => x.row),
  '',
];
const sections: Array<{ scenario: string; lines: string[] }> = earlier.map((e) => ({ scenario: e.scenario, lines: e.section }));
for (const r of results) {
  const out = [`## ${r.scenario}`, '', `Measured ${r.measuredAt} on ${machineOf(r)}, ${r.durationSec} s. Load: ${r.load}. Fault: ${r.fault}.`, ''];
  if (r.extra && Object.keys(r.extra).length) {
    out.push('| figure | value |', '| --- | ---: |', ...Object.entries(r.extra).map(([k, v]) => `| ${k} | ${v} |`), '');
  }
  for (const n of r.notes ?? []) out.push(`- ${n}`);
  if (r.notes?.length) out.push('');
  sections.push({ scenario: r.scenario, lines: out });
}
sections.sort((a, b) => a.scenario.localeCompare(b.scenario, 'en', { numeric: true }));
for (const sec of sections) lines.push(...sec.lines);
if (sections.length === 0) lines.push('No scenario has recorded figures yet: run `npm run chaos`.', '');
writeFileSync(PAGE, lines.join('\n'));
console.log(`docs/reliability.md: ${results.length} scenario(s) measured now, ${earlier.length} kept from the page`);
