import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseHotlineConfig } from '../../../src/config/hotline-config.ts';
import { FAKE_TIMERS, startTestHotline, type TestHotline } from '../../fakes/hotline-harness.ts';
import { serviceTestConfigInput } from '../../fakes/hotline-fixture.ts';

/**
 * Issue #11: the counsellor's phone rings while the caller hears the privacy notice; a counsellor who
 * answers before it ends hears a whisper and is bridged when it ends, never mid-notice.
 */

const WHISPER = ['whisper_new_call', 'whisper_high_risk', 'whisper_line_main', 'whisper_need_general', 'whisper_need_emergency', 'whisper_notice_wait'];

function configWithWhispers() {
  const input = serviceTestConfigInput();
  return parseHotlineConfig({ ...input, prompts: { ...input.prompts, ...Object.fromEntries(WHISPER.map((id) => [id, { cmn: `${id} 普通话`, yue: `${id} 廣東話` }])) } });
}

let h: TestHotline;
beforeEach(async () => {
  vi.useFakeTimers(FAKE_TIMERS);
  h = await startTestHotline({ config: configWithWhispers() });
});
afterEach(async () => {
  await h.stop();
  vi.useRealTimers();
});

const offerLeg = (callId: string) => {
  const r = h.offerFor(callId);
  if (!r) throw new Error(`no offer rung for ${callId}`);
  return r.channelId;
};
const prompts = (channelId: string) => h.telephony.playbacksOn(channelId).flatMap((p) => p.sounds.map((s) => ('prompt' in s ? s.prompt : '?')));
const inNoticeCaller = async (channelId: string, choice = '0') => h.callerInQueue(channelId, choice, { hearNotice: false });

