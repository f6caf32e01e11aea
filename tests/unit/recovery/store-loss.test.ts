import { describe, expect, it } from 'vitest';
import type { TestHotline } from '../../fakes/hotline-harness.ts';
import { hotlinePerTest } from '../services/hotline-per-test.ts';

let h: TestHotline;
hotlinePerTest((started) => void (h = started));

/** caller-1 talking to c1 (phone 1001); returns the counsellor's leg. */
async function connectedCall(): Promise<string> {
  await h.online('1001');
  await h.callerInQueue('caller-1', '0');
  const leg = h.offerFor('caller-1')?.channelId ?? '';
  h.telephony.answerLeg(leg);
  await h.settle();
  expect(h.calls.getCall('caller-1')?.phase).toBe('connected');
  return leg;
}

/** Three callers waiting, one second apart, the last an emergency (ahead of the others). */
async function threeWaiting(): Promise<Array<[string, number]>> {
  await h.callerInQueue('caller-a');
  h.clock.advance(1000);
  await h.callerInQueue('caller-b');
  h.clock.advance(1000);
  await h.callerInQueue('caller-c', '9');
  return (await h.stores.store.listCallers()).map((c) => [c.callId, c.enqueuedAt]);
}

describe('Redis came back without its data', () => {
  it('puts waiting callers back in their original order and offers them in that order', async () => {
    const order = await threeWaiting();
    expect(order.map(([id]) => id)).toEqual(['caller-c', 'caller-a', 'caller-b']);
    h.clock.advance(30_000);

    await h.storeLost();
    expect((await h.stores.store.listCallers()).map((c) => [c.callId, c.enqueuedAt]), 'queue and entry times as before').toEqual(order);
    for (const id of ['caller-a', 'caller-b', 'caller-c']) {
      expect((await h.stores.liveCalls.get(id))?.phase, `${id} stored again`).toBe('queued');
      expect(h.calls.getCall(id)?.phase).toBe('queued');
    }
    expect(h.telephony.callsOf('hangup'), 'nobody hung up on').toEqual([]);
    expect(h.telephony.callsOf('answer').map(([id]) => id), 'not treated as new callers').toEqual(['caller-a', 'caller-b', 'caller-c']);
    expect(h.alerts().map((a) => a.code)).toContain('store-data-lost');

    await h.online('1002');
    expect(h.telephony.dialled().map((r) => r.appArgs.slice(1, 3))).toEqual([['caller-c', 'c2']]);
    h.telephony.answerLeg(h.offerFor('caller-c')?.channelId ?? '');
    await h.settle();
    expect(h.calls.getCall('caller-c')?.phase).toBe('connected');
    await h.online('1001');
    expect(h.telephony.dialled().map((r) => r.appArgs.slice(1, 3))).toEqual([['caller-c', 'c2'], ['caller-a', 'c1']]);
  });

  it('withdraws an offer whose claim was lost and rings again once the counsellor is free', async () => {
    await h.callerInQueue('caller-a');
    await h.online('1002');
    const first = h.offerFor('caller-a')?.channelId ?? '';
    expect(first).not.toBe('');
    expect(h.calls.getCall('caller-a')?.phase).toBe('offered');

    await h.storeLost();
    expect(h.telephony.callsOf('hangup').map(([id]) => id), 'the ringing offer is withdrawn').toContain(first);
    // Matching rings c2 again with a new claim (the old one went with the data).
    const again = h.offerFor('caller-a')?.channelId ?? '';
    expect(again).not.toBe(first);
    expect(h.calls.getCall('caller-a')?.phase).toBe('offered');
    h.telephony.answerLeg(again);
    await h.settle();
    expect(h.calls.getCall('caller-a')?.phase).toBe('connected');
  });

  it('keeps a conversation going and ends it normally when the counsellor hangs up afterwards', async () => {
    const leg = await connectedCall();
    await h.storeLost();
    expect(await h.stores.liveCalls.get('caller-1'), 'the call is stored again').toMatchObject({ phase: 'connected', counsellorId: 'c1', counsellorChannelId: leg });
    expect((await h.stores.liveCalls.linkOf(leg))?.callId, 'the counsellor leg finds its call again').toBe('caller-1');
    expect((await h.stores.store.getCounsellor('c1'))?.status, 'c1 is not offered while talking').toBe('on-call');
    expect(h.telephony.callsOf('hangup')).toEqual([]);

    await h.callerInQueue('caller-2');
    expect(h.offerFor('caller-2'), 'no offer to the counsellor on a call').toBeUndefined();

    h.telephony.remoteHangup(leg);
    await h.settle();
    expect(h.telephony.callsOf('hangup').map(([id]) => id)).toContain('caller-1');
    h.telephony.remoteHangup('caller-1');
    await h.settle();
    expect(await h.stores.records.get('caller-1')).toMatchObject({ outcome: 'completed', counsellorId: 'c1' });
  });

  it('keeps signed-in people signed in under their token', async () => {
    const token = await h.sessions.create({ userId: 'c1', name: '陈老师', role: 'counsellor', team: 'gz', level: 'city' });
    await h.storeLost();
    expect(await h.stores.sessions.get(token)).toMatchObject({ userId: 'c1', role: 'counsellor' });
    await h.sessions.destroy(token);
    await h.storeLost();
    expect(await h.stores.sessions.get(token), 'a signed-out session is not brought back').toBeNull();
  });

  it('does not bring back a caller who left before the loss', async () => {
    await threeWaiting();
    h.telephony.remoteHangup('caller-b');
    await h.settle();
    await h.storeLost();
    expect((await h.stores.store.listCallers()).map((c) => c.callId)).toEqual(['caller-c', 'caller-a']);
    expect(await h.stores.liveCalls.get('caller-b')).toBeNull();
    expect(await h.stores.records.get('caller-b')).toMatchObject({ outcome: 'abandoned' });
  });
});
