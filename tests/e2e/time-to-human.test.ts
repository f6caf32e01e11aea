import { describe, expect, it } from 'vitest';
import { positionAnnouncement } from '../../src/domain/queue/announcements.ts';
import type { AriEventRecorder } from './support/queue-ari-events.ts';
import { scenarioPerTest, type QueueScenario } from './support/queue-scenario.ts';
import type { QueueCaller } from './support/queue-sipp.ts';
import type { RunningService } from './support/service.ts';
import { waitFor } from './support/wait.ts';

/**
 * Time to a human (issue #11) through the real stack: the counsellor's phone rings while the caller
 * hears the privacy notice, and the bridge waits for the notice's end and no longer; a silent
 * caller on the exam line out of season rings a free counsellor within ivr.maxSilentSeconds; a
 * waiting caller hears their position announced. Shipped menus and prompts, queue timers from
 * tests/e2e/fixtures/queue-fast.yaml.
 *
 *   HOTLINE_TEST_SLOT=5 npx vitest run --project e2e tests/e2e/time-to-human.test.ts
 */

let scenario: QueueScenario;
scenarioPerTest((s) => (scenario = s));

/** The average call the announcement assumes (services/queue/waiting-timers.ts). */
const AVERAGE_HANDLE_MS = 8 * 60_000;
/** How late after the notice's end the bridge may come (ARI round trips on a loaded machine). */
const BRIDGE_MARGIN_MS = 1500;

const callIdOf = async (caller: QueueCaller) => (await scenario.channelOf(caller)).id;

/** When Asterisk dialled a channel (its Dial event), in Asterisk's clock. */
function dialledAt(recorder: AriEventRecorder, channelId: string): number | undefined {
  return recorder.events.find((e) => e.type === 'Dial' && (e.raw.peer as { id?: string } | undefined)?.id === channelId)?.at;
}

/** When a channel entered a bridge, in Asterisk's clock. */
function enteredBridgeAt(recorder: AriEventRecorder, channelId: string, bridgeId: string): number | undefined {
  return recorder.events.find((e) => e.type === 'ChannelEnteredBridge' && (e.raw.channel as { id?: string } | undefined)?.id === channelId &&
    (e.raw.bridge as { id?: string } | undefined)?.id === bridgeId)?.at;
}

/**
 * Every sound a playback started, in order: Asterisk sends a PlaybackStarted for each sound of a
 * list (and a PlaybackContinuing as each one ends), all under the playback's id.
 */