describe('the privacy notice overlaps the ringing (issue #11)', () => {
  it('rings the counsellor as soon as the caller is routed, while the notice plays', async () => {
    await h.online('1001');
    await inNoticeCaller('caller-1');
    expect(prompts('caller-1')).toEqual(['privacy_notice']);
    expect(h.offerFor('caller-1')?.appArgs.slice(0, 3)).toEqual(['counsellor', 'caller-1', 'c1']);
    expect(h.calls.getCall('caller-1')?.phase).toBe('offered');
  });

  it('whispers to a counsellor who answers during the notice, and bridges them only when it ends', async () => {
    await h.online('1001');
    await inNoticeCaller('caller-1');
    const leg = offerLeg('caller-1');
    h.clock.advance(2000);
    h.telephony.answerLeg(leg);
    await h.settle();

    // Not bridged: the caller still hears the notice, the counsellor the whisper on their own leg.
    expect(h.telephony.pbx.bridges.get('call-caller-1')).toBeUndefined();
    expect(h.telephony.bridgeMembers('hotline-holding')).toEqual(['caller-1']);
    expect(prompts('caller-1')).toEqual(['privacy_notice']);
    expect(prompts(leg)).toEqual(['whisper_new_call', 'whisper_line_main', 'whisper_need_general', 'whisper_notice_wait']);
    expect(h.telephony.playbacksOn(leg)[0]?.sounds[0]).toEqual({ prompt: 'whisper_new_call', language: 'cmn' });
    expect(h.calls.getCall('caller-1')?.phase).toBe('offered');
    expect(h.stores.events.ofType('connect')).toEqual([]);

    h.clock.advance(3000);
    h.telephony.finishPlaybacksOn('caller-1');
    await h.settle();
    expect(h.telephony.pbx.bridges.get('call-caller-1')?.channels.sort()).toEqual(['caller-1', leg].sort());
    expect(h.telephony.playbacksOn(leg)).toEqual([]); // the whisper stopped as the caller came in
    expect(h.telephony.playbacksOn('caller-1')).toEqual([]);
    expect(h.calls.getCall('caller-1')).toMatchObject({ phase: 'connected', counsellorChannelId: leg });
    expect(await h.counsellors.get('c1')).toMatchObject({ status: 'on-call', callId: 'caller-1' });
    expect(h.stores.events.ofType('connect')).toMatchObject([{ callId: 'caller-1', counsellorId: 'c1', data: { waitMs: 5000 } }]);
    expect(await h.stores.store.listCallers()).toEqual([]);
  });

  it('bridges at once when the counsellor answers after the notice ended', async () => {
    await h.online('1001');
    await inNoticeCaller('caller-1');
    await h.hearAll('caller-1');
    const leg = offerLeg('caller-1');
    h.telephony.answerLeg(leg);
    await h.settle();
    expect(h.telephony.pbx.bridges.get('call-caller-1')?.channels.sort()).toEqual(['caller-1', leg].sort());
    expect(h.telephony.playbacksOn(leg)).toEqual([]); // no whisper
  });

  it('an emergency caller is bridged at once, notice or not', async () => {
    await h.online('1001');
    h.telephony.callerEnters('caller-1');
    await h.settle();
    h.telephony.dtmf('caller-1', '9');
    await h.settle();
    const leg = offerLeg('caller-1');
    h.telephony.answerLeg(leg);
    await h.settle();
    expect(h.telephony.pbx.bridges.get('call-caller-1')?.channels.sort()).toEqual(['caller-1', leg].sort());
    expect(h.telephony.playbacksOn(leg)).toEqual([]);
  });

  it('a caller who hangs up during the notice frees the counsellor who answered: their leg goes, they are available', async () => {
    await h.online('1001');
    await inNoticeCaller('caller-1');
    const leg = offerLeg('caller-1');
    h.telephony.answerLeg(leg);
    await h.settle();
    h.telephony.remoteHangup('caller-1');
    await h.settle();

    expect(h.telephony.channel(leg)).toBeUndefined();
    expect(h.telephony.pbx.bridges.get('call-caller-1')).toBeUndefined();
    expect(await h.counsellors.get('c1')).toMatchObject({ status: 'available', callId: null });
    expect(await h.stores.store.claimOf('c1')).toBeNull();
    expect(await h.stores.store.listCallers()).toEqual([]);
    expect(h.stores.events.ofType('abandon')).toMatchObject([{ callId: 'caller-1' }]);
    expect(h.stores.events.ofType('connect')).toEqual([]);
  });

  it('a counsellor who hangs up during the notice: the caller keeps their place, is never bridged to the gone leg, and is offered again', async () => {
    await h.online('1001');
    await inNoticeCaller('caller-1');
    const first = (await h.stores.store.getCaller('caller-1'))!;
    const leg = offerLeg('caller-1');
    h.telephony.answerLeg(leg);
    await h.settle();
    h.telephony.remoteHangup(leg);
    await h.settle();

    // Their offer lapsed as an unanswered one would: the caller waits at the same place and is rung again.
    expect(h.stores.events.ofType('no-answer')).toMatchObject([{ callId: 'caller-1', counsellorId: 'c1' }]);
    expect(await h.stores.store.getCaller('caller-1')).toMatchObject({ enqueuedAt: first.enqueuedAt, declinedBy: ['c1'] });
    const again = offerLeg('caller-1');
    expect(again).not.toBe(leg);
    expect(h.calls.getCall('caller-1')?.phase).toBe('offered');
    // The notice ends with the new offer still ringing: no bridge, the caller waits in the holding bridge.
    h.telephony.finishPlaybacksOn('caller-1');
    await h.settle();
    expect(h.telephony.pbx.bridges.get('call-caller-1')).toBeUndefined();
    expect(h.telephony.bridgeMembers('hotline-holding')).toEqual(['caller-1']);
    // The new offer is answered after the notice: bridged at once, with the new leg only.
    h.telephony.answerLeg(again);
    await h.settle();
    expect(h.telephony.pbx.bridges.get('call-caller-1')?.channels.sort()).toEqual(['caller-1', again].sort());
    expect(h.stores.events.ofType('connect')).toMatchObject([{ callId: 'caller-1', counsellorId: 'c1' }]);
  });

  it('bridges after the longest wait for the notice if its end is never reported', async () => {
    await h.online('1001');
    await inNoticeCaller('caller-1');
    const leg = offerLeg('caller-1');
    h.telephony.answerLeg(leg);
    await h.settle();
    await h.advance(29_000);
    expect(h.telephony.pbx.bridges.get('call-caller-1')).toBeUndefined();
    await h.advance(2000);
    expect(h.telephony.pbx.bridges.get('call-caller-1')?.channels.sort()).toEqual(['caller-1', leg].sort());
  });
});
