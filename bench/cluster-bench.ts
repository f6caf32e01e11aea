/**
 * Cluster benchmark (issue #15): the cluster profile of a test slot (Kamailio on 127.0.1.10 in
 * front of three Asterisk nodes on 127.0.1.1-3, the service driving all three), in one run:
 *
 *   HOTLINE_TEST_SLOT=7 node --import tsx bench/cluster-bench.ts [--json] [--rates 10,25,50,100,150]
 *     [--handoffs 20] [--kill-rate 10] [--kill-after 12] [--kill-for 30]
 *
 * (1) With 1 node in Kamailio's dispatcher set (the other two disabled there, still running), then
 *     with all 3: the hand-off (counsellor phone's BYE → its next INVITE, bench/handoff-bench.ts's
 *     service round through the edge) and the calls per second held (bench/load-run.ts: SIPp callers
 *     from the carrier address to Kamailio, the single-node section's failure rules).
 * (2) With 3 nodes under steady load (--kill-rate calls per second to 12355, each held 3 s), one node
 *     is killed with SIGKILL after --kill-after seconds: the time from the kill to the first 200 OK
 *     of a call placed after it, that call's INVITE → 200 OK, the slowest answer among the calls placed
 *     in the next 5 s (those sent to the dead node before Kamailio took it out fail over after the
 *     1.5 s transaction timeout), when Kamailio marked the node inactive, and the calls that failed.
 *
 * One service instance (the cluster's standby adds nothing to a call's path). `--json` prints one
 * JSON object (what scripts/bench.sh --cluster stores in var/bench/cluster.json).
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { isAsteriskRunning } from '../src/adapters/asterisk/asterisk-process.ts';
import { clusterKamailioParams, clusterLayout, clusterNodeParams, clusterServiceEnv, type ClusterLayout } from '../src/adapters/asterisk/cluster-profile.ts';
import { pbxForProfile } from '../src/adapters/asterisk/pbx-profile.ts';
import { kamailioPid } from '../src/adapters/kamailio/kamailio-process.ts';
import { clusterControl, type ClusterControl } from '../tests/support/cluster-control.ts';
import { ROOT } from './bench-pbx.ts';
import { procSample, serviceLog, startBenchService, writeFixtureConfig, type BenchService, type ServiceLog } from './bench-service.ts';
import { startCallers, type BenchTarget, type SippRun } from './bench-sipp.ts';
import { round1, summarize } from './bench-stats.ts';
import { handOffResult, handOffServiceRound, machine, PHONE_USER, TALK_MS } from './handoff-bench.ts';
import { answerTimes, climb, LOAD_ANSWER_TIMEOUT_MS, LOAD_HOLD_MS, loadCalls, loadVerdict, serviceFailures, startLoadCallers, type LoadVerdict } from './load-run.ts';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const RATES = (opt('--rates') ?? '10,25,50,100,150').split(',').map(Number).filter((r) => r > 0);
const HANDOFFS = Number(opt('--handoffs') ?? 20);
const KILL_RATE = Number(opt('--kill-rate') ?? 10);
const KILL_AFTER_S = Number(opt('--kill-after') ?? 12);
const KILL_FOR_S = Number(opt('--kill-for') ?? 30);
/** The node killed: ast2 (any would do; round-robin spreads the calls evenly). */
const KILLED = 1;
/** Calls placed within this long after the kill are the ones that may meet the dead node. */
const AFTER_KILL_WINDOW_MS = 5000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line: string) => process.stderr.write(`[cluster-bench] ${line}\n`);

const nodeOf = (callId: string | undefined) => callId?.split('-', 1)[0] ?? '?';
const tally = (xs: string[]) => xs.reduce<Record<string, number>>((o, x) => ({ ...o, [x]: (o[x] ?? 0) + 1 }), {});
/** Calls the service saw per node (its call ids start with the node's systemname). */
const perNode = (lines: ServiceLog[]) => tally(lines.filter((l) => l.msg === 'caller entered').map((l) => nodeOf(l.callId)));

/** CPU time (s, user + system) of processes and, with `children`, of the processes they forked (Kamailio's workers). */
function cpuSeconds(pids: number[], children = false): number {
  const all = children ? pids.flatMap((p) => [p, ...spawnSync('pgrep', ['-P', String(p)], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number)]) : pids;
  return all.reduce((sum, p) => sum + (procSample(p)?.cpuS ?? 0), 0);
}

