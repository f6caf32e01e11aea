/**
 * The "Cluster: 1 node against 3" section of docs/benchmarks.md, from var/bench/cluster.json
 * (bench/cluster-bench.ts). bench/bench-report.ts includes it when given that file; run alone, it
 * prints the section, or with --into replaces that section of a page (or adds it before
 * "## Reproduce") and leaves the rest of the page as it was:
 *
 *   node --import tsx bench/cluster-report.ts var/bench/cluster.json [--into docs/benchmarks.md] [--finding 'text' ...]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface Stats { n: number; min: number; p50: number; p95: number; max: number; mean: number }
interface Rate {
  rate: number; attempt: number; calls: number; ok: number; failed: number; failures: Record<string, number>; answerMs: Stats; held: boolean;
  callsPerNode: Record<string, number>; cpu: { servicePct: number; asteriskNodesPct: number; kamailioPct: number };
}
interface Phase { nodes: number; handoff: Stats & { samples: number[]; noticeGatedLeftOut: number }; load: { runs: Rate[]; heldCps: number } }
export interface ClusterReport {
  startedAt: string; finishedAt: string; slot: number;
  machine: { nproc: number; asterisk: string; kamailio: string; loadAvgAtStart: number[]; loadAvgAtEnd: number[] };
  settings: { rates: number[]; holdMs: number; answerTimeoutMs: number; handoffs: number; talkMs: { min: number; max: number }; killRate: number; killAfterS: number; killForS: number; edge: string; nodes: string[]; rtpPortsPerNode?: number };
  phases: Phase[];
  kill: {
    killedNode: string; calls: number; killToInactiveInKamailioMs: number | null; killToFirstNewAnswerMs: number | null;
    firstNewCall: { sentAfterKillMs: number; inviteToAnswerMs: number } | null; firstNewCallNode: string | null;
    afterKillWindow: { ms: number; answer: Stats; overOneSecond: number }; answerAfterKill: Stats;
    failedCalls: {
      total: number; sippCauses: Record<string, number>; placedBeforeKill: number; placedAfterKill: number; placedAfterKillNotAnsweredIn5s: number;
      placedBetweenKillAndFirstNewAnswer: { placed: number; failed: number };
    };
    answeredPerNodeAfterKill: Record<string, number>; callsPerNode: Record<string, number>; serviceErrorLines: number; serviceErrors: Record<string, number>;
  };
}

export const CLUSTER_HEADING = '## 6. Cluster: 1 node against 3';

const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
const f = (x: number | null | undefined, digits = 1) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits));
const nodes = (o: Record<string, number>) => Object.entries(o).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${v}`).join(', ');
/** A negative share means the process ended during the run (its CPU time then reads 0): not a figure. */
const pct = (x: number) => (x < 0 ? '– (process ended)' : `${f(x, 0)}%`);
const status = (x: Rate) => (x.held ? `${x.ok}/${x.calls} ok` : `**failed** (${Object.entries(x.failures).map(([k, v]) => `${k.replace('(C)', '')} ${v}`).join(', ')})`);

