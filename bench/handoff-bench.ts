/**
 * Hand-off and call-rate benchmark: the hotline service against Asterisk's own app_queue, through
 * the same real Asterisk, with SIPp callers and a SIPp counsellor phone, in one run.
 *
 *   HOTLINE_TEST_SLOT=4 node --import tsx bench/handoff-bench.ts [--json] [--handoffs 30] [--rounds 2]
 *     [--rates 2,5,10,20,40,60,80,100,120,160,200,250,300,350,400] [--skip-load] [--skip-handoff]
 *
 * (a) Hand-off: one phone (1001) answers each offer, talks 1.5-2.5 s (random per call) and hangs
 *     up; 8 callers wait behind the one on the line, so the next one is always ready. The hand-off
 *     is the time from the phone's BYE to the next INVITE the same phone receives, both read from
 *     the phone's SIPp message trace (SIPp's clock, microseconds). Service: callers dial the
 *     fixture line 12356 (route: general, wrapUpMs 0). app_queue: callers dial 12399 → Answer(),
 *     Queue(benchq) (leastrecent, wrapuptime 0, ringinuse no) with PJSIP/1001 as the one member,
 *     added over AMI. Rounds alternate between the two, so both see the same background load.
 * (b) Call rate: SIPp offers R calls per second (R×10 calls, at least 20) that are answered and
 *     hang up after `LOAD_HOLD_MS`: to 12355 (answered in the dialplan, then the service plays the
 *     language menu) and to 12399 (app_queue with the member registered). A rate is held when no
 *     call failed; each system stops climbing after a failed rate that also fails when repeated.
 *     Asterisk's CPU time over each rate's run is divided by its calls (CPU per call).
 *
 * The benchmark uses its own test slot (Asterisk, ports), Redis prefix and database, and ends only
 * the processes it started. `--json` prints one JSON object (what scripts/bench.sh stores).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pbxForProfile } from '../src/adapters/asterisk/pbx-profile.ts';
import type { PbxParams } from '../src/adapters/asterisk/render-config.ts';
import {
  addMember, addQueueEntry, asteriskVersion, BENCH_LINE_NUMBER, BENCH_QUEUE_NUMBER, connectAmi, pbxTarget, queueStatus, removeMember,
  resetQueueStats, ROOT, settle, startBenchPbx, type Ami, type BenchPbx,
} from './bench-pbx.ts';
import {
  procSample, serviceLog, startBenchService, watchProcess, writeFixtureConfig, type BenchService, type ProcUsage, type ServiceLog,
} from './bench-service.ts';
import { startCallers, startPhone, type BenchTarget, type TracedMessage } from './bench-sipp.ts';
import { median, round1, summarize } from './bench-stats.ts';
import { climb, LOAD_ANSWER_TIMEOUT_MS, LOAD_HOLD_MS, loadCalls, loadVerdict, serviceFailures, startLoadCallers, type LoadVerdict } from './load-run.ts';

export const PHONE_USER = '1001';
const COUNSELLOR_ID = 'c1001';
/** The phone talks a random time in this range (uniform), then hangs up: the counsellor becomes free. */
export const TALK_MS = { min: 1500, max: 2500 };
/** Callers waiting behind the one on the line (SIPp -l is one more). */
const WAITING = 8;
const DEFAULT_RATES = [2, 5, 10, 20, 40, 60, 80, 100, 120, 160, 200, 250, 300, 350, 400];
/** Callers are answered this long before the phone registers (longer than the privacy notice). */
const WARM_UP_MS = 12_500;
const NOTICE_MS = wavMs(join(ROOT, 'var/sounds/hotline/cmn/privacy_notice.wav'));

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const JSON_OUT = args.includes('--json');
const HANDOFFS = Number(opt('--handoffs') ?? 30);
const ROUNDS = Math.max(1, Number(opt('--rounds') ?? 2));
const RATES = (opt('--rates') ?? DEFAULT_RATES.join(',')).split(',').map(Number).filter((r) => r > 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line: string) => process.stderr.write(`[handoff-bench] ${line}\n`);

// ---------------------------------------------------------------------------------------------
// Reading traces

/** The first initial INVITE (no To tag) per Call-ID received, and the first BYE per Call-ID sent. */
export function phoneEvents(trace: TracedMessage[]): { invites: TracedMessage[]; byes: TracedMessage[] } {
  const firstPer = (ms: TracedMessage[]) => [...new Map(ms.reverse().map((m) => [m.callId, m])).values()].sort((a, b) => a.at - b.at);
  return {
    invites: firstPer(trace.filter((m) => m.direction === 'received' && m.firstLine.startsWith('INVITE ') && !m.toTag)),
    byes: firstPer(trace.filter((m) => m.direction === 'sent' && m.firstLine.startsWith('BYE '))),
  };
}