/** Mean CPU (% of one core) of the service, the Asterisk nodes together and Kamailio over a stretch of time. */
function cpuMeter(svc: BenchService, layoutPids: () => { nodes: number[]; kamailio: number }) {
  const t0 = performance.now();
  const read = () => ({ svc: cpuSeconds([svc.pid]), nodes: cpuSeconds(layoutPids().nodes), kamailio: cpuSeconds([layoutPids().kamailio], true) });
  const a = read();
  return () => {
    const b = read();
    const s = (performance.now() - t0) / 1000;
    return { servicePct: round1(((b.svc - a.svc) / s) * 100), asteriskNodesPct: round1(((b.nodes - a.nodes) / s) * 100), kamailioPct: round1(((b.kamailio - a.kamailio) / s) * 100) };
  };
}

/**
 * RTP ports of the benchmark's nodes: 1,000 RTP instances each, enough for the calls one node holds at
 * the top rate (150 cps × about 3 s). The profile's 200 ports a node made the climb measure port
 * exhaustion (488 Not Acceptable Here from the 101st call at once), as the single PBX's narrower
 * range once did (bench/bench-pbx.ts). Clear of the test profiles, the single benchmark PBX
 * (20000-29999) and the SIPp ports (36000-43000).
 */
const widenRtp = (layout: ClusterLayout): ClusterLayout => ({
  ...layout,
  nodes: layout.nodes.map((n, i) => ({ ...n, rtpStart: 44_000 + i * 2000, rtpEnd: 44_000 + i * 2000 + 1999 })),
});

interface ClusterRate extends LoadVerdict {
  rate: number;
  attempt: number;
  callsPerNode: Record<string, number>;
  cpu: { servicePct: number; asteriskNodesPct: number; kamailioPct: number };
}

async function main(): Promise<void> {
  const slot = Number(process.env.HOTLINE_TEST_SLOT ?? 0);
  if (!Number.isInteger(slot) || slot < 1 || slot > 9) throw new Error('set HOTLINE_TEST_SLOT (1-9) so the benchmark gets its own cluster and ports');
  const password = pbxForProfile(ROOT, 'test').secrets.sip[PHONE_USER];
  if (!password) throw new Error(`no SIP password for ${PHONE_USER} in the test profile's secrets`);
  // Kamailio dispatches only the hotline numbers of the config it starts with: the fixture's line 12356 too.
  const config = writeFixtureConfig();
  process.env.HOTLINE_CONFIG = config;
  const layout = widenRtp(clusterLayout('test'));
  const control = clusterControl(ROOT, layout);
  const pids = () => ({
    nodes: layout.nodes.map((_n, i) => isAsteriskRunning(clusterNodeParams(ROOT, layout, i)) ?? 0).filter(Boolean),
    kamailio: kamailioPid(clusterKamailioParams(ROOT, layout)) ?? 0,
  });
  const target: BenchTarget = { host: layout.edge.address, port: layout.edge.sipPort, hangUpAll: (graceMs = 15_000) => settleCluster(control, layout.nodes.length, graceMs) };
  const profileEnv = clusterServiceEnv(ROOT, layout, 0);
  say(`starting the cluster of slot ${slot}: Kamailio ${layout.edge.address}:${layout.edge.sipPort}, nodes ${layout.nodes.map((n) => n.address).join(', ')}`);
  await control.stop(); // a fresh start: this run's config and no calls left over
  await control.ensure();
  try {
    const kamailio = /kamailio (\S+)/.exec(spawnSync('kamailio', ['-v'], { encoding: 'utf8' }).stdout)?.[1];
    const info = { ...machine(clusterNodeParams(ROOT, layout, 0)), kamailio: kamailio ? `Kamailio ${kamailio}` : 'unknown' };
    const startedAt = new Date().toISOString();
    const phases = [];
    for (const nodes of [[0], [0, 1, 2]]) {
      const n = nodes.length;
      await control.useNodes(nodes);
      say(`${n} node(s): hand-off, ${HANDOFFS} hand-offs`);
      const h = await handOffServiceRound(target, config, password, HANDOFFS, profileEnv);
      const handoff = { ...handOffResult(h.kept), noticeGatedLeftOut: h.noticeGated.length };
      say(`${n} node(s): hand-off p50/p95 ${handoff.p50}/${handoff.p95} ms (${handoff.n})`);
      const svc = await startBenchService(`cluster-load-${n}`, config, profileEnv);
      try {
        const load = await climb(RATES, `${n} node(s)`, (rate, attempt) => loadOnce(svc, target, rate, attempt, pids), say);
        phases.push({ nodes: n, handoff, load });
      } finally {
        await svc.stop();
        await target.hangUpAll();
      }
    }
    say(`node kill: ${KILL_RATE} cps for ${KILL_FOR_S} s, ast${KILLED + 1} killed after ${KILL_AFTER_S} s`);
    const kill = await killUnderLoad(control, layout, target, config, profileEnv);
    say(`kill → first new call answered ${kill.killToFirstNewAnswerMs} ms (its INVITE → 200 OK ${kill.firstNewCall?.inviteToAnswerMs} ms); failed calls ${kill.failedCalls.total}`);
    const report = {
      startedAt, finishedAt: new Date().toISOString(), slot,
      machine: { ...info, loadAvgAtEnd: loadavg().map(round1) },
      settings: {
        rates: RATES, holdMs: LOAD_HOLD_MS, answerTimeoutMs: LOAD_ANSWER_TIMEOUT_MS, handoffs: HANDOFFS, talkMs: TALK_MS,
        killRate: KILL_RATE, killAfterS: KILL_AFTER_S, killForS: KILL_FOR_S, edge: `${layout.edge.address}:${layout.edge.sipPort}`,
        nodes: layout.nodes.map((x) => `${x.id} ${x.address}`), rtpPortsPerNode: layout.nodes[0]!.rtpEnd - layout.nodes[0]!.rtpStart + 1,
      },
      phases, kill,
    };
    process.stdout.write(`${JSON.stringify(report, null, args.includes('--json') ? 0 : 2)}\n`);
  } finally {
    await control.stop();
  }
}

