import { describe, expect, it } from 'vitest';
import type { AriBridge } from './support/ari-inspector.ts';
import type { AriEventRecorder } from './support/queue-ari-events.ts';
import { INVITE_HEADER, invitedCallIds, invitesOf, scenarioPerTest, type QueueEvent, type QueueScenario } from './support/queue-scenario.ts';
import type { QueueCaller } from './support/queue-sipp.ts';
import type { RunningService } from './support/service.ts';
import type { QueuePhone } from './support/queue-sipp.ts';
import { saw } from './support/sipp.ts';
import { waitFor } from './support/wait.ts';

/**
 * The queue end to end: real Asterisk, SIPp callers choosing a need in the menus, SIPp phones
 * registered as counsellors 1001 (psychological, cmn+yue, city), 1002 (legal, cmn, city) and 1003
 * (hardship and psychological, province). Queue timers from tests/e2e/fixtures/queue-fast.yaml over
 * config/hotline.yaml: ring 4 s, no wrap-up, paused after 2 missed offers, no overflow.
 *
 * Run alone in a slot of your own:  HOTLINE_TEST_SLOT=2 npx vitest run --project e2e tests/e2e/queue.test.ts
 */

let scenario: QueueScenario;
scenarioPerTest((s) => (scenario = s));

/** Keys: Mandarin (1), then the need's key in the main menu. */
const menu = (needKey: string) => [{ key: '1', afterMs: 1000 }, { key: needKey, afterMs: 1000 }];

/** The mixing bridge that holds both channels, if any. */
async function sharedMixingBridge(s: QueueScenario, a: string, b: string): Promise<AriBridge | undefined> {
  return (await s.ari.bridges()).find((x) => x.bridge_type === 'mixing' && x.channels.includes(a) && x.channels.includes(b));
}

/** The counsellor leg Asterisk has for a phone (PJSIP/1002-...). */
async function counsellorChannel(s: QueueScenario, sipUser: string): Promise<string | undefined> {
  return (await s.ari.channels()).find((c) => c.name.startsWith(`PJSIP/${sipUser}-`))?.id;
}

/** 'enter', 'offer:c1001', ... for comparing a call's course through the queue. */
const course = (events: QueueEvent[]) => events.map((e) => (e.counsellorId ? `${e.type}:${e.counsellorId}` : e.type));

/** The caller's channel id (the service's call id). */
const callIdOf = async (caller: QueueCaller) => (await scenario.channelOf(caller)).id;

/**
 * The caller heard the privacy notice to its end before a counsellor heard them: the phone may ring
 * while it plays (issue #11), the bridge (the 'connect' event) comes after it.
 */
async function expectNoticeHeardBeforeBridge(service: RunningService, recorder: AriEventRecorder, callId: string): Promise<void> {
  const notice = recorder.playbacksOn(callId).find((p) => p.prompts.includes('privacy_notice'));
  expect(notice?.finishedAt, `the privacy notice played to ${callId} to its end`).toBeDefined();
  const connect = (await scenario.events(service, callId)).find((e) => e.type === 'connect');
  expect(connect, `${callId} connected`).toBeDefined();
  expect(Date.parse(connect!.at), `${callId} bridged only after the privacy notice (connect ${connect!.at}, notice ended ${new Date(notice!.finishedAt!).toISOString()})`)
    .toBeGreaterThanOrEqual(notice!.finishedAt! - 100);
}

/** The full caller number is in nothing the counsellor phone received (re-INVITEs and UPDATEs with connected line included). */
function expectNoNumberSent(phone: QueuePhone, caller: QueueCaller): void {
  const leaks = phone.messages().filter((m) => m.direction === 'received' && m.raw.includes(caller.callerNumber));
  expect(leaks.map((m) => m.raw), `the full caller number sent to ${phone.sipUser}`).toEqual([]);
}

/** After the last call: no channel or bridge but the holding bridge, no live call in Redis, nobody waiting. */
async function expectAllReleased(service: RunningService): Promise<void> {
  await scenario.ari.waitForNoLeftovers(5000);
  await waitFor('no live call in Redis', async () => ((await service.liveCalls()).length === 0 ? true : undefined));
  expect(await scenario.waiting(service)).toEqual([]);
}

