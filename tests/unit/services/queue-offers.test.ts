import { describe, expect, it } from 'vitest';
import type { TestHotline } from '../../fakes/hotline-harness.ts';
import { hotlinePerTest } from './hotline-per-test.ts';

let h: TestHotline;
hotlinePerTest((started) => void (h = started));

const offerLeg = (callId: string) => {
  const r = h.offerFor(callId);
  if (!r) throw new Error(`no offer rung for ${callId}`);
  return r.channelId;
};

describe('queueing and offering', () => {
  it('puts the caller in the holding bridge and rings a registered available counsellor', async () => {
    await h.online('1001');
    expect((await h.counsellors.get('c1'))?.status).toBe('available');
    await h.callerInQueue('caller-1');

    expect(h.telephony.bridgeMembers('hotline-holding')).toEqual(['caller-1']);
    expect(h.telephony.pbx.bridges.get('hotline-holding')).toMatchObject({ type: 'holding', moh: 'hotline' });
    expect(h.telephony.dialledOut()).toEqual([]);
    const offers = h.telephony.phonesRung();
    expect(offers).toHaveLength(1);
    const [offer] = offers;
    const offerId = offer?.appArgs[3] ?? '';
    expect(offerId).toMatch(/^[0-9a-f]{8}$/);
    expect(offer).toMatchObject({
      channelId: `offer-${offerId}-c1`, phone: '1001', appArgs: ['counsellor', 'caller-1', 'c1', offerId],
      callerId: { name: 'main/general 0s', number: '12355' }, timeoutSec: 20,
    });
    // What the phone shows as X-Hotline-* headers: never the caller's number.
    expect(offer?.call).toEqual({ callId: 'caller-1', line: 'main', need: 'general', language: 'cmn', waitSec: 0, highRisk: false });
    expect(await h.stores.store.getCaller('caller-1')).toMatchObject({ state: 'offered', offerId, offeredTo: ['c1'] });
    expect(await h.stores.store.claimOf('c1')).toBe(offerId);
    expect((await h.counsellors.get('c1'))).toMatchObject({ status: 'offered', callId: 'caller-1' });
    expect(h.stores.events.ofType('offer')).toMatchObject([{ callId: 'caller-1', counsellorId: 'c1' }]);
  });

  it('rings a counsellor who signs in after the caller queued, only if they have the skills', async () => {
    await h.callerInQueue('caller-1', '1'); // psychological
    await h.online('1002'); // c2 has no psychological skill
    expect(h.telephony.dialled()).toEqual([]);
    await h.online('1001');
    expect(h.telephony.dialled().map((r) => r.appArgs.slice(0, 3))).toEqual([['counsellor', 'caller-1', 'c1']]);
  });

  it('connects caller and counsellor in a mixing bridge when the counsellor leg enters Stasis', async () => {
    await h.online('1001');
    await h.callerInQueue('caller-1');
    h.clock.advance(4000);
    const leg = offerLeg('caller-1');
    const offerId = h.offerFor('caller-1')?.appArgs[3];
    h.telephony.answerLeg(leg);
    await h.settle();

    const bridge = h.telephony.pbx.bridges.get('call-caller-1');
    expect(bridge?.type).toBe('mixing');
    expect(bridge?.channels.sort()).toEqual(['caller-1', leg].sort());
    expect(h.telephony.bridgeMembers('hotline-holding')).toEqual([]);
    expect(await h.stores.store.getCaller('caller-1')).toBeNull();
    expect(await h.stores.store.listCallers()).toEqual([]);
    expect(h.stores.store.callerClaim('caller-1')).toBeNull();
    expect(h.telephony.playbacksOn('caller-1')).toEqual([]); // the hold prompt stopped
    expect(await h.counsellors.get('c1')).toMatchObject({ status: 'on-call', callsToday: 1 });
    expect(await h.stores.records.get('caller-1')).toMatchObject({ counsellorId: 'c1', connectedAt: h.clock.now().toISOString() });
    expect(h.stores.events.ofType('connect')).toMatchObject([{ callId: 'caller-1', counsellorId: 'c1', data: { waitMs: 4000, offerId } }]);
    expect(h.calls.getCall('caller-1')).toMatchObject({ phase: 'connected', counsellorChannelId: leg, bridgeId: 'call-caller-1' });
  });

  it('ends the call when the counsellor hangs up, then wraps up and frees the counsellor', async () => {
    await h.online('1001');
    await h.callerInQueue('caller-1');
    const leg = offerLeg('caller-1');
    h.telephony.answerLeg(leg);
    await h.settle();
    h.telephony.remoteHangup(leg);
    await h.settle();

    expect(h.telephony.channel('caller-1')).toBeUndefined(); // our code hung the caller up after the counsellor left
    expect((await h.stores.records.get('caller-1'))?.outcome).toBe('completed');
    expect(h.stores.events.ofType('complete')).toHaveLength(1);
    expect(h.telephony.pbx.bridges.has('call-caller-1')).toBe(false);
    expect(await h.counsellors.get('c1')).toMatchObject({ status: 'wrap-up' });
    expect(await h.stores.store.claimOf('c1')).toBeNull();
    await h.advance(30_000, 5000);
    expect((await h.counsellors.get('c1'))?.status).toBe('available');
  });
});

