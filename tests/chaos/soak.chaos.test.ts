import { readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { procSample, watchProcess } from '../../bench/bench-service.ts';
import { QueueScenario } from '../e2e/support/queue-scenario.ts';
import { policeUas, type Peer } from '../e2e/support/sipp.ts';
import { sleep, waitFor } from '../e2e/support/wait.ts';
import { LOAD_DIR, startLoadPbx, restoreStockPbx, type LoadPbx } from './support/load-pbx.ts';
import type { CallerPlan } from './support/load-sipp-xml.ts';
import { startCallerLoad, startCounsellorBank, waitRegistered, type CounsellorBank } from './support/load-sipp.ts';
import { callRows, callsByeReceived, eventCounts, failedCalls, judge, leftoverKeyNames, loadFigures, logTally, sippAborts, sippFailures } from './support/load-verdict.ts';
import { recordScenario } from './support/report.ts';
import { leftovers } from './support/rig.ts';

/**
 * 6. Soak: CHAOS_SOAK_CALLS calls (10,000) at CHAOS_SOAK_RATE a second (6) from one SIPp in load
 * mode, each with a behaviour drawn at random; 50 counsellors on one SIPp bank who answer, let it
 * ring, are busy or escalate to a 110 SIPp UAS. Goals: no call failed by the system, nothing left in
 * Asterisk, Redis or BullMQ, and the service's RSS flat (under 10% growth from 10% to 100% of the
 * calls placed).
 */

const CALLS = Number(process.env.CHAOS_SOAK_CALLS ?? 10_000);
const RATE = Number(process.env.CHAOS_SOAK_RATE ?? 6);
const COUNSELLORS = 50;
const PREFIX = '139';
const SERVICE_LOG = join(LOAD_DIR, 'soak-service.log');

const k = (key: string, afterMs: number) => ({ key, afterMs });
const countLines = (text: string, needle: string) => text.split('\n').filter((l) => l.includes(needle)).length;
/** Behaviours; the tag digit is in the caller's number. Times in ms after the answer or the previous step. */
const PLANS: CallerPlan[] = [
  { tag: '1', weight: 30, steps: [k('1', 800), k('0', 800), { waitByeMs: 90_000 }] }, // Mandarin, a person
  { tag: '2', weight: 10, steps: [k('2', 800), k('1', 800), { waitByeMs: 90_000 }] }, // Cantonese, psychological
  { tag: '3', weight: 10, steps: [k('7', 1500), k('1', 2000), k('5', 1500), k('3', 1500), { waitByeMs: 90_000 }] }, // wrong keys, then hardship
  { tag: '4', weight: 7, steps: [{ waitByeMs: 150_000 }] }, // silence: menus replay, then the general queue
  { tag: '5', weight: 5, steps: [{ hangupAfterMs: 3000 }] }, // hangs up during the greeting
  { tag: '6', weight: 8, steps: [k('1', 800), k('0', 800), { hangupAfterMs: 6000 }] }, // hangs up during the privacy notice
  { tag: '7', weight: 10, steps: [k('1', 800), k('0', 800), { hangupAfterMs: 16_000 }] }, // hangs up while ringing or talking
  { tag: '8', weight: 5, steps: [k('1', 800), k('9', 800), { waitByeMs: 90_000 }] }, // emergency key
  // Legal help: no load counsellor has the skill, so the caller is offered a callback and books it.
  { tag: '9', weight: 15, steps: [k('1', 800), k('2', 800), k('1', 22_000), k('1', 14_000), { waitByeMs: 30_000 }] },
];

let pbx: LoadPbx;
let police: Peer;
let bank: CounsellorBank | undefined;
const s = new QueueScenario();

beforeAll(async () => {
  // Load counsellors have every skill but legal (tag 9 waits for a callback); 600 s RTP timeout: SIPp callers send no audio.
  pbx = await startLoadPbx({ counsellors: COUNSELLORS, mohOff: false, rtpTimeoutS: 600, skillsOf: () => ['psychological', 'hardship', 'exam_stress', 'general'] });
  // 110 stays 12 s: past the 6.5 s announcement it hears before it is joined to the call.
  police = await policeUas({ mode: 'answer', talkMs: 12_000 });
});

afterAll(async () => {
  await bank?.unregister().catch(() => undefined);
  await police?.stop().catch(() => undefined);
  await s.cleanup(false);
  await restoreStockPbx();
});

test('6. Soak', async () => {
  const startedAt = Date.now();
  const load0 = loadavg();
  rmSync(SERVICE_LOG, { force: true });
  const service = await s.start({
    queue: { maxMissedBeforePause: 0, ringTimeoutMs: 4000, wrapUpMs: 0, callbackOfferAfterMs: 20_000, callbackOfferUnstaffedAfterMs: 8000 },
    env: { HOTLINE_ROSTER: pbx.rosterFile, LOG_LEVEL: 'info', HOTLINE_TEST_LOG_FILE: SERVICE_LOG },
  });
  const token = await service.login('s2001');
  // Phones register once the start-up resync is done, so the figures are of the load, not of the start.
  await service.waitForLog(/"resync done"/, 60_000);
  bank = await startCounsellorBank({
    pbxPort: pbx.params.sipPort, users: pbx.users, rate: 50, lifeMs: 24 * 3600_000,
    mix: { answer: 80, noAnswer: 12, busy: 3, escalate: 5, talkMs: [2000, 3000, 4000, 5000, 6000, 8000] },
  });
  await waitRegistered(bank, COUNSELLORS, 60_000);
  await waitFor('load counsellors available', async () => ((await s.counsellors(service)).filter((c) => c.status === 'available').length >= COUNSELLORS ? true : undefined), 60_000)
    .catch(async (err: Error) => {
      throw new Error(`${err.message}: ${(await s.counsellors(service)).filter((c) => c.status !== 'available').length} not available; service log in ${SERVICE_LOG}`);
    });
  await sleep(2000);
  const rssIdleMb = (procSample(service.pid)?.rssKb ?? 0) / 1024;
  const since = new Date().toISOString();
  const svcWatch = watchProcess(service.pid, 1000);
  const astWatch = watchProcess(pbx.pid, 1000);
  const budgetS = Math.ceil(CALLS / RATE) + 600;
  const callers = await startCallerLoad({ pbxPort: pbx.params.sipPort, prefix: PREFIX, number: '12355', rate: RATE, total: CALLS, plans: PLANS, budgetS });

  // RSS when 10%, 50% and 100% of the calls have been placed (load running at each).
  const marks = [0.1, 0.5, 1];
  const rssAt: number[] = [];
  let exited = false;
  void callers.process.exited.then(() => (exited = true));
  while (rssAt.length < marks.length && !exited) {
    const created = Number(callers.stats().TotalCallCreated ?? 0);
    if (created >= CALLS * marks[rssAt.length]!) rssAt.push((procSample(service.pid)?.rssKb ?? 0) / 1024);
    else await sleep(1000);
  }
  await callers.process.exited;
  const svcUsage = svcWatch.stop();
  const astUsage = astWatch.stop();
  const load1 = loadavg();
  await bank.unregister();
  bank = undefined;

  // Booked callbacks are claimed by a supervisor (who calls back from another phone): the jobs go.
  const pending = (await service.api<{ callbacks: Array<{ jobId: string }> }>('/api/callbacks', token)).body.callbacks;
  let claimed = 0;
  for (const c of pending) if ((await service.api(`/api/callbacks/${encodeURIComponent(c.jobId)}/claim`, token, { method: 'POST' })).status === 200) claimed++;

  const left = await leftovers(s, service, token);
  const leftKeys = await leftoverKeyNames(service.env.REDIS_URL ?? '', service.env.REDIS_PREFIX ?? '');
  const rows = await callRows(since, PREFIX);
  const stats = callers.stats();
  const byes = callsByeReceived(callers.trace());
  const v = judge(rows, stats, byes, PREFIX);
  const events = await eventCounts(since);
  const rssEndMb = (procSample(service.pid)?.rssKb ?? 0) / 1024;
  const [rssStart = 0, rssMid = 0, rssEnd = 0] = rssAt;
  const growthPct = rssStart > 0 ? ((rssEnd - rssStart) / rssStart) * 100 : NaN;
  const r1 = (x: number) => Math.round(x * 10) / 10;
  const serviceLog = readFileSync(SERVICE_LOG, 'utf8');
  const policeJoined = countLines(serviceLog, '"110 connected to the call"');
  const escalations = countLines(serviceLog, '"escalation to 110 started"');
  const ok = policeJoined * 2 >= escalations && v.failedBySystem === 0 && rssAt.length === 3 && growthPct < 10 &&
    left.channels === 0 && left.bridges === 0 && left.redisKeys === 0 && left.jobs === 0 && v.recordsOpen === 0 && v.placed === CALLS;

  const { failedLine, ...common } = loadFigures(v, left, stats);
  recordScenario({
    scenario: '6. Soak',
    load: `${v.placed} calls at ${RATE}/s (CHAOS_SOAK_CALLS=${CALLS}, CHAOS_SOAK_RATE=${RATE}), one SIPp in load mode, 9 caller behaviours at random; ${COUNSELLORS} counsellors on one SIPp bank`,
    fault: 'none: time and volume (wrong keys, silence, hang-ups at random moments, unanswered and busy phones, escalations to 110, callbacks)',
    ...common,
    extra: {
      ...failedLine,
      'calls per behaviour (reached a counsellor)': Object.entries(v.byTag).sort().map(([t, x]) => `${t}: ${x.calls} (${x.reached})`).join('; '),
      'callbacks booked / claimed at the end': `${v.callbacksBooked} / ${claimed}`,
      'offers / no-answers / connects (queue events)': `${events.queue.offer ?? 0} / ${events.queue['no-answer'] ?? 0} / ${events.queue.connect ?? 0}`,
      'escalations to 110 by outcome': JSON.stringify(events.escalations),
      'service RSS idle before the load, MB': r1(rssIdleMb),
      'service RSS at 10% / 50% / 100% of calls placed, MB': `${r1(rssStart)} / ${r1(rssMid)} / ${r1(rssEnd)}`,
      'service RSS growth 10% → 100%': `${r1(growthPct)}%`,
      'service RSS after the load settled, MB': r1(rssEndMb),
      'service CPU during the load, % of one core (mean / max of 1 s samples)': `${svcUsage.cpuPctMean} / ${svcUsage.cpuPctMax}`,
      'Asterisk CPU during the load, % of one core (mean / max)': `${astUsage.cpuPctMean} / ${astUsage.cpuPctMax}`,
      'load average at start → end of the load (1/5/15 min)': `${load0.map(r1).join(' / ')} → ${load1.map(r1).join(' / ')}`,
      '110 joined to the call / escalations started (service log)': `${policeJoined} / ${escalations}`,
      'service warnings and errors, by message (most frequent 8; the whole log)': logTally(serviceLog),
    },
    notes: [
      'Behaviours (tag digit in the caller number 139<tag><n>): 1 Mandarin then 0 (a person); 2 Cantonese then 1; 3 wrong keys in both menus, then 3; 4 silence (menus replay, then the general queue); 5 hangs up in the greeting; 6 in the privacy notice; 7 16 s after the menus (ringing or talking); 8 emergency key 9; 9 legal help, which no load counsellor has: waits, hears the callback offer and books it with 1.',
      'Counsellor bank (one SIPp, 50 identities registered from 127.0.0.1): answers 80% (talks 2-8 s, hangs up), lets 12% ring until the 4 s ring timeout, answers 3% busy, and 5% press * 1 s after answering (110 SIPp UAS answers, talks 12 s: it hears the 6.5 s announcement, then joins the call). maxMissedBeforePause 0, so unanswered offers do not pause the bank\'s counsellors.',
      'Load profile (tests/chaos/support/load-pbx.ts): the shipped templates plus 50 counsellors, hold music on, rtp_timeout 600 s (SIPp callers send no audio; silent callers stay in the menus for about 100 s).',
      ...(leftKeys.length ? [`Redis keys left: ${leftKeys.slice(0, 20).join(', ')}`] : []),
      ...(v.sippFailed ? [`SIPp's aborted calls, by what it expected and got instead (its error file): ${sippAborts(callers.process.read('errors.log')).join('; ')}`] : []),
      ...(v.failedBySystem ? [`Calls failed by the system (call id: how): ${failedCalls(rows, byes, PREFIX).slice(0, 20).join(', ')}`] : []),
      'Calls failed by the system: SIPp failed calls, calls placed but never recorded, calls handed to the dialplan fallback, and calls that got a BYE from the PBX without having reached a counsellor (a booked callback excepted). Transfers are not part of the mix.',
    ],
    passed: ok,
    durationSec: Math.round((Date.now() - startedAt) / 1000),
  });

  expect(v.placed).toBe(CALLS);
  expect({ failedBySystem: v.failedBySystem, sippFailures: sippFailures(stats) }).toEqual({ failedBySystem: 0, sippFailures: 'none' });
  expect(left).toEqual({ channels: 0, bridges: 0, redisKeys: 0, jobs: 0 });
  expect(v.recordsOpen).toBe(0);
  expect(rssAt).toHaveLength(3);
  expect(growthPct).toBeLessThan(10);
  // Escalations reach the police: most of them join 110 to the call (some callers hang up first).
  expect(policeJoined * 2).toBeGreaterThanOrEqual(escalations);
}, (Math.ceil(CALLS / RATE) + 900) * 1000);