describe('queue', () => {
  it('bridges callers with a counsellor who has the need they chose; the counsellor hanging up ends the call cleanly', async () => {
    const service = await scenario.start();
    const recorder = await scenario.record();
    const phones: Record<string, QueuePhone> = {};
    for (const user of ['1001', '1002', '1003']) {
      // Talk 7 s once bridged: the phone answers while the caller still hears the notice (7.3 s).
      phones[user] = await scenario.phone(user, true, { talkMs: 15_000 });
      await scenario.waitForCounsellor(service, `c${user}`, 'available');
    }
    // Both at once: they reach the queue within milliseconds of each other.
    const [legal, hardship] = await Promise.all([
      scenario.caller({ callerNumber: '13800000201', keys: menu('2'), holdMs: 45_000, hangup: 'remote' }),
      scenario.caller({ callerNumber: '13800000202', keys: menu('3'), holdMs: 45_000, hangup: 'remote' }),
    ]);
    const cases: Array<[QueueCaller, string, string]> = [[legal, '1002', 'legal'], [hardship, '1003', 'hardship']];
    const ids = new Map<QueueCaller, string>();
    for (const [caller] of cases) ids.set(caller, await callIdOf(caller));

    for (const [caller, user, need] of cases) {
      const callId = ids.get(caller)!;
      const phone = phones[user]!;
      // Rung: the phone of the counsellor with the skill, with the call's id, need and line, and no caller number.
      const invite = (await scenario.waitForInvites(phone, 1, `${user} rung for the ${need} caller`, 25_000).catch(async (err: Error) => {
        throw new Error(`${err.message}\nwaiting: ${JSON.stringify(await scenario.waiting(service))}\ncourse: ${course(await scenario.events(service, callId))}`);
      }))[0]!;
      expect(invite.headers[INVITE_HEADER.callId]).toBe(callId);
      expect(invite.headers[INVITE_HEADER.need]).toBe(need);
      expect(invite.headers[INVITE_HEADER.line]).toBe('main');
      expect(invite.raw, 'the full caller number never reaches the counsellor phone').not.toContain(caller.callerNumber);

      // Connected: caller and counsellor legs in one mixing bridge, the record says who and when.
      const leg = await waitFor(`the ${user} leg up`, () => counsellorChannel(scenario, user));
      // Bridged once the caller's privacy notice has ended, a few seconds after the phone answered.
      const bridge = await waitFor(`${need} caller and ${user} in one mixing bridge`, () => sharedMixingBridge(scenario, callId, leg), 15_000);
      expect(bridge.channels).toHaveLength(2);
      // The record is written just after the bridge is made.
      const rec = await waitFor(`${callId} recorded as connected`, async () => {
        const r = await scenario.call(service, callId);
        return r.connectedAt ? r : undefined;
      });
      expect(rec).toMatchObject({ need, counsellorId: `c${user}`, callerNumber: `138******${caller.callerNumber.slice(-2)}` });
      expect(Date.parse(rec.connectedAt!)).toBeGreaterThanOrEqual(Date.parse(rec.answeredAt!));
      await expectNoticeHeardBeforeBridge(service, recorder, callId);
      expectNoNumberSent(phone, caller);
    }
    expect(invitesOf(phones['1001']!), 'nobody rang the counsellor without those skills').toEqual([]);

    // The counsellor phones hang up: each caller gets a BYE and everything is released.
    for (const [caller, user, need] of cases) {
      const r = await caller.done;
      expect(r.exitCode, r.log).toBe(0);
      expect(saw(r, 'received', 'BYE'), `the ${need} caller hung up on by the PBX`).toBe(true);
      const callId = ids.get(caller)!;
      const rec = await scenario.endedCall(service, callId);
      expect(rec.outcome).toBe('completed');
      expect(course(await scenario.events(service, callId))).toEqual(['enter', `offer:c${user}`, `connect:c${user}`, `complete:c${user}`]);
      expectNoNumberSent(phones[user]!, caller);
    }
    expect(invitedCallIds(phones['1002']!)).toEqual([ids.get(legal)]);
    expect(invitedCallIds(phones['1003']!)).toEqual([ids.get(hardship)]);
    await expectAllReleased(service);
    for (const user of ['1002', '1003']) await scenario.waitForCounsellor(service, `c${user}`, 'available');
  }, 120_000);

  it('a caller who presses nothing is put through: the free counsellor rings within ivr.maxSilentSeconds of the answer (issue #11)', async () => {
    const service = await scenario.start();
    const recorder = await scenario.record();
    // Answers during the notice and stays past it (a phone that hangs up before the bridge gives the call back).
    const phone = await scenario.phone('1002', true, { talkMs: 11_000 });
    await scenario.waitForCounsellor(service, 'c1002', 'available');
    const caller = await scenario.caller({ callerNumber: '13800000241', keys: [], holdMs: 60_000, hangup: 'remote' });
    const callId = await callIdOf(caller);

    const offer = await scenario.waitForEvent(service, 'the silent caller offered', (e) => e.type === 'offer' && e.callId === callId, 45_000);
    expect(offer.counsellorId).toBe('c1002');
    const { answeredAt } = await scenario.call(service, callId);
    const seconds = (Date.parse(offer.at) - Date.parse(answeredAt!)) / 1000;
    // The shipped menus: greeting, Cantonese option, 3 s, then the general queue; the phone rings
    // while the privacy notice plays, and the bridge waits for its end.
    expect(seconds, `answer to ringing for a silent caller: ${seconds} s`).toBeLessThanOrEqual(30);
    expect(seconds, 'the greeting was heard, not skipped').toBeGreaterThan(10);
    await scenario.waitForEvent(service, 'the silent caller connected', (e) => e.type === 'connect' && e.callId === callId, 20_000);
    await expectNoticeHeardBeforeBridge(service, recorder, callId);
    await scenario.waitForInvites(phone, 1, '1002 rung for the silent caller', 10_000);

    const r = await caller.done;
    expect(r.exitCode, r.log).toBe(0);
    const rec = await scenario.endedCall(service, callId);
    expect(rec).toMatchObject({ outcome: 'completed', need: 'general', language: 'cmn', counsellorId: 'c1002' });
    expect(course(await scenario.events(service, callId))).toEqual(['enter', 'offer:c1002', 'connect:c1002', 'complete:c1002']);
    await expectAllReleased(service);
  }, 90_000);

  it('a Cantonese emergency caller with only a Mandarin counsellor free is put through after the urgent wait, logged as widened', async () => {
    const service = await scenario.start({ queue: { anyCounsellorAfterMs: { normal: 600_000, urgent: 12_000 } } });
    const phone = await scenario.phone('1002', true, { talkMs: 3000 }); // legal, Mandarin only
    await scenario.waitForCounsellor(service, 'c1002', 'available');
    const keys = [{ key: '2', afterMs: 1000 }, { key: '9', afterMs: 1000 }];
    const caller = await scenario.caller({ callerNumber: '13800000251', keys, holdMs: 60_000, hangup: 'remote' });
    const callId = await callIdOf(caller);

    const enter = await scenario.waitForEvent(service, 'the emergency caller queued', (e) => e.type === 'enter' && e.callId === callId, 30_000);
    const offer = await scenario.waitForEvent(service, 'the widened offer', (e) => e.type === 'offer' && e.callId === callId, 30_000);
    expect(offer).toMatchObject({ counsellorId: 'c1002', data: { widened: true } });
    // Longer than the privacy notice, so the re-check at that instant is what rings the phone.
    expect(Date.parse(offer.at) - Date.parse(enter.at), 'not before the urgent wait').toBeGreaterThanOrEqual(12_000 - 100);
    expect(Date.parse(offer.at) - Date.parse(enter.at), 'at the urgent wait, not at some later event').toBeLessThan(16_000);
    await scenario.waitForInvites(phone, 1, '1002 rung for the Cantonese emergency caller', 10_000);

    const r = await caller.done;
    expect(r.exitCode, r.log).toBe(0);
    const rec = await scenario.endedCall(service, callId);
    expect(rec).toMatchObject({ outcome: 'completed', need: 'emergency', language: 'yue', counsellorId: 'c1002' });
    expect(course(await scenario.events(service, callId))).toEqual(['enter', 'offer:c1002', 'connect:c1002', 'complete:c1002']);
    await expectAllReleased(service);
  }, 90_000);

  it('skips a counsellor who does not answer, the caller keeping their place, and pauses them after 2 misses in a row', async () => {
    const service = await scenario.start();
    // 1001 signs in first, so it is the longest idle and rung first; it never picks up.
    const silent = await scenario.phone('1001', false);
    await scenario.waitForCounsellor(service, 'c1001', 'available');
    const answering = await scenario.phone('1003', true, { talkMs: 18_000 });
    await scenario.waitForCounsellor(service, 'c1003', 'available');

    const first = await scenario.caller({ callerNumber: '13800000211', keys: menu('1'), holdMs: 90_000, hangup: 'remote' });
    const firstId = await callIdOf(first);
    await scenario.waitForInvites(silent, 1, '1001 rung for the first caller', 25_000);

    // 1001 rings out after 4 s; the first caller is offered to 1003, who answers.
    const connectFirst = await scenario.waitForEvent(service, 'the first caller connected', (e) => e.type === 'connect' && e.callId === firstId);
    // The second caller reaches the queue while 1003 talks with the first: only 1001 is free for them.
    // (After the connect: callers are rung as they join, so one arriving earlier would take 1003.)
    const second = await scenario.caller({ callerNumber: '13800000212', keys: menu('1'), holdMs: 90_000, hangup: 'remote' });
    const secondId = await callIdOf(second);
    expect(connectFirst.counsellorId).toBe('c1003');
    expect(course(await scenario.events(service, firstId))).toEqual(['enter', 'offer:c1001', 'no-answer:c1001', 'offer:c1003', 'connect:c1003']);
    // Kept their place: the wait counts from when they first entered the queue.
    const enterFirst = (await scenario.events(service, firstId)).find((e) => e.type === 'enter')!;
    const waited = Date.parse(connectFirst.at) - Date.parse(enterFirst.at);
    expect(Number(connectFirst.data.waitMs)).toBeGreaterThanOrEqual(4000);
    expect(Math.abs(Number(connectFirst.data.waitMs) - waited)).toBeLessThan(1000);
    expect((await scenario.counsellor(service, 'c1001')).status, 'one miss does not pause').toBe('available');

    // The second caller rings 1001 too: a second miss in a row pauses 1001.
    await scenario.waitForInvites(silent, 2, '1001 rung for the second caller', 25_000);
    const pause = await scenario.waitForEvent(service, 'c1001 auto-paused', (e) => e.type === 'auto-pause' && e.counsellorId === 'c1001', 15_000);
    expect(pause.data).toMatchObject({ reason: 'no-answer' });
    expect(await scenario.counsellor(service, 'c1001')).toMatchObject({ status: 'paused', pauseReason: 'no-answer', missedInARow: 2 });
    const missed = (await scenario.events(service)).filter((e) => e.type === 'no-answer' && e.counsellorId === 'c1001');
    expect(missed.map((e) => e.callId)).toEqual([firstId, secondId]);
    await waitFor('the second caller waiting again', async () => {
      const w = await scenario.waiting(service);
      return w.length === 1 && w[0]!.callId === secondId && w[0]!.state === 'waiting' ? true : undefined;
    });

    // 1003 hangs up on the first caller and takes the second; paused 1001 is not rung again.
    await scenario.waitForEvent(service, 'the second caller connected', (e) => e.type === 'connect' && e.callId === secondId, 30_000);
    for (const caller of [first, second]) {
      const r = await caller.done;
      expect(r.exitCode, r.log).toBe(0);
      expect(saw(r, 'received', 'BYE')).toBe(true);
    }
    for (const callId of [firstId, secondId]) {
      expect((await scenario.endedCall(service, callId)).outcome).toBe('completed');
      expect(course(await scenario.events(service, callId))).toEqual(['enter', 'offer:c1001', 'no-answer:c1001', 'offer:c1003', 'connect:c1003', 'complete:c1003']);
    }
    expect(invitedCallIds(silent)).toEqual([firstId, secondId]);
    expect(invitedCallIds(answering)).toEqual([firstId, secondId]);
    expect((await scenario.counsellor(service, 'c1001')).status).toBe('paused');
    await expectAllReleased(service);
  }, 150_000);

  it('logs a caller who hangs up while waiting as abandoned, with their place in the queue and how long they waited', async () => {
    const service = await scenario.start();
    // Nobody signed in: both legal callers wait; the second hangs up first.
    const first = await scenario.caller({ callerNumber: '13800000221', keys: menu('2'), holdMs: 9000, hangup: 'caller' });
    const firstId = await callIdOf(first);
    await scenario.waitForEvent(service, 'the first caller queued', (e) => e.type === 'enter' && e.callId === firstId);
    const second = await scenario.caller({ callerNumber: '13800000222', keys: menu('2'), holdMs: 3000, hangup: 'caller' });
    const secondId = await callIdOf(second);
    await scenario.waitForEvent(service, 'the second caller queued', (e) => e.type === 'enter' && e.callId === secondId);
    expect((await scenario.waiting(service)).map((w) => [w.callId, w.position])).toEqual([[firstId, 1], [secondId, 2]]);

    for (const caller of [second, first]) {
      const r = await caller.done;
      expect(r.exitCode, r.log).toBe(0);
      expect(saw(r, 'received', 'BYE'), 'the hotline never hangs up on a waiting caller').toBe(false);
      expect(saw(r, 'received', 200, 'BYE')).toBe(true);
    }
    const abandonOf = (callId: string) => scenario.waitForEvent(service, `abandon of ${callId}`, (e) => e.type === 'abandon' && e.callId === callId);
    const [a2, a1] = [await abandonOf(secondId), await abandonOf(firstId)];
    expect(a2.data.position, 'the second caller left from place 2').toBe(2);
    expect(Number(a2.data.waitMs)).toBeGreaterThanOrEqual(2500);
    expect(Number(a2.data.waitMs)).toBeLessThan(6000);
    expect(a1.data.position, 'the first caller left from place 1').toBe(1);
    expect(Number(a1.data.waitMs)).toBeGreaterThanOrEqual(8000);
    expect(Number(a1.data.waitMs)).toBeLessThan(12_000);
    for (const callId of [firstId, secondId]) {
      expect((await scenario.endedCall(service, callId)).outcome).toBe('abandoned');
      expect(course(await scenario.events(service, callId))).toEqual(['enter', 'abandon']);
    }
    await expectAllReleased(service);
  }, 90_000);

  it('offers a callback when nobody qualified is signed in: key 1 books a durable job, the caller hears the confirmation, the call ends', async () => {
    const service = await scenario.start();
    const recorder = await scenario.record();
    // Signed in, but not for legal callers.
    const other = await scenario.phone('1001', true);
    await scenario.waitForCounsellor(service, 'c1001', 'available');
    // Key 1 every 1.5 s from the moment the caller is queued: only a press after the offer may book a callback.
    const keys = [...menu('2'), ...Array.from({ length: 30 }, () => ({ key: '1', afterMs: 1500 }))];
    const caller = await scenario.caller({ callerNumber: '13800000231', keys, holdMs: 5000, hangup: 'caller' });
    const callId = await callIdOf(caller);

    const requested = await scenario.waitForEvent(service, 'callback requested', (e) => e.type === 'callback-requested' && e.callId === callId, 60_000);
    expect(requested.data.jobId).toBe(`callback-${callId}`);
    const plays = () => recorder.playbacksOn(callId);
    const offer = plays().find((p) => p.prompts.includes('queue_callback_offer'));
    expect(offer, `the caller heard the callback offer before key 1 booked it; prompts played: ${JSON.stringify(plays().map((p) => p.prompts))}`).toBeDefined();
    expect(offer!.at).toBeLessThanOrEqual(Date.parse(requested.at));
    const notice = plays().find((p) => p.prompts.includes('privacy_notice'))!;
    expect(offer!.at, 'the offer does not cut the privacy notice short').toBeGreaterThanOrEqual(notice.finishedAt ?? Infinity);

    // The hotline confirms, then ends the call.
    const r = await caller.done;
    expect(r.exitCode, r.log).toBe(0);
    expect(saw(r, 'received', 'BYE'), 'the hotline hangs up after the confirmation').toBe(true);
    const confirmed = plays().find((p) => p.prompts.includes('queue_callback_confirmed'));
    expect(confirmed?.finishedAt, 'the confirmation played to its end').toBeDefined();
    expect(confirmed!.at).toBeGreaterThan(offer!.at);

    // Durable: a BullMQ job under the service's prefix, keyed by the call.
    const job = await scenario.callbackJob(service, callId);
    expect(job, 'the callback job in Redis').not.toBeNull();
    expect(job).toMatchObject({ id: `callback-${callId}`, data: { callId, callerNumber: caller.callerNumber, routing: { need: 'legal', language: 'cmn' } } });
    expect(['waiting', 'prioritized']).toContain(job!.state);

    expect((await scenario.endedCall(service, callId)).outcome).toBe('callback-requested');
    expect(course(await scenario.events(service, callId))).toEqual(['enter', 'callback-requested']);
    expect(invitesOf(other), 'the unqualified counsellor was never rung').toEqual([]);
    await expectAllReleased(service);
  }, 120_000);
});