describe('an offer nobody answers', () => {
  it('keeps the caller waiting with declinedBy, and pauses the counsellor after maxMissedBeforePause misses', async () => {
    await h.online('1001');
    await h.callerInQueue('caller-1');
    const first = offerLeg('caller-1');
    h.telephony.failLeg(first);
    await h.settle();

    const caller = await h.stores.store.getCaller('caller-1');
    expect(caller).toMatchObject({ declinedBy: ['c1'] });
    expect(h.stores.events.ofType('no-answer')).toMatchObject([{ callId: 'caller-1', counsellorId: 'c1', data: { cause: 'No Answer' } }]);
    expect((await h.counsellors.get('c1'))?.missedInARow).toBe(1);
    // c1 is the only one who can take the call, so it rings again.
    const second = offerLeg('caller-1');
    expect(second).not.toBe(first);

    h.telephony.failLeg(second, 17, 'User busy');
    await h.settle();
    expect(await h.counsellors.get('c1')).toMatchObject({ status: 'paused', pauseReason: 'no-answer', missedInARow: 2 });
    expect(h.stores.events.ofType('auto-pause')).toMatchObject([{ counsellorId: 'c1', data: { reason: 'no-answer' } }]);
    expect(h.alerts().map((a) => a.code)).toContain('counsellor-auto-paused');
    expect(await h.stores.store.getCaller('caller-1')).toMatchObject({ state: 'waiting', offerId: null, offeredTo: [] });
    expect(h.calls.getCall('caller-1')?.phase).toBe('queued');
    expect(await h.stores.store.claimOf('c1')).toBeNull();
    expect(h.stores.store.callerClaim('caller-1')).toBeNull();
    expect(h.telephony.dialled()).toHaveLength(2);
    expect(h.telephony.bridgeMembers('hotline-holding')).toEqual(['caller-1']);
  });

  it('offers the caller to another counsellor before the one who missed it', async () => {
    await h.online('1001');
    await h.callerInQueue('caller-1');
    await h.online('1002');
    h.telephony.failLeg(offerLeg('caller-1'));
    await h.settle();
    expect(h.offerFor('caller-1')?.appArgs[2]).toBe('c2');
  });
});

describe('a caller hanging up while waiting', () => {
  it("logs 'abandon' with the caller's position and wait", async () => {
    await h.callerInQueue('caller-1');
    await h.callerInQueue('caller-2');
    h.clock.advance(7000);
    h.telephony.remoteHangup('caller-2');
    await h.settle();

    expect(h.stores.events.ofType('abandon')).toMatchObject([{ callId: 'caller-2', data: { position: 2, waitMs: 7000 } }]);
    expect((await h.stores.records.get('caller-2'))?.outcome).toBe('abandoned');
    expect((await h.stores.store.listCallers()).map((c) => c.callId)).toEqual(['caller-1']);
    expect(h.telephony.bridgeMembers('hotline-holding')).toEqual(['caller-1']);
  });

  it('withdraws a ringing offer and frees the counsellor', async () => {
    await h.online('1001');
    await h.callerInQueue('caller-1');
    const leg = offerLeg('caller-1');
    h.telephony.remoteHangup('caller-1');
    await h.settle();

    expect(h.telephony.callsOf('hangup')).toContainEqual([leg, undefined]);
    expect(h.telephony.channel(leg)).toBeUndefined();
    expect(await h.counsellors.get('c1')).toMatchObject({ status: 'available', missedInARow: 0 });
    expect(await h.stores.store.claimOf('c1')).toBeNull();
    expect(h.stores.events.ofType('abandon')).toMatchObject([{ callId: 'caller-1', data: { position: 1 } }]);
    expect(await h.stores.liveCalls.linkOf(leg)).toBeNull();
  });
});