/** `findings`: what the run showed beyond its figures, in words, written with the run (like --ab-finding). */
export function clusterSection(c: ClusterReport, findings: string[] = [], heading = CLUSTER_HEADING): string[] {
  const s = c.settings;
  const k = c.kill;
  const [one, three] = [c.phases.find((p) => p.nodes === 1), c.phases.find((p) => p.nodes === 3)];
  const out: string[] = [
    heading,
    '',
    `\`bench/cluster-bench.ts\` (\`npm run bench:cluster\`), its own run of ${c.startedAt.slice(0, 16).replace('T', ' ')} UTC on test slot ${c.slot}:`,
    `load average (1/5/15 min) ${c.machine.loadAvgAtStart.join(' / ')} at the start, ${c.machine.loadAvgAtEnd.join(' / ')} at the end, on ${c.machine.nproc} cores;`,
    `${c.machine.kamailio}, ${c.machine.asterisk.replace(/ built by .*/, '')}. Raw results: \`var/bench/cluster.json\`.`,
    '',
    `The cluster profile (README, "Cluster profile"): Kamailio at ${s.edge} in front of ${s.nodes.join(', ')}`,
    '(round-robin dispatcher, OPTIONS probe every second, failover to the next node on 408/5xx or after a',
    '1.5 s transaction timeout), one service instance driving all three nodes over ARI, Redis and PostgreSQL',
    'as in the other sections (the standby instance adds nothing to a call\'s path and is not started).',
    'Callers are SIPp from the carrier address (127.0.0.2) to Kamailio; the phone registers to Kamailio.',
    ...(s.rtpPortsPerNode ? [`Each node has ${s.rtpPortsPerNode.toLocaleString('en')} RTP ports (the profile's 200 would cap a node at 100 calls at once and the climb would measure that).`] : []),
    '**1 node**: ast2 and ast3 disabled in Kamailio\'s dispatcher set (`dispatcher.set_state d`: neither',
    'probed nor chosen; still running and connected to the service). **3 nodes**: all three active.',
    '',
    `> **All of it runs on this one ${c.machine.nproc}-core machine**: three Asterisk nodes share the same cores as one,`,
    '> so 3 nodes do not give more throughput than 1 here, and are not expected to. These figures show what',
    '> the edge and the spreading cost and that failover works as measured; capacity across hosts is not measured.',
    '',
    '### Hand-off and calls per second, 1 node and 3 nodes',
    '',
    `- **Hand-off**: the service round of section 2 (bench/handoff-bench.ts) through the edge: ${s.handoffs} hand-offs, one`,
    `  phone (1001) talking ${s.talkMs.min / 1000}–${s.talkMs.max / 1000} s per call, 8 callers waiting to line 12356; the phone's BYE → its next INVITE, from its own`,
    '  SIPp trace. With 3 nodes the callers are spread over the nodes and the phone is rung from each caller\'s node.',
    `- **Calls per second**: the rules of section 3 (bench/load-run.ts): R × 10 calls (at least 20) to 12355, each answered`,
    `  within ${s.answerTimeoutMs / 1000} s and held ${s.holdMs / 1000} s; a call fails on a SIPp failure, a late answer, or when the service did not see it,`,
    `  logged an error or handed it to the dialplan. Rates tried: ${s.rates.join(', ')} (a failed rate is tried once more). Calls per node`,
    '  are the service\'s (its call ids carry the node\'s name). CPU: mean % of one core over the rate\'s run, of',
    '  the service, the Asterisk nodes together, and Kamailio with its worker processes (`/proc/<pid>/stat`).',
    '',
    row(['', 'hand-offs', 'p50 ms', 'p95 ms', 'max ms', 'highest rate held (cps)']),
    row(['---', '---:', '---:', '---:', '---:', '---:']),
    ...[one, three].filter((p): p is Phase => !!p).map((p) => row([
      `${p.nodes} node${p.nodes > 1 ? 's' : ''}`, p.handoff.n, f(p.handoff.p50), f(p.handoff.p95), f(p.handoff.max),
      `${p.load.heldCps}${p.load.heldCps === Math.max(...s.rates) ? ' (the highest tried)' : ''}`,
    ])),
    '',
    row(['rate (cps)', 'nodes', 'result', 'answer p50 / p95 ms', 'calls per node', 'CPU service / Asterisk / Kamailio']),
    row(['---:', '---:', '---', '---:', '---', '---']),
  ];
  const runs = c.phases.flatMap((p) => p.load.runs.map((r) => ({ p, r }))).sort((a, b) => a.r.rate - b.r.rate || a.p.nodes - b.p.nodes || a.r.attempt - b.r.attempt);
  for (const { p, r } of runs) {
    out.push(row([`${r.rate}${r.attempt > 1 ? ' (again)' : ''}`, p.nodes, status(r), `${f(r.answerMs.p50)} / ${f(r.answerMs.p95)}`, nodes(r.callsPerNode),
      [r.cpu.servicePct, r.cpu.asteriskNodesPct, r.cpu.kamailioPct].map(pct).join(' / ')]));
  }
  out.push(
    '',
    one && three
      ? `In this run: 1 node held ${one.load.heldCps} cps and 3 nodes ${three.load.heldCps} cps; hand-off p50 ${f(one.handoff.p50)} ms with 1 node and ${f(three.handoff.p50)} ms with 3.`
      : '',
    '',
    ...findings.flatMap((x) => [x, '']),
    ...c.phases.map((p) => `Hand-off samples (ms), ${p.nodes} node${p.nodes > 1 ? 's' : ''}: ${p.handoff.samples.join(', ')}.`).flatMap((x) => [x, '']),
    '### A node killed under load',
    '',
    `With 3 nodes, SIPp offers ${s.killRate} calls per second to 12355 for ${s.killForS} s (${k.calls} calls, each held ${s.holdMs / 1000} s); after ${s.killAfterS} s`,
    `${k.killedNode}'s Asterisk gets SIGKILL. The kill's time is taken just before kill(2); the calls' times are SIPp's (its`,
    'message trace, same wall clock). A call "placed after the kill" is one whose INVITE SIPp sent after it; which node',
    'answered is read from the 200 OK\'s Contact (Kamailio only record-routes).',
    '',
    row(['Figure', 'Measured', 'What it includes']),
    row(['---', '---:', '---']),
    row(['Kill → first 200 OK of a call placed after the kill', `**${f(k.killToFirstNewAnswerMs)} ms**`,
      `that call's INVITE left ${f(k.firstNewCall?.sentAfterKillMs)} ms after the kill (the next one of the steady rate); answered by ${k.firstNewCallNode ?? '–'}`]),
    row(['That call\'s INVITE → 200 OK', `**${f(k.firstNewCall?.inviteToAnswerMs)} ms**`, 'Kamailio → a live node → Stasis → the service answers']),
    row([`INVITE → 200 OK of the calls placed in the ${k.afterKillWindow.ms / 1000} s after the kill`, `p50 ${f(k.afterKillWindow.answer.p50)}, max ${f(k.afterKillWindow.answer.max)} ms`,
      `${k.afterKillWindow.answer.n} calls; ${k.afterKillWindow.overOneSecond} took over 1 s (sent to the dead node first, then on after the 1.5 s timeout)`]),
    row(['Kill → Kamailio marks the node inactive', `${f(k.killToInactiveInKamailioMs, 0)} ms`, 'OPTIONS probe every 1 s, out after one unanswered (polled every 50 ms over JSON-RPC)']),
    row(['Failed calls in all (SIPp)', `${k.failedCalls.total} of ${k.calls}`, Object.entries(k.failedCalls.sippCauses).map(([x, v]) => `${x.replace('(C)', '')} ${v}`).join(', ') || 'none']),
    row(['… placed before the kill', k.failedCalls.placedBeforeKill, 'on the dead node when it died: the caller\'s BYE gets 408 from Kamailio instead of 200']),
    row(['… placed after the kill', k.failedCalls.placedAfterKill,
      `of which not answered within ${s.answerTimeoutMs / 1000} s: ${k.failedCalls.placedAfterKillNotAnsweredIn5s}`]),
    row(['… placed from the kill up to the first new call answered', `${k.failedCalls.placedBetweenKillAndFirstNewAnswer.failed} of ${k.failedCalls.placedBetweenKillAndFirstNewAnswer.placed}`,
      `not answered within ${s.answerTimeoutMs / 1000} s (the others were answered, some after the failover)`]),
    row(['Calls placed after the kill, answered per node', nodes(k.answeredPerNodeAfterKill) || '–', `none may be ${k.killedNode}`]),
    row(['Error lines in the service log', k.serviceErrorLines, Object.entries(k.serviceErrors).map(([x, v]) => `${v} × ${x.replace(/\|/g, '\\|')}`).join('; ') || 'none']),
    '',
  );
  return out;
}

/** Replaces the cluster section of a page, or adds it before "## Reproduce" (or at the end). */
export function spliceSection(page: string, section: string[]): string {
  const text = `${section.join('\n').trimEnd()}\n\n`;
  const existing = new RegExp(`^${CLUSTER_HEADING.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\\s\\S]*?(?=^## |(?![\\s\\S]))`, 'm');
  if (existing.test(page)) return page.replace(existing, text);
  const at = page.search(/^## Reproduce/m);
  return at === -1 ? `${page.trimEnd()}\n\n${text}` : page.slice(0, at) + text + page.slice(at);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [file, ...rest] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: cluster-report.ts var/bench/cluster.json [--into docs/benchmarks.md]\n');
    process.exit(2);
  }
  const findings = rest.flatMap((x, i) => (x === '--finding' && rest[i + 1] ? [rest[i + 1]!] : []));
  const section = clusterSection(JSON.parse(readFileSync(file, 'utf8')) as ClusterReport, findings);
  const into = rest.includes('--into') ? rest[rest.indexOf('--into') + 1] : undefined;
  if (into) writeFileSync(into, spliceSection(readFileSync(into, 'utf8'), section));
  else process.stdout.write(`${section.join('\n')}\n`);
}