export interface HandOff { byeAt: number; inviteAt: number; ms: number; waitingAtBye: number }

/** BYE sent by the phone → the next new INVITE it received; with the callers still waiting at the BYE. */
export function handOffs(phone: TracedMessage[], callers: TracedMessage[]): HandOff[] {
  const { invites, byes } = phoneEvents(phone);
  const answered = new Map<string, number>();
  const ended = new Map<string, number>();
  for (const m of callers) {
    if (m.direction === 'received' && m.firstLine.startsWith('SIP/2.0 200') && m.cseq.endsWith('INVITE') && !answered.has(m.callId)) answered.set(m.callId, m.at);
    if (m.firstLine.startsWith('BYE ') && !ended.has(m.callId)) ended.set(m.callId, m.at);
  }
  const out: HandOff[] = [];
  for (const bye of byes) {
    const next = invites.find((i) => i.at > bye.at);
    if (!next) continue;
    // Callers on the line at the BYE, minus the one whose counsellor is hanging up.
    const onLine = [...answered].filter(([id, at]) => at < bye.at && (ended.get(id) ?? Infinity) > bye.at).length;
    out.push({ byeAt: bye.at, inviteAt: next.at, ms: round1(next.at - bye.at), waitingAtBye: onLine - 1 });
  }
  return out;
}

/** Where the service's hand-off time goes, from its own log lines (ms resolution). */
function serviceBreakdown(hs: HandOff[], log: ServiceLog[], noticeMs: number) {
  const after = (t: number, pred: (l: ServiceLog) => boolean) => log.find((l) => l.time >= Math.floor(t) && pred(l));
  const queuedAt = new Map(log.filter((l) => l.msg === 'caller queued' && l.callId).map((l) => [l.callId!, l.time]));
  const steps: Array<Record<string, number>> = [];
  const noticeGated: number[] = [];
  const kept: HandOff[] = [];
  for (const h of hs) {
    const gone = after(h.byeAt, (l) => l.msg === 'counsellor hung up; ending the call');
    const free = gone && after(gone.time, (l) => l.msg === 'counsellor state' && l.event === 'call-ended' && l.counsellorId === COUNSELLOR_ID);
    const offer = free && after(free.time, (l) => l.msg === 'counsellor state' && l.event === 'offer' && l.counsellorId === COUNSELLOR_ID);
    const ringing = offer && after(offer.time, (l) => l.msg === 'offer ringing');
    const enq = ringing?.callId ? queuedAt.get(ringing.callId) : undefined;
    // A caller still hearing the privacy notice may not be offered yet (the service's rule):
    // such a hand-off measures the notice, not the queue, and is left out.
    if (enq !== undefined && enq + noticeMs > h.byeAt) {
      noticeGated.push(h.ms);
      continue;
    }
    kept.push(h);
    if (gone && free && offer) {
      steps.push({
        byeToLegGone: gone.time - h.byeAt,
        legGoneToFree: free.time - gone.time,
        freeToOffer: offer.time - free.time,
        offerToInvite: h.inviteAt - offer.time,
      });
    }
  }
  return { kept, noticeGated, steps };
}

/** Duration of a PCM WAV file in ms (the privacy notice the service plays before offering). */
function wavMs(file: string): number {
  const b = readFileSync(file);
  const byteRate = b.readUInt32LE(28);
  const data = b.indexOf('data');
  return data > 0 && byteRate > 0 ? Math.round((b.readUInt32LE(data + 4) / byteRate) * 1000) : 0;
}

// ---------------------------------------------------------------------------------------------
// (a) hand-off