function soundsOf(recorder: AriEventRecorder, playbackId: string): string[] {
  return recorder.events.flatMap((e) => {
    const pb = e.raw.playback as { id?: string; media_uri?: string } | undefined;
    if (e.type !== 'PlaybackStarted' || pb?.id !== playbackId) return [];
    return [String(pb.media_uri).replace(/^sound:hotline\/[a-z]+\//, '')];
  });
}

/** Playbacks on a channel, once each, with all the sounds they started (see soundsOf). */
function playbacksWithSounds(recorder: AriEventRecorder, channelId: string) {
  const seen = new Set<string>();
  return recorder.playbacksOn(channelId).flatMap((p) => (seen.has(p.id) ? [] : (seen.add(p.id), [{ ...p, prompts: soundsOf(recorder, p.id) }])));
}

/** An instant in December, after now: outside the exam season (May 20 – June 30) whatever today is. */
function decemberAfterNow(): string {
  const now = new Date();
  const year = now.getUTCMonth() === 11 ? now.getUTCFullYear() + 1 : now.getUTCFullYear();
  return `${year}-12-01T10:00:00+08:00`;
}

/** After the last call: no channel or bridge but the holding bridge, no live call in Redis, nobody waiting. */
async function expectAllReleased(service: RunningService): Promise<void> {
  await scenario.ari.waitForNoLeftovers(5000);
  await waitFor('no live call in Redis', async () => ((await service.liveCalls()).length === 0 ? true : undefined));
  expect(await scenario.waiting(service)).toEqual([]);
}

describe('time to a human', () => {
  it('keys 1 then 0: the counsellor is rung within 2 s of the last key, hears a whisper, and is bridged when the notice ends, not before', async () => {
    const service = await scenario.start();
    const recorder = await scenario.record();
    // Talks longer than the notice: hanging up during it would be giving the call back (tested in the unit tests).
    const phone = await scenario.phone('1002', true, { talkMs: 12_000 });
    await scenario.waitForCounsellor(service, 'c1002', 'available');
    // As in the issue: keys 3 s and 5.5 s after the answer.
    const caller = await scenario.caller({ callerNumber: '13800000311', keys: [{ key: '1', afterMs: 3000 }, { key: '0', afterMs: 2500 }], holdMs: 45_000, hangup: 'remote' });
    const callId = await callIdOf(caller);

    const connect = await scenario.waitForEvent(service, 'the caller connected', (e) => e.type === 'connect' && e.callId === callId, 30_000);
    const offer = (await scenario.events(service, callId)).find((e) => e.type === 'offer')!;
    const leg = `offer-${String(offer.data.offerId)}-c1002`;
    expect(connect.counsellorId).toBe('c1002');
    await scenario.waitForInvites(phone, 1, '1002 rung', 5000);

    // Rung within 2 s of the last key (both read off Asterisk's events).
    const keys = recorder.dtmfOn(callId);
    expect(keys.map((k) => k.digit)).toEqual(['1', '0']);
    const lastKey = keys.at(-1)!.at;
    const dialled = await waitFor('the counsellor leg dialled', async () => dialledAt(recorder, leg));
    expect(dialled - lastKey, `last key to the counsellor's INVITE: ${dialled - lastKey} ms`).toBeLessThanOrEqual(2000);

    // The whole notice was heard; the bridge came at its end: not before, and not much after.
    const notice = recorder.playbacksOn(callId).find((p) => p.prompts.includes('privacy_notice'));
    expect(notice?.finishedAt, 'the privacy notice played to its end').toBeDefined();
    expect(dialled, 'the phone rang while the notice played').toBeLessThan(notice!.finishedAt!);
    const bridged = await waitFor('the caller in the call bridge', async () => enteredBridgeAt(recorder, callId, `call-${callId}`));
    expect(bridged, `bridged ${bridged - notice!.finishedAt!} ms after the notice ended`).toBeGreaterThanOrEqual(notice!.finishedAt!);
    expect(bridged - notice!.finishedAt!).toBeLessThanOrEqual(BRIDGE_MARGIN_MS);
    // The counsellor answered during the notice and heard the whisper (line, need) on their own leg.
    const whisper = playbacksWithSounds(recorder, leg).find((p) => p.prompts[0] === 'whisper_new_call');
    expect(whisper?.prompts).toEqual(['whisper_new_call', 'whisper_line_main', 'whisper_need_general', 'whisper_notice_wait']);
    expect(whisper!.at).toBeLessThan(notice!.finishedAt!);

    const r = await caller.done;
    expect(r.exitCode, r.log).toBe(0);
    expect((await scenario.endedCall(service, callId)).outcome).toBe('completed');
    await expectAllReleased(service);
  }, 90_000);

  it('a silent caller on the exam line out of season rings a free counsellor within 30 s of the answer', async () => {
    // December: the exam season (May 20 – June 30) is over, the line plays its closed greeting. Later
    // than now, so the service's event times pass the scenario's "since" filter.
    const service = await scenario.start({ env: { HOTLINE_NOW: decemberAfterNow() } });
    const recorder = await scenario.record();
    const phone = await scenario.phone('1002', true, { talkMs: 12_000 });
    await scenario.waitForCounsellor(service, 'c1002', 'available');
    const caller = await scenario.caller({ callerNumber: '13800000321', number: '123550', keys: [], holdMs: 60_000, hangup: 'remote' });
    const callId = await callIdOf(caller);

    const offer = await scenario.waitForEvent(service, 'the silent exam-line caller offered', (e) => e.type === 'offer' && e.callId === callId, 45_000);
    const { answeredAt } = await scenario.call(service, callId);
    const seconds = (Date.parse(offer.at) - Date.parse(answeredAt!)) / 1000;
    expect(seconds, `answer to ringing for a silent caller on 123550 out of season: ${seconds} s`).toBeLessThanOrEqual(30);
    expect(recorder.playbacksOn(callId)[0]?.prompts, 'the closed greeting was played').toContain('exam_line_closed');
    await scenario.waitForInvites(phone, 1, '1002 rung', 10_000);
    const connect = await scenario.waitForEvent(service, 'connected', (e) => e.type === 'connect' && e.callId === callId, 20_000);
    const notice = recorder.playbacksOn(callId).find((p) => p.prompts.includes('privacy_notice'));
    expect(Date.parse(connect.at), 'bridged after the notice').toBeGreaterThanOrEqual(notice!.finishedAt! - 100);

    const r = await caller.done;
    expect(r.exitCode, r.log).toBe(0);
    expect(await scenario.endedCall(service, callId)).toMatchObject({ outcome: 'completed', need: 'general' });
    await expectAllReleased(service);
  }, 90_000);

  it('a caller waiting behind another hears their position and expected wait announced', async () => {
    // No callback offer in the way: the announcement is what this test listens for.
    const service = await scenario.start({ queue: { announceEveryMs: 5000, callbackOfferAfterMs: 600_000 } });
    const recorder = await scenario.record();
    await scenario.phone('1002', true, { talkMs: 50_000 });
    await scenario.waitForCounsellor(service, 'c1002', 'available');
    const keys = [{ key: '1', afterMs: 1000 }, { key: '0', afterMs: 1000 }];
    const first = await scenario.caller({ callerNumber: '13800000331', keys, holdMs: 60_000, hangup: 'remote' });
    const firstId = await callIdOf(first);
    await scenario.waitForEvent(service, 'the first caller connected', (e) => e.type === 'connect' && e.callId === firstId, 30_000);
    const second = await scenario.caller({ callerNumber: '13800000332', keys, holdMs: 34_000, hangup: 'caller' });
    const secondId = await callIdOf(second);
    await scenario.waitForEvent(service, 'the second caller queued', (e) => e.type === 'enter' && e.callId === secondId, 20_000);

    // Next in line (nobody ahead), one Mandarin counsellor signed in: 零位, about 8 minutes.
    const expected = positionAnnouncement(1, 1, AVERAGE_HANDLE_MS);
    expect(expected).toEqual(['queue_position_prefix', 'digit_0', 'queue_position_suffix', 'queue_wait_minutes', 'digit_8', 'queue_wait_minutes_suffix']);
    const heard = await waitFor('the announcement played to the waiting caller to its end', async () => {
      const pb = playbacksWithSounds(recorder, secondId).find((p) => p.prompts[0] === 'queue_position_prefix');
      return pb?.finishedAt ? pb : undefined;
    }, 40_000).catch((err: Error) => {
      throw new Error(`${err.message}\nplaybacks on ${secondId}: ${JSON.stringify(playbacksWithSounds(recorder, secondId))}`);
    });
    expect(heard.prompts).toEqual(expected);
    expect(heard.finishedAt! - heard.at, 'heard, not cut short').toBeGreaterThan(2000);
    const notice = recorder.playbacksOn(secondId).find((p) => p.prompts.includes('privacy_notice'));
    expect(heard.at, 'never over the notice').toBeGreaterThanOrEqual(notice!.finishedAt!);
    // The caller in the call hears no announcement.
    expect(recorder.playbacksOn(firstId).filter((p) => p.prompts[0] === 'queue_position_prefix')).toEqual([]);

    const r = await second.done;
    expect(r.exitCode, r.log).toBe(0);
    expect(await scenario.endedCall(service, secondId)).toMatchObject({ outcome: 'abandoned' });
    await first.stop();
    await scenario.endedCall(service, firstId, 15_000);
    await expectAllReleased(service);
  }, 120_000);
});
