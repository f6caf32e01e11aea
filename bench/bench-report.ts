/**
 * Writes docs/benchmarks.md from the benchmarks' JSON results (scripts/bench.sh runs it):
 *
 *   node --import tsx bench/bench-report.ts var/bench/matching.json var/bench/handoff.json [var/bench/analytics.json] [var/bench/time-to-human.json] [var/bench/cluster.json] > docs/benchmarks.md
 *
 * Options (after the files):
 *   --ab var/bench/handoff-ab.json       adds the interleaved comparison of bench/handoff-ab.ts
 *   --keep-load-from docs/benchmarks.md  keeps from that page every section this run did not measure, with
 *                                        its target rows, said so in the page: the calls per second for a
 *                                        hand-off-only run (--skip-load), the matching decision (matching file
 *                                        `-`) and the hand-off for a calls-per-second-only run (--skip-handoff),
 *                                        the analytics, time-to-human and cluster sections when their result
 *                                        files are not given (each carries its own date)
 */
import { existsSync, readFileSync } from 'node:fs';
import { analyticsSection, type AnalyticsReport } from './bench-report-analytics.ts';
import { clusterSection, type ClusterReport } from './cluster-report.ts';
import { timeToHumanSection, type TimeToHuman } from './time-to-human-report.ts';

interface Stats { n?: number; min?: number; p50: number; p95: number; p99?: number; max: number; mean: number }
interface ProcUsage { rssMbMax: number; rssMbEnd: number; cpuPctMean: number; cpuPctMax: number; cpuSeconds: number }
interface RateRun {
  rate: number; attempt: number; calls: number; ok: number; failed: number; failures: Record<string, number>;
  answerMs: Stats; held: boolean; serviceProcess?: ProcUsage; asteriskProcess: ProcUsage; asteriskCpuMsPerCall?: number; httpSessionLimitHits?: number;
}
interface AriPerCallSide { answerMs: Stats; firstAudioMs: Stats; answerToFirstAudioMs: Stats; asteriskCpuMsPerCall: number }
/** bench/ari-per-call.ts: what a call asks of Asterisk, and when its caller first hears something. */
interface AriPerCall {
  at: string; calls: number; rate: number; holdMs: number; appQueue: AriPerCallSide;
  service: AriPerCallSide & {
    ari: { calls: number; requestsPerCall: { median: number; byKind: Record<string, number> }; eventsPerCall: { median: number; byType: Record<string, number> }; playbacksPerCall: number };
  };
}
interface Climb { runs: RateRun[]; heldCps: number; idleProcess?: ProcUsage }
interface HandOffSide extends Stats { samples: number[]; waitingAtBye: { min: number; max: number } }
interface Report {
  startedAt: string;
  finishedAt: string;
  machine: { nproc: number; cpuModel: string; memory: string; asterisk: string; node: string; sipp: string; kernel: string; loadAvgAtStart: number[]; loadAvgAtEnd: number[] };
  handoff: null | {
    talkMs: { min: number; max: number }; waiting: number; rounds: number; ratioP50: number; ratioP95: number;
    service: HandOffSide & { noticeGatedLeftOut: number[]; privacyNoticeMs: number; breakdownMedianMs: Record<string, number> };
    appQueue: HandOffSide & { agentCalledEvents: number; completedCalls: number; byeToMemberFreeMedianMs?: number; memberFreeToInviteMedianMs: number };
    targets: { serviceP95Under50ms: boolean; tenTimesFasterAtP50: boolean; tenTimesFasterAtP95: boolean };
  };
  load: null | { rates: number[]; holdMs: number; answerTimeoutMs: number; talkMs?: { min: number; max: number }; service: Climb; appQueue: Climb; targets: { serviceAtLeastAppQueue: boolean } };
}
interface Matching {
  waiting: number; counsellors: number; available: number; samples: number; targetP99Us: number; targetMet: boolean; node: string;
  pickCallerForCounsellor: Stats; pickCallerForCounsellorFullScan: Stats; pickCounsellorsForCaller: Stats;
  planOffers: { ms: number; offers: number }; heapUsedMb: { before: number; after: number };
}

interface AbSide extends Stats {
  dir: string; perRound: Array<{ p50: number; p95: number; n: number; load1: number; cpuMsPerHandOff?: number }>; medianOfRoundP50: number; medianOfRoundP95: number;
  medianCpuMsPerHandOff?: number;
  breakdownMedianMs: Record<string, number>;
  counts: null | {
    handOffs: number; redisMedian: number; ariMedian: number; redis: number[]; ari: number[]; redisRoundTripsMedian?: number; redisRoundTrips?: number[];
    example?: { redisByCommand: Record<string, number>; ariByRequest: Record<string, number> };
  };
}
interface Ab { startedAt?: string; startedLoadAvg: number[]; endedLoadAvg: number[]; rounds: number; handoffsPerRound: number; sides: Record<string, AbSide>; notes?: Record<string, string> }