async function handOffRun(target: BenchTarget, number: string, password: string, label: string, handoffs: number) {
  // Callers first: they are answered and wait; the phone registers once the first ones are ready
  // (the service plays its privacy notice in full before it offers a caller).
  const callers = await startCallers({
    number, pbxHost: target.host, pbxPort: target.port, rate: 5, total: handoffs + WAITING + 2, limit: WAITING + 1,
    answerTimeoutMs: 10_000, holdMs: 110_000, budgetS: Math.ceil(handoffs * (TALK_MS.max / 1000 + 1)) + 120,
  }, `${label}-callers`);
  await sleep(WARM_UP_MS);
  const phone = await startPhone({ user: PHONE_USER, password, talkMinMs: TALK_MS.min, talkMaxMs: TALK_MS.max, pbxHost: target.host, pbxPort: target.port });
  // `handoffs` hand-offs are complete once the phone has had handoffs + 1 offers.
  const until = Date.now() + handoffs * (TALK_MS.max + 2000) + 30_000;
  while (phoneEvents(phone.trace()).invites.length < handoffs + 1 && Date.now() < until) await sleep(250);
  await sleep(200);
  await callers.stop();
  await target.hangUpAll(0); // the callers still waiting are hung up here (the benchmark's own PBX or cluster only)
  await phone.unregister();
  const hs = handOffs(phone.trace(), callers.trace()).slice(0, handoffs);
  if (hs.length < handoffs) say(`${label}: only ${hs.length} of ${handoffs} hand-offs happened in time`);
  return { phone, callers, hs };
}

export function handOffResult(hs: HandOff[]) {
  return {
    ...summarize(hs.map((h) => h.ms)),
    samples: hs.map((h) => h.ms),
    waitingAtBye: { min: Math.min(...hs.map((h) => h.waitingAtBye)), max: Math.max(...hs.map((h) => h.waitingAtBye)) },
  };
}

/**
 * One round of service hand-offs: its own service process (the profile's environment, the slot's
 * PBX unless `profileEnv` says otherwise), callers and phone.
 */
export async function handOffServiceRound(target: BenchTarget, config: string, password: string, handoffs: number, profileEnv?: Record<string, string>) {
  const svc = await startBenchService('handoff', config, profileEnv);
  try {
    // The service's CPU time over the round (user + system): every call of the round, start to end.
    const cpuAtStart = procSample(svc.pid)?.cpuS ?? NaN;
    const { hs } = await handOffRun(target, BENCH_LINE_NUMBER, password, 'service', handoffs);
    const serviceCpuS = (procSample(svc.pid)?.cpuS ?? NaN) - cpuAtStart;
    return { ...serviceBreakdown(hs, serviceLog(svc), NOTICE_MS + 300), serviceCpuS };
  } finally {
    await svc.stop();
    await target.hangUpAll();
  }
}

/** One round of app_queue hand-offs, with the member's status changes observed over AMI. */
export async function handOffAppQueueRound(pbx: BenchPbx, ami: Ami, password: string, handoffs: number) {
  await addMember(ami, `PJSIP/${PHONE_USER}`);
  await resetQueueStats(ami);
  const agentCalled: number[] = [];
  const memberFree: number[] = [];
  const offs = [
    ami.on('AgentCalled', () => agentCalled.push(Date.now())),
    // Status 1 = AST_DEVICE_NOT_INUSE: app_queue has seen the member become free.
    ami.on('QueueMemberStatus', (e) => void (e.status === '1' && memberFree.push(Date.now()))),
  ];
  try {
    const { hs } = await handOffRun(pbxTarget(pbx, ami), BENCH_QUEUE_NUMBER, password, 'appqueue', handoffs);
    const status = await queueStatus(ami);
    // Node's receipt of QueueMemberStatus(not in use) after each BYE → the next INVITE at the phone.
    const freeAt = hs.map((h) => memberFree.find((x) => x >= h.byeAt && x <= h.inviteAt));
    const freeToInvite = hs.map((h, i) => (freeAt[i] === undefined ? NaN : h.inviteAt - freeAt[i]!)).filter(Number.isFinite);
    const byeToFree = hs.map((h, i) => (freeAt[i] === undefined ? NaN : freeAt[i]! - h.byeAt)).filter(Number.isFinite);
    return { hs, agentCalledEvents: agentCalled.length, memberFreeToInvite: freeToInvite, byeToMemberFree: byeToFree, completed: status.completed };
  } finally {
    offs.forEach((off) => off());
    await removeMember(ami, `PJSIP/${PHONE_USER}`);
    await settle(ami);
  }
}