/** One rate through the edge, with the service's own failure rules, the calls each node took and the CPU spent. */
async function loadOnce(svc: BenchService, target: BenchTarget, rate: number, attempt: number, pids: () => { nodes: number[]; kamailio: number }): Promise<ClusterRate> {
  const calls = loadCalls(rate);
  const logFrom = serviceLog(svc).length;
  const cpu = cpuMeter(svc, pids);
  const callers = await startLoadCallers(target, '12355', rate, `cluster-load-${rate}`);
  await callers.done;
  const usage = cpu();
  await target.hangUpAll(20_000);
  const lines = serviceLog(svc).slice(logFrom);
  return { rate, attempt, ...loadVerdict(callers, calls, serviceFailures(lines, calls)), callsPerNode: perNode(lines), cpu: usage };
}

/** Per call of a callers' trace: its INVITE's time, and whether it ended cleanly (a BYE answered 200 either way). */
function callOutcomes(callers: SippRun): Map<string, { sentAt: number; completed: boolean }> {
  const calls = new Map<string, { sentAt: number; completed: boolean; byeSent: boolean }>();
  for (const m of callers.trace()) {
    if (m.direction === 'sent' && m.firstLine.startsWith('INVITE ') && !calls.has(m.callId)) calls.set(m.callId, { sentAt: m.at, completed: false, byeSent: false });
    const c = calls.get(m.callId);
    if (!c) continue;
    if (m.direction === 'sent' && m.firstLine.startsWith('BYE ')) c.byeSent = true;
    // Our BYE answered 200, or the far end's BYE (which the scenario answers).
    if ((m.direction === 'received' && m.firstLine.startsWith('SIP/2.0 200') && m.cseq.endsWith('BYE')) || (m.direction === 'received' && m.firstLine.startsWith('BYE '))) c.completed = true;
  }
  return new Map([...calls].map(([id, c]) => [id, { sentAt: c.sentAt, completed: c.completed }]));
}