const argv = process.argv.slice(2);
const [matchingFile, handoffFile] = argv;
const optArg = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
// Optional result files after the two: analytics, time to a human, then the cluster (until the first option).
const firstOption = argv.findIndex((a, i) => i >= 2 && a.startsWith('--'));
const [analyticsFile, timeToHumanFile, clusterFile] = argv.slice(2, firstOption === -1 ? undefined : firstOption);
if (!matchingFile || !handoffFile) {
  process.stderr.write('usage: bench-report.ts <matching.json> <handoff.json> [--ab handoff-ab.json] [--keep-load-from benchmarks.md]\n');
  process.exit(2);
}
/** `-`: the matching benchmark was not rerun (its section is kept from --keep-load-from). */
const m = matchingFile === '-' ? null : (JSON.parse(readFileSync(matchingFile, 'utf8')) as Matching);
const r = JSON.parse(readFileSync(handoffFile, 'utf8')) as Report;
const ariPerCallFiles = argv.flatMap((x, i) => (x === '--ari-per-call' && argv[i + 1] ? [argv[i + 1]!] : []));
/** --ari-per-call label=file (repeatable): counts and first-audio times of bench/ari-per-call.ts, e.g. before and after a change. */
const ariPerCall = ariPerCallFiles.map((x) => {
  const [label, file] = x.includes('=') ? [x.slice(0, x.indexOf('=')), x.slice(x.indexOf('=') + 1)] : ['', x];
  return { label, r: JSON.parse(readFileSync(file, 'utf8')) as AriPerCall };
});
const abFile = optArg('--ab');
const ab = abFile ? (JSON.parse(readFileSync(abFile, 'utf8')) as Ab) : null;
// --ab-counts: the per-hand-off counts of another handoff-ab run (e.g. --rounds 0) replace those of --ab.
const abCountsFile = optArg('--ab-counts');
if (ab && abCountsFile) {
  const counted = JSON.parse(readFileSync(abCountsFile, 'utf8')) as Ab;
  for (const [k, s] of Object.entries(ab.sides)) s.counts = counted.sides[k]?.counts ?? s.counts;
}
/** The previous page's calls-per-second section and target row, for a run that skipped the climb. */
const previousPage = optArg('--keep-load-from') && existsSync(optArg('--keep-load-from')!) ? readFileSync(optArg('--keep-load-from')!, 'utf8') : null;
const keptPage = !r.load ? previousPage : null;
/** A whole section of the previous page (its heading up to the next one), for a result not rerun. */
const keptSection = (heading: string): string | null =>
  previousPage ? new RegExp(`^## ${heading}[\\s\\S]*?(?=^## )`, 'm').exec(previousPage)?.[0]?.replace(/^> Kept from the previous page:.*\n?/m, '').trimEnd() ?? null : null;
const keptLoad = keptPage ? /^## 3\. Calls per second[\s\S]*?(?=^## )/m.exec(keptPage)?.[0] ?? null : null;
const keptLoadTarget = keptPage ? /^\| Calls per second held .*$/m.exec(keptPage)?.[0] ?? null : null;
const keptLoadFrom = keptPage ? /calls per second from the run (?:at|of) ([^,;)]+)/i.exec(keptPage)?.[1] ?? /from the run of ([^;]+);/.exec(keptPage)?.[1] ?? 'an earlier run' : null;
/** For a calls-per-second-only run: the previous page's matching and hand-off sections and target rows. */
const keptMatching = !m ? keptSection('1\\. Matching') : null;
const keptMatchingTarget = !m && previousPage ? /^\| Matching decision p99 .*$/m.exec(previousPage)?.[0] ?? null : null;
const keptHandoff = !r.handoff ? keptSection('2\\. Hand-off') : null;
const keptHandoffTargets = !r.handoff && previousPage ? previousPage.match(/^\| Hand-off .*$/gm) ?? [] : [];
/** The run the kept hand-off came from: the previous page's own run, or the one it names for its hand-off. */
const previousRun = previousPage ? /from the run of (\d{4}-\d\d-\d\d \d\d:\d\d) UTC/.exec(previousPage)?.[1] ?? null : null;
const keptHandoffFrom = keptHandoff ? /hand-off (?:and matching )?from the run of (\d{4}-\d\d-\d\d \d\d:\d\d) UTC/.exec(previousPage ?? '')?.[1] ?? previousRun ?? 'an earlier run' : null;
const kept = (row: string) => row.replace(/ \| (\*\*[^|]*\*\*)( \(kept from the previous page\))? \|$/, ' | $1 (kept from the previous page) |');