/** Service and app_queue rounds alternate, so both see the same background load on average. */
async function handOff(pbx: BenchPbx, ami: Ami, config: string, password: string) {
  const perRound = Math.ceil(HANDOFFS / ROUNDS);
  const svc = { kept: [] as HandOff[], gated: [] as number[], steps: [] as Array<Record<string, number>> };
  const q = { hs: [] as HandOff[], agentCalled: 0, freeToInvite: [] as number[], byeToFree: [] as number[], completed: 0 };
  for (let round = 1; round <= ROUNDS; round++) {
    say(`hand-off round ${round}/${ROUNDS}, service: ${perRound} hand-offs, ${WAITING} waiting, talk ${TALK_MS.min}-${TALK_MS.max} ms`);
    const s = await handOffServiceRound(pbxTarget(pbx, ami), config, password, perRound);
    svc.kept.push(...s.kept);
    svc.gated.push(...s.noticeGated);
    svc.steps.push(...s.steps);
    say(`hand-off round ${round}/${ROUNDS}, app_queue: ${perRound} hand-offs`);
    const a = await handOffAppQueueRound(pbx, ami, password, perRound);
    q.hs.push(...a.hs);
    q.agentCalled += a.agentCalledEvents;
    q.freeToInvite.push(...a.memberFreeToInvite);
    q.byeToFree.push(...a.byeToMemberFree);
    q.completed += a.completed;
  }
  const stepNames = ['byeToLegGone', 'legGoneToFree', 'freeToOffer', 'offerToInvite'] as const;
  const service = {
    ...handOffResult(svc.kept),
    noticeGatedLeftOut: svc.gated,
    privacyNoticeMs: NOTICE_MS,
    breakdownMedianMs: Object.fromEntries(stepNames.map((k) => [k, median(svc.steps.map((x) => x[k] ?? NaN).filter(Number.isFinite))])),
  };
  const appQueue = {
    ...handOffResult(q.hs),
    agentCalledEvents: q.agentCalled,
    completedCalls: q.completed,
    byeToMemberFreeMedianMs: median(q.byeToFree),
    memberFreeToInviteMedianMs: median(q.freeToInvite),
  };
  return { service, appQueue };
}

// ---------------------------------------------------------------------------------------------
// (b) call rate

interface RateResult extends LoadVerdict {
  rate: number;
  attempt: number;
  serviceProcess?: ProcUsage;
  asteriskProcess: ProcUsage;
  /** Asterisk's CPU time (user + system) from the first call placed to the last one ended, per call. */
  asteriskCpuMsPerCall: number;
  /** Asterisk's "HTTP session count exceeded" warnings during the run. */
  httpSessionLimitHits: number;
}

async function loadOnce(pbx: BenchPbx, ami: Ami, rate: number, attempt: number, target: { number: string; svc?: BenchService }): Promise<RateResult> {
  const calls = loadCalls(rate);
  const logFrom = target.svc ? serviceLog(target.svc).length : 0;
  let joined = 0;
  const off = ami.on('QueueCallerJoin', () => joined++);
  const astLog = join(pbx.params.runDir, 'log/messages.log');
  const astLogFrom = existsSync(astLog) ? statSync(astLog).size : 0;
  const svcWatch = target.svc ? watchProcess(target.svc.pid) : null;
  const astWatch = watchProcess(pbx.pid);
  const callers = await startLoadCallers(pbxTarget(pbx, ami), target.number, rate, `load-${target.svc ? 'service' : 'appqueue'}-${rate}`);
  await callers.done;
  const serviceProcess = svcWatch?.stop();
  const asteriskProcess = astWatch.stop();
  off();
  await settle(ami, 20_000);
  const extra = target.svc ? serviceFailures(serviceLog(target.svc).slice(logFrom), calls) : joined < calls ? { neverJoinedQueue: calls - joined } : {};
  // Asterisk's HTTP server (ARI and WebSockets) refuses connections beyond http.conf's sessionlimit.
  const astLogText = existsSync(astLog) ? readFileSync(astLog).subarray(astLogFrom).toString('utf8') : '';
  const httpSessionLimitHits = (astLogText.match(/HTTP session count exceeded/g) ?? []).length;
  return { rate, attempt, ...loadVerdict(callers, calls, extra), ...(serviceProcess ? { serviceProcess } : {}), asteriskProcess, asteriskCpuMsPerCall: round1(asteriskProcess.cpuMs / calls), httpSessionLimitHits };
}

const climbRates = (pbx: BenchPbx, ami: Ami, label: string, target: { number: string; svc?: BenchService }) =>
  climb(RATES, label, (rate, attempt) => loadOnce(pbx, ami, rate, attempt, target), say);