async function killUnderLoad(control: ClusterControl, layout: ClusterLayout, target: BenchTarget, config: string, profileEnv: Record<string, string>) {
  await control.useNodes([0, 1, 2]);
  const svc = await startBenchService('cluster-kill', config, profileEnv);
  try {
    const total = KILL_RATE * KILL_FOR_S;
    const callers = await startCallers({
      number: '12355', pbxHost: target.host, pbxPort: target.port, rate: KILL_RATE, total, answerTimeoutMs: LOAD_ANSWER_TIMEOUT_MS,
      holdMs: LOAD_HOLD_MS, budgetS: KILL_FOR_S + 60,
    }, 'cluster-kill');
    await sleep(KILL_AFTER_S * 1000);
    const { pid, at: killedAt } = control.killNode(KILLED);
    // When Kamailio's probes take the dead node out of the set (flags I: inactive).
    const dead = control.nodeUri(KILLED);
    let inactiveAt: number | null = null;
    while (inactiveAt === null && Date.now() - killedAt < 10_000) {
      const t = (await control.dispatcher()).find((x) => x.uri === dead);
      if (t && !t.flags.startsWith('A')) inactiveAt = Date.now();
      else await sleep(50);
    }
    await callers.done;
    await target.hangUpAll(20_000);
    const lines = serviceLog(svc);
    const answers = answerTimes(callers);
    const outcomes = callOutcomes(callers);
    const after = answers.filter((a) => a.sentAt >= killedAt).sort((a, b) => a.answeredAt - b.answeredAt);
    const first = after[0];
    const windowAnswers = after.filter((a) => a.sentAt < killedAt + AFTER_KILL_WINDOW_MS);
    const placedAfter = [...outcomes.values()].filter((c) => c.sentAt >= killedAt);
    const placedBefore = [...outcomes.values()].filter((c) => c.sentAt < killedAt);
    const answeredIds = new Set(answers.filter((a) => a.ms <= LOAD_ANSWER_TIMEOUT_MS).map((a) => a.callId));
    const untilFirst = first ? [...outcomes].filter(([, c]) => c.sentAt >= killedAt && c.sentAt <= first.sentAt) : [];
    const verdict = loadVerdict(callers, total, {});
    const errors = lines.filter((l) => l.level >= 50) as Array<ServiceLog & { code?: string }>;
    const nodeAt = (contact: string) => layout.nodes.find((n) => contact.includes(`@${n.address}:`) || contact.includes(`:${n.address}:`))?.id ?? contact;
    const enteredAfter = lines.filter((l) => l.msg === 'caller entered' && l.time >= killedAt);
    return {
      killedNode: `ast${KILLED + 1}`, killedPid: pid, killedAtIso: new Date(killedAt).toISOString(), calls: total,
      killToInactiveInKamailioMs: inactiveAt === null ? null : inactiveAt - killedAt,
      killToFirstNewAnswerMs: first ? round1(first.answeredAt - killedAt) : null,
      firstNewCall: first ? { sentAfterKillMs: round1(first.sentAt - killedAt), inviteToAnswerMs: round1(first.ms) } : null,
      // Calls placed in the 5 s after the kill: INVITE → 200 OK (failover after the dead node's 1.5 s timeout shows here).
      afterKillWindow: { ms: AFTER_KILL_WINDOW_MS, answer: summarize(windowAnswers.map((a) => a.ms)), overOneSecond: windowAnswers.filter((a) => a.ms > 1000).length },
      answerAfterKill: summarize(after.map((a) => a.ms)),
      failedCalls: {
        total: verdict.failed,
        // SIPp's causes (the service's own rules are reported apart: the dead node's calls end abnormally there too).
        sippCauses: verdict.failures,
        // In progress at the kill: those on the dead node lose their far end (their BYE gets no 200).
        placedBeforeKill: placedBefore.filter((c) => !c.completed).length,
        placedAfterKill: placedAfter.filter((c) => !c.completed).length,
        placedAfterKillNotAnsweredIn5s: [...outcomes].filter(([id, c]) => c.sentAt >= killedAt && !answeredIds.has(id)).length,
        placedBetweenKillAndFirstNewAnswer: { placed: untilFirst.length, failed: untilFirst.filter(([id]) => !answeredIds.has(id)).length },
      },
      // The node of each answer, from its Contact (Kamailio only record-routes): none may be the dead one.
      firstNewCallNode: first ? nodeAt(first.contact) : null,
      answeredPerNodeAfterKill: tally(after.map((a) => nodeAt(a.contact))),
      serviceSawEnteringAfterKill: perNode(enteredAfter),
      callsPerNode: perNode(lines),
      serviceErrorLines: errors.length,
      serviceErrors: tally(errors.map((l) => `${l.code ?? ''} ${l.msg}`.trim())),
    };
  } finally {
    await svc.stop();
  }
}

/**
 * Waits until no node has a channel left; after `graceMs` hangs up whatever remains over ARI (this
 * slot's cluster only). A dead node answers nothing and counts as empty.
 */
async function settleCluster(control: ClusterControl, nodeCount: number, graceMs: number): Promise<void> {
  const channels = async () => (await Promise.all(Array.from({ length: nodeCount }, async (_x, i) =>
    ((await control.nodeAri<Array<{ id: string }>>(i, 'GET', '/channels').catch(() => [])) ?? []).map((c) => ({ node: i, id: c.id }))))).flat();
  const until = Date.now() + graceMs;
  while (Date.now() < until) {
    if ((await channels()).length === 0) return;
    await sleep(250);
  }
  for (const c of await channels()) await control.nodeAri(c.node, 'DELETE', `/channels/${c.id}`).catch(() => undefined);
  await sleep(1000);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