const yes = (ok: boolean) => (ok ? '**met**' : '**not met**');
const f = (x: number | undefined, digits = 1) => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits));
const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
const out: string[] = [];
const p = (...lines: string[]) => out.push(...lines);

p(
  '# Benchmarks',
  '',
  `Generated by \`npm run bench\` (\`scripts/bench.sh\`) from the run of ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC;`,
  'rerun it to refresh this page (hand edits are overwritten). Raw results: `var/bench/matching.json`,',
  '`var/bench/handoff.json`.',
  '',
  ...(r.machine.loadAvgAtStart[0]! > r.machine.nproc
    ? [
        `> The machine was loaded during this run (load average ${r.machine.loadAvgAtStart[0]} at the start, on ${r.machine.nproc} cores):`,
        '> absolute hand-off figures are far above a quiet run\'s; compare systems and checkouts within the run.',
        '',
      ]
    : []),
  ...(keptHandoff || keptMatching
    ? [
        `> This run measured calls per second only (\`--skip-handoff\`): ${keptMatching ? 'sections 1 and 2' : 'section 2'} and their target rows are`,
        `> kept from the previous page (hand-off and matching from the run of ${keptHandoffFrom} UTC).`,
        '',
      ]
    : []),
  ...(keptLoad
    ? [
        `> This run measured the hand-off only (\`--skip-load\`): section 3 and its target row are kept from the`,
        `> previous page (calls per second from the run ${keptLoadFrom?.startsWith('20') ? 'of' : 'at'} ${keptLoadFrom}), since the climb takes many minutes.`,
        '',
      ]
    : []),
  '## Machine',
  '',
  row(['', '']),
  row(['---', '---']),
  row(['CPU', `${r.machine.cpuModel}, \`nproc\` = ${r.machine.nproc}`]),
  row(['Memory (`free -h`)', `\`${r.machine.memory}\``]),
  row(['Kernel', r.machine.kernel]),
  row(['Asterisk', r.machine.asterisk.replace(/ built by .*/, '')]),
  row(['Node', r.machine.node]),
  row(['SIPp', r.machine.sipp]),
  row(['Load average (1/5/15 min) at start → end', `${r.machine.loadAvgAtStart.join(' / ')} → ${r.machine.loadAvgAtEnd.join(' / ')}`]),
  '',
  '> The machine is shared: other sessions (their test runs, Asterisks, services and browsers) may load',
  '> the 2 cores while the benchmark runs, and the load average above says how much. Absolute figures',
  '> therefore move between runs; the service and app_queue are measured in the same run, through the',
  '> same Asterisk, in alternating rounds, so their comparison is the robust part.',
  '',
);

// ---- summary
p('## Targets', '', row(['Target', 'Measured', 'Result']), row(['---', '---', '---']));
if (m) {
  p(row(['Matching decision p99 < 1 ms (5,000 waiting, 2,000 counsellors)',
    `worst p99 ${f(Math.max(m.pickCallerForCounsellor.p99 ?? 0, m.pickCallerForCounsellorFullScan.p99 ?? 0, m.pickCounsellorsForCaller.p99 ?? 0), 2)} µs`, yes(m.targetMet)]));
} else if (keptMatchingTarget) p(kept(keptMatchingTarget));
if (!r.handoff) p(...keptHandoffTargets.map(kept));
if (r.handoff) {
  const h = r.handoff;
  p(row(['Hand-off p95 < 50 ms', `${f(h.service.p95)} ms`, yes(h.targets.serviceP95Under50ms)]));
  p(row(['Hand-off ≥ 10× faster than app_queue', `${h.ratioP50}× at p50, ${h.ratioP95}× at p95`,
    h.targets.tenTimesFasterAtP50 && h.targets.tenTimesFasterAtP95 ? yes(true)
      : h.targets.tenTimesFasterAtP50 ? '**met at p50 only**' : h.targets.tenTimesFasterAtP95 ? '**met at p95 only**' : yes(false)]));
}
if (r.load) {
  p(row(['Calls per second held ≥ app_queue', `service ${r.load.service.heldCps} cps, app_queue ${r.load.appQueue.heldCps} cps (highest rate tried: ${Math.max(...r.load.rates)})`,
    yes(r.load.targets.serviceAtLeastAppQueue)]));
} else if (keptLoadTarget) {
  p(kept(keptLoadTarget));
}
p('');