async function loadService(pbx: BenchPbx, ami: Ami, config: string, password: string) {
  const svc = await startBenchService('load', config);
  const phone = await startPhone({ user: PHONE_USER, password, talkMinMs: TALK_MS.min, talkMaxMs: TALK_MS.max, pbxPort: pbx.params.sipPort });
  try {
    await sleep(1000);
    const idle = watchProcess(svc.pid);
    await sleep(2000);
    const idleUsage = idle.stop();
    const result = await climbRates(pbx, ami, 'service', { number: '12355', svc });
    return { ...result, idleProcess: idleUsage };
  } finally {
    await phone.unregister();
    await svc.stop();
    await settle(ami);
  }
}

async function loadAppQueue(pbx: BenchPbx, ami: Ami, password: string) {
  await addMember(ami, `PJSIP/${PHONE_USER}`);
  await resetQueueStats(ami);
  const phone = await startPhone({ user: PHONE_USER, password, talkMinMs: TALK_MS.min, talkMaxMs: TALK_MS.max, pbxPort: pbx.params.sipPort });
  try {
    await sleep(1000);
    return await climbRates(pbx, ami, 'app_queue', { number: BENCH_QUEUE_NUMBER });
  } finally {
    await phone.unregister();
    await removeMember(ami, `PJSIP/${PHONE_USER}`);
    await settle(ami);
  }
}

// ---------------------------------------------------------------------------------------------

/** The machine and versions, with the load average at the start (`params`: a running Asterisk). */
export function machine(params: PbxParams) {
  const sh = (cmd: string, a: string[]) => {
    try {
      return execFileSync(cmd, a, { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    nproc: Number(sh('nproc', [])),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memory: sh('free', ['-h']).split('\n').find((l) => l.startsWith('Mem:'))?.replace(/\s+/g, ' ') ?? 'unknown',
    asterisk: asteriskVersion(params),
    node: process.version,
    sipp: spawnSync('sipp', ['-v'], { encoding: 'utf8' }).stdout.split('\n').find((l) => l.includes('SIPp'))?.trim() ?? 'unknown',
    kernel: sh('uname', ['-sr']),
    loadAvgAtStart: loadavg().map(round1),
  };
}

async function main(): Promise<void> {
  const skipLoad = args.includes('--skip-load');
  const skipHandoff = args.includes('--skip-handoff');
  // pbxForProfile creates the test profile's secrets on a fresh checkout (no test run before).
  const password = pbxForProfile(ROOT, 'test').secrets.sip[PHONE_USER];
  if (!password) throw new Error(`no SIP password for ${PHONE_USER} in the test profile's secrets`);
  const config = writeFixtureConfig();
  say('starting the benchmark Asterisk');
  const pbx = await startBenchPbx();
  const ami = await connectAmi(pbx.params);
  try {
    await addQueueEntry(ami);
    const info = machine(pbx.params);
    const startedAt = new Date().toISOString();
    let handoff: Record<string, unknown> | null = null;
    if (!skipHandoff) {
      const { service, appQueue } = await handOff(pbx, ami, config, password);
      const ratioP50 = round1(appQueue.p50 / service.p50);
      const ratioP95 = round1(appQueue.p95 / service.p95);
      handoff = {
        talkMs: TALK_MS, waiting: WAITING, rounds: ROUNDS, service, appQueue, ratioP50, ratioP95,
        targets: { serviceP95Under50ms: service.p95 < 50, tenTimesFasterAtP50: ratioP50 >= 10, tenTimesFasterAtP95: ratioP95 >= 10 },
      };
      say(`hand-off p50/p95/max: service ${service.p50}/${service.p95}/${service.max} ms, app_queue ${appQueue.p50}/${appQueue.p95}/${appQueue.max} ms`);
    }
    let load: Record<string, unknown> | null = null;
    if (!skipLoad) {
      const service = await loadService(pbx, ami, config, password);
      const appQueue = await loadAppQueue(pbx, ami, password);
      load = {
        rates: RATES, holdMs: LOAD_HOLD_MS, answerTimeoutMs: LOAD_ANSWER_TIMEOUT_MS, talkMs: TALK_MS, service, appQueue,
        targets: { serviceAtLeastAppQueue: service.heldCps >= appQueue.heldCps },
      };
    }
    const report = { startedAt, finishedAt: new Date().toISOString(), machine: { ...info, loadAvgAtEnd: loadavg().map(round1) }, handoff, load };
    if (JSON_OUT) process.stdout.write(`${JSON.stringify(report)}\n`);
    else process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await ami.close();
    await pbx.stop();
  }
}

// Run when executed, not when imported (e.g. by an A/B script reusing the rounds).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