// ---- matching
const mrow = (name: string, s: Stats) => row([name, f(s.p50, 2), f(s.p95, 2), f(s.p99, 2), f(s.max, 2), f(s.mean, 2)]);
if (!m && keptMatching) p(keptMatching, '');
if (m) p(
  '## 1. Matching decision (pure code)',
  '',
  `\`node --import tsx bench/matching-bench.ts --json\`: ${m.waiting.toLocaleString('en')} waiting callers, ${m.counsellors.toLocaleString('en')} counsellors`,
  `(${m.available} available), ${m.samples.toLocaleString('en')} timed decisions of each kind after a warm-up, seeded data. Microseconds.`,
  '',
  row(['Decision', 'p50', 'p95', 'p99', 'max', 'mean']),
  row(['---', '---:', '---:', '---:', '---:', '---:']),
  mrow('a counsellor became free (`pickCallerForCounsellor`)', m.pickCallerForCounsellor),
  mrow('same, worst case: nobody matches, full scan', m.pickCallerForCounsellorFullScan),
  mrow('a caller joined (`pickCounsellorsForCaller`)', m.pickCounsellorsForCaller),
  '',
  `One full batch sweep (\`planOffers\`): ${m.planOffers.ms} ms for ${m.planOffers.offers} offers. Heap used ${m.heapUsedMb.before} MB before,`,
  `${m.heapUsedMb.after} MB after. Target p99 < ${m.targetP99Us} µs: ${yes(m.targetMet)}.`,
  '',
);

// ---- hand-off
if (!r.handoff && keptHandoff) p(keptHandoff, '');
if (r.handoff) {
  const h = r.handoff;
  const hrow = (name: string, s: HandOffSide) => row([name, s.samples.length, f(s.min), f(s.p50), f(s.p95), f(s.max), f(s.mean)]);
  const b = h.service.breakdownMedianMs;
  p(
    '## 2. Hand-off through Asterisk',
    '',
    '`bench/handoff-bench.ts`, its own Asterisk (test slot, own ports), SIPp on loopback. One SIPp phone',
    `(endpoint 1001) answers every call at once, talks ${h.talkMs.min / 1000}–${h.talkMs.max / 1000} s (uniform: no fixed phase against app_queue's`,
    `1 s re-checks) and hangs up; ${h.waiting} callers wait behind the one on the`,
    'line, so a next caller is always ready. **Hand-off = the phone\'s BYE → the next INVITE the same phone',
    'receives**, both from that phone\'s SIPp message trace (`-trace_msg`, SIPp\'s clock, µs).',
    '',
    '- **Service**: the hotline service (`src/main.ts`) with a fixture copy of `config/hotline.yaml`',
    '  (`var/bench/hotline.bench.yaml`): `wrapUpMs: 0` and a line `bench` (12356) with `route: general`, so',
    '  callers reach the queue without keys. The phone signs counsellor c1001 in by registering.',
    '- **app_queue**: queue `benchq` (`strategy = leastrecent`, `wrapuptime = 0`, `ringinuse = no`,',
    '  `timeout = 15`, `retry = 1`), rendered through `PbxParams.benchQueue`; callers dial 12399 →',
    '  `Answer()`, `Queue(benchq)`, added over AMI (`DialplanExtensionAdd`); member `PJSIP/1001` added and',
    '  removed with AMI `QueueAdd`/`QueueRemove`, statistics cleared with `QueueReset`, `QueueStatus` and',
    '  `AgentCalled`/`QueueMemberStatus` events read through `asterisk-manager`.',
    `- ${h.rounds} rounds, alternating service and app_queue, so both see the same background load.`,
    `  Callers are answered ${'12.5'} s before the phone registers: the service plays its privacy notice`,
    `  (${f(h.service.privacyNoticeMs / 1000)} s) in full before it offers a caller, and a hand-off to a caller still hearing it would`,
    `  measure the notice. Hand-offs left out for that reason: ${h.service.noticeGatedLeftOut.length}.`,
    '',
    row(['System', 'hand-offs', 'min', 'p50', 'p95', 'max', 'mean']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:']),
    hrow('service', h.service),
    hrow('app_queue', h.appQueue),
    '',
    `Milliseconds. app_queue / service: **${h.ratioP50}×** at p50, **${h.ratioP95}×** at p95. Callers waiting at each BYE:`,
    `service ${h.service.waitingAtBye.min}–${h.service.waitingAtBye.max}, app_queue ${h.appQueue.waitingAtBye.min}–${h.appQueue.waitingAtBye.max}.`,
    '',
    `Samples (ms), service: ${h.service.samples.join(', ')}.`,
    '',
    `Samples (ms), app_queue: ${h.appQueue.samples.join(', ')}.`,
    '',
    '### Where the service\'s hand-off time goes',
    '',
    'Medians over the hand-offs, from the service\'s own log lines (pino, ms resolution) against the phone\'s trace:',
    '',
    row(['Step', 'What happens', 'median ms']),
    row(['---', '---', '---:']),
    row(['BYE → "counsellor hung up"', 'Asterisk ends the leg; ARI event; leg lookup in Redis; the call\'s serial executor', f(b.byeToLegGone)]),
    row(['→ counsellor `call-ended` (free)', 'claim released, state stored (the caller\'s side is torn down only after the next offer)', f(b.legGoneToFree)]),
    row(['→ counsellor `offer`', 'matching: callers and counsellors read from Redis, `planOffers`, atomic claim, caller and live call stored', f(b.freeToOffer)]),
    row(['→ INVITE at the phone', 'channel link stored, ARI originate, Asterisk dials', f(b.offerToInvite)]),
    '',
    `app_queue, for comparison: AMI reports the member free (\`QueueMemberStatus\`, not in use) a median`,
    `${f(h.appQueue.byeToMemberFreeMedianMs)} ms after the BYE, and the INVITE follows a median **${f(h.appQueue.memberFreeToInviteMedianMs)} ms** after that: app_queue knows at once`,
    'that the member is free, but its waiting callers only notice on their own polling turn. (' +
      `${h.appQueue.agentCalledEvents} \`AgentCalled\` events, ${h.appQueue.completedCalls} calls completed in \`QueueStatus\`.)`,
    '',
  );
}

// ---- interleaved comparison of checkouts (bench/handoff-ab.ts)
if (ab) {
  const sides = Object.entries(ab.sides);
  const labels = sides.map(([k]) => k);
  const step = (k: string) => sides.map(([, s]) => f(s.breakdownMedianMs[k]));
  const tally = (o?: Record<string, number>) => (o ? Object.entries(o).map(([k, v]) => `${k} ${v}`).join(', ') : '–');
  p(
    '### Hand-off before and after the call machine, interleaved',
    '',
    `\`bench/handoff-ab.ts\`: the service hand-off rounds above, run from ${labels.length} checkouts in turn through one Asterisk`,
    `(${ab.rounds} rounds of ${ab.handoffsPerRound} hand-offs each, the order reversed every other round), so every checkout`,
    `sees the same background load. Load average ${ab.startedLoadAvg.join(' / ')} at the start, ${ab.endedLoadAvg.join(' / ')} at the end.`,
    ...(ab.notes ? ['', ...Object.entries(ab.notes).map(([k, v]) => `- **${k}**: ${v}`)] : []),
    '',
    row(['Checkout', 'hand-offs', 'p50', 'p95', 'max', 'median of round p50s', 'median of round p95s', 'round p50s', 'service CPU ms per hand-off (median of rounds)']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---', '---:']),
    ...sides.map(([k, s]) => row([k, s.n ?? 0, f(s.p50), f(s.p95), f(s.max), f(s.medianOfRoundP50), f(s.medianOfRoundP95), s.perRound.map((x) => f(x.p50)).join(', '), f(s.medianCpuMsPerHandOff)])),
    '',
    'Milliseconds. The service CPU time is user + system time of the service process over a round (`/proc/<pid>/stat`),',
    'divided by the round\'s hand-offs: it covers whole calls (answer, notice, queue, offer, connect, end), and every',
    'round serves the same number of callers on each side.',
    '',
    'Where the time goes (medians, ms, from the service log as above):',
    '',
    row(['Step', ...labels]),
    row(['---', ...labels.map(() => '---:')]),
    row(['BYE → "counsellor hung up"', ...step('byeToLegGone')]),
    row(['→ counsellor `call-ended` (free)', ...step('legGoneToFree')]),
    row(['→ counsellor `offer`', ...step('freeToOffer')]),
    row(['→ INVITE at the phone', ...step('offerToInvite')]),
    '',
  );
  // Each checkout against the first (the reference), on the medians of the interleaved rounds.
  const [refLabel, ref] = sides[0]!;
  const stepNames: Record<string, string> = { byeToLegGone: 'BYE → hung up', legGoneToFree: '→ free', freeToOffer: '→ offer', offerToInvite: '→ INVITE' };
  for (const [k, s] of sides.slice(1)) {
    const d = (x: number, y: number) => `${x - y >= 0 ? '+' : ''}${f(x - y)}`;
    const steps = Object.keys(stepNames).map((n) => `${stepNames[n]} ${d(s.breakdownMedianMs[n] ?? NaN, ref.breakdownMedianMs[n] ?? NaN)}`).join(', ');
    p(`- **${k}** against **${refLabel}**: median of round p50s ${d(s.medianOfRoundP50, ref.medianOfRoundP50)} ms, of round p95s ${d(s.medianOfRoundP95, ref.medianOfRoundP95)} ms; by step (ms): ${steps}.`);
  }
  p('');
  if (sides.some(([, s]) => s.counts)) {
    p(
      'Work per hand-off, counted in a separate untimed round per checkout (tracing slows it): Redis commands the',
      'service sent between the phone\'s BYE and its next INVITE (`redis-cli MONITOR`, commands naming the',
      'service\'s key prefix; a MULTI … EXEC and a script count each command inside), the Redis round trips made',
      'one after the other up to the new offer\'s channel link, written just before the originate (commands the',
      'server saw within 0.15 ms of the previous one count as sent together; a preempted process adds one), and',
      'ARI requests the service started in that window (`bench/bench-trace-preload.ts`). The commands and',
      'requests do not depend on the machine\'s load.',
      '',
      row(['Checkout', 'hand-offs counted', 'Redis commands (median)', 'Redis round trips in a row (median; each hand-off)', 'ARI requests (median)', 'Redis commands of the middle hand-off', 'ARI requests of the middle hand-off']),
      row(['---', '---:', '---:', '---', '---:', '---', '---']),
      ...sides.map(([k, s]) => row([
        k, s.counts?.handOffs ?? '–', s.counts?.redisMedian ?? '–',
        s.counts?.redisRoundTrips ? `${s.counts.redisRoundTripsMedian} (${s.counts.redisRoundTrips.join(', ')})` : '–',
        s.counts?.ariMedian ?? '–', tally(s.counts?.example?.redisByCommand), tally(s.counts?.example?.ariByRequest),
      ])),
      '',
    );
  }
  // --ab-finding (repeatable): what the comparison showed, in words, written with the run.
  const findings = argv.flatMap((x, i) => (x === '--ab-finding' && argv[i + 1] ? [argv[i + 1]!] : []));
  if (findings.length > 0) p(...findings.flatMap((x) => [x, '']));
}

// ---- load
if (!r.load && keptLoad) p(keptLoad.trimEnd(), '');
if (r.load) {
  const l = r.load;
  const usage = (u?: ProcUsage) => (u ? `${f(u.rssMbMax)} MB / ${f(u.cpuPctMean, 0)}% (max ${f(u.cpuPctMax, 0)}%)` : '–');
  const status = (x: RateRun) => (x.held ? `${x.ok}/${x.calls} ok` : `**failed** (${Object.entries(x.failures).map(([k, v]) => `${k.replace('(C)', '')} ${v}`).join(', ')})`);
  p(
    '## 3. Calls per second held without failures',
    '',
    `SIPp offers R new calls per second (R × 10 calls, at least 20) from the carrier address; each call must be answered`,
    `within ${l.answerTimeoutMs / 1000} s (INVITE → 200 OK in the callers' trace; later counts as failed, \`answeredLate\`) and stays`,
    `${l.holdMs / 1000} s (the caller then hangs up; a BYE from the far end is fine too).`,
    '- **service**: 12355 → the dialplan answers (`Answer(,i)`) → `Stasis` → the service plays the language menu.',
    '  The answer figure is therefore Asterisk\'s own (the dialplan\'s header reads and its answer), like',
    '  app_queue\'s; the service\'s share of a call\'s start shows in the first audio below. A call also fails if the',
    '  service never saw it, logged an error, or handed it back to the dialplan.',
    '- **app_queue**: 12399 → `Answer()`, `Queue(benchq)` with the member phone registered (it answers, talks',
    `  ${(() => { const t = l.talkMs ?? r.handoff?.talkMs; return t ? `${t.min / 1000}–${t.max / 1000}` : 'a few'; })()} s, hangs up). A call also fails if it never joined the queue (AMI \`QueueCallerJoin\`).`,
    '- Failure counts: SIPp\'s failed calls (`FailedCall` and its causes), calls answered late (`answeredLate`),',
    '  calls handed to the dialplan fallback (`handedToDialplan`), error lines in the service log (`serviceErrors`).',
    '- A failed rate is run once more; a second failure ends that system\'s climb. Process figures are RSS (max)',
    '  and CPU (% of one core, mean and max of 0.5 s samples) read from `/proc/<pid>` (what `ps` shows).',
    '- **Asterisk CPU per call**: the Asterisk process\'s CPU time (user + system, `/proc/<pid>/stat`) from the first',
    '  call placed to the last one ended, divided by the rate\'s calls (the 10 ms clock tick is the resolution of the total).',
    '',
    row(['rate (cps)', 'service', 'answer p50 / p95 ms', 'service RSS / CPU', 'Asterisk CPU (mean) · per call', 'app_queue', 'answer p50 / p95 ms', 'Asterisk CPU (mean) · per call']),
    row(['---:', '---', '---:', '---', '---:', '---', '---:', '---:']),
  );
  const astCpu = (x: RateRun) => `${f(x.asteriskProcess.cpuPctMean, 0)}% · ${f(x.asteriskCpuMsPerCall ?? (x.asteriskProcess.cpuSeconds * 1000) / x.calls)} ms`;
  const rates = [...new Set([...l.service.runs, ...l.appQueue.runs].map((x) => `${x.rate}#${x.attempt}`))]
    .map((k) => k.split('#').map(Number) as [number, number])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (const [rate, attempt] of rates) {
    const s = l.service.runs.find((x) => x.rate === rate && x.attempt === attempt);
    const q = l.appQueue.runs.find((x) => x.rate === rate && x.attempt === attempt);
    p(row([
      `${rate}${attempt > 1 ? ' (again)' : ''}`,
      s ? status(s) : '–', s ? `${f(s.answerMs.p50)} / ${f(s.answerMs.p95)}` : '–', usage(s?.serviceProcess), s ? astCpu(s) : '–',
      q ? status(q) : '–', q ? `${f(q.answerMs.p50)} / ${f(q.answerMs.p95)}` : '–', q ? astCpu(q) : '–',
    ]));
  }
  const limitHits = l.service.runs.filter((x) => !x.held && (x.httpSessionLimitHits ?? 0) > 0);
  if (limitHits.length > 0) {
    p(
      '',
      `Why the service failed at ${limitHits.map((x) => `${x.rate} cps`).filter((v, i, a) => a.indexOf(v) === i).join(', ')}: Asterisk logged "HTTP session count exceeded 100 sessions"`,
      `${limitHits.map((x) => x.httpSessionLimitHits).join(' and ')} times during those runs. The ARI client (fetch) opens one more connection whenever all open`,
      'ones are busy, Asterisk\'s HTTP server refuses connections beyond `sessionlimit` (100 by default, shared with the',
      'event WebSocket and the browser softphones), the ARI request fails ("fetch failed"), and the service hands the',
      'caller to the dialplan fallback (`handedToDialplan`): the caller hears the "line unavailable" message instead of the menu.',
    );
  }
  p(
    '',
    `Highest rate held with zero failed calls: **service ${l.service.heldCps} cps**, **app_queue ${l.appQueue.heldCps} cps**` +
      (l.service.heldCps === Math.max(...l.rates) && l.appQueue.heldCps === Math.max(...l.rates) ? ' (both held the highest rate tried; the limit is above it).' : '.'),
    l.service.idleProcess ? `The service idle before the climb: ${usage(l.service.idleProcess)}.` : '',
    '',
  );
  // Within 2× of app_queue's answer p95 at every rate app_queue held (issue #15).
  const heldByQueue = l.appQueue.runs.filter((x) => x.held);
  const ratios = heldByQueue.flatMap((q) => {
    const s = l.service.runs.find((x) => x.rate === q.rate && x.attempt === 1);
    return s ? [{ rate: q.rate, ratio: s.answerMs.p95 / q.answerMs.p95 }] : [];
  });
  if (ratios.length > 0) {
    p(
      `Service answer p95 against app_queue's at the rates app_queue held: ${ratios.map((x) => `${x.rate} cps ${f(x.ratio, 2)}×`).join(', ')}`,
      `(target: within 2×, ${yes(ratios.every((x) => x.ratio <= 2))}).`,
      '',
    );
  }
}
if (ariPerCall.length > 0) {
  const side = (label: string, x: AriPerCallSide) => row([label, f(x.answerMs.p50), f(x.answerMs.p95), f(x.firstAudioMs.p50), f(x.firstAudioMs.p95), f(x.answerToFirstAudioMs.p50), f(x.asteriskCpuMsPerCall)]);
  const tallyOf = (o: Record<string, number>) => Object.entries(o).map(([k, v]) => `\`${k}\` ${v}`).join(', ');
  const first = ariPerCall[0]!.r;
  p(
    '### What a call asks of Asterisk, and its first audio',
    '',
    `\`bench/ari-per-call.ts\`: the load calls above (answered, on the line ${first.holdMs / 1000} s, then the caller hangs up) at a low rate,`,
    'through the same kind of benchmark Asterisk. ARI requests the service started and ARI events it received, tied to',
    'each caller\'s channel (`bench/bench-trace-preload.ts`), are counted per call; they do not depend on the load. The',
    'callers\' SDP offers the port of a UDP socket of the script, which notes the first RTP packet from each call\'s',
    'Asterisk port: **first audio = INVITE → the first packet of the prompt** (service: the language menu; app_queue: its',
    'music on hold), the moment a caller first hears something. It is measured here and not in the climb, where one',
    'socket reading every packet of hundreds of calls would load the machine it measures.',
    '',
    row(['Run', 'calls', 'ARI requests per call', 'ARI events per call', 'playbacks per call']),
    row(['---', '---:', '---', '---', '---:']),
    ...ariPerCall.map(({ label, r: x }) => row([
      `${label || x.at.slice(0, 16).replace('T', ' ')} (${x.calls} calls at ${x.rate} cps)`, x.service.ari.calls,
      `${x.service.ari.requestsPerCall.median}: ${tallyOf(x.service.ari.requestsPerCall.byKind)}`,
      `${x.service.ari.eventsPerCall.median}: ${tallyOf(x.service.ari.eventsPerCall.byType)}`, x.service.ari.playbacksPerCall,
    ])),
    '',
    row(['Run, system', 'answer p50', 'answer p95', 'first audio p50', 'first audio p95', 'answer → first audio p50', 'Asterisk CPU ms per call']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:']),
    ...ariPerCall.flatMap(({ label, r: x }) => [side(`${label || x.at.slice(0, 16)}, service`, x.service), side(`${label || x.at.slice(0, 16)}, app_queue`, x.appQueue)]),
    '',
    'Milliseconds. app_queue\'s dialplan here is the benchmark\'s `Answer()`, `Queue(benchq)`: a plain `Answer()` waits up',
    'to 500 ms for the caller\'s audio before going on, and these callers send none, so its music starts about 500 ms after',
    'the answer (a real phone\'s audio ends that wait at once). At this rate the Asterisk CPU per call includes its idle',
    'time over the run; the climb\'s figures above are the ones to compare.',
    '',
  );
}

// ---- analytics (its own benchmark; the section is kept when the call benchmarks are rerun)
const notRerun = '> Kept from the previous page: this run did not measure it (its own run date is above).';
if (analyticsFile && existsSync(analyticsFile)) p(...analyticsSection(JSON.parse(readFileSync(analyticsFile, 'utf8')) as AnalyticsReport));
else if (keptSection('4\\. Analytics')) p(keptSection('4\\. Analytics')!, '', notRerun, '');
if (timeToHumanFile && existsSync(timeToHumanFile)) p(...timeToHumanSection(JSON.parse(readFileSync(timeToHumanFile, 'utf8')) as TimeToHuman));
else if (keptSection('5\\. Time to a human')) p(keptSection('5\\. Time to a human')!, '', notRerun, '');
if (clusterFile && existsSync(clusterFile)) p(...clusterSection(JSON.parse(readFileSync(clusterFile, 'utf8')) as ClusterReport));
else if (keptSection('6\\. Cluster')) p(keptSection('6\\. Cluster')!, '', notRerun, '');

p(
  '## Reproduce',
  '',
  '```sh',
  'npm run bench                      # setup, both benchmarks, this page (test slot 4 unless HOTLINE_TEST_SLOT is set)',
  'node --import tsx bench/matching-bench.ts [--json]',
  'HOTLINE_TEST_SLOT=4 node --import tsx bench/handoff-bench.ts [--json] [--handoffs 30] [--rounds 2] [--rates 2,5,10,20,40,60,80,100,120,160,200,250,300,350,400] [--skip-load] [--skip-handoff]',
  '# hand-off of several checkouts, interleaved (e.g. an old commit in a git worktree with its own npm ci):',
  'HOTLINE_TEST_SLOT=4 node --import tsx bench/handoff-ab.ts --side before=../old-checkout --side after=. [--rounds 3] [--handoffs 15] [--json] > var/bench/handoff-ab.json',
  'node --import tsx bench/bench-report.ts var/bench/matching.json var/bench/handoff.json [--ab var/bench/handoff-ab.json] [--ab-counts counts.json] [--ab-finding \'text\'] [--keep-load-from docs/benchmarks.md]',
  'HOTLINE_TEST_SLOT=4 node --import tsx bench/time-to-human.ts [--label after] [--runs 1] [--only silence,mandarin-0]   # section 5',
  'HOTLINE_TEST_SLOT=4 node --import tsx bench/ari-per-call.ts [--calls 40] [--rate 5] [--json] > var/bench/ari-per-call.json   # section 3, per call',
  'npm run bench -- --load-only [50,100,200,300]   # section 3 alone (the three commands below), the rest of this page kept',
  'HOTLINE_TEST_SLOT=4 node --import tsx bench/handoff-bench.ts --skip-handoff --rates 50,100,200,300 --json > var/bench/handoff.json',
  'node --import tsx bench/bench-report.ts - var/bench/handoff.json --keep-load-from docs/benchmarks.md [--ari-per-call label=var/bench/ari-per-call.json]',
  'npm run bench:cluster              # section 6 only: bench/cluster-bench.ts, then bench/cluster-report.ts --into this page',
  'HOTLINE_TEST_SLOT=4 node --import tsx bench/cluster-bench.ts [--json] [--rates 10,25,50,100,150] [--handoffs 20] [--kill-rate 10] [--kill-after 12] [--kill-for 30]',
  '```',
  '',
  'SIPp working directories (scenarios, message traces, statistics) are kept under `/tmp/hotline-bench-*`;',
  'the service logs of the run under `var/bench/`.',
  '',
);

process.stdout.write(out.join('\n'));
