import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeTelephony } from '../../fakes/fake-telephony.ts';
import { FAKE_TIMERS, startTestHotline, type TestHotline } from '../../fakes/hotline-harness.ts';

let before: TestHotline;
let after: TestHotline | null;

beforeEach(async () => {
  vi.useFakeTimers(FAKE_TIMERS);
  before = await startTestHotline();
  after = null;
});

afterEach(async () => {
  await (after ?? before).stop();
  vi.useRealTimers();
});

describe('the router\'s one way in to a call\'s phase', () => {
  it('refuses an illegal transition and leaves the call where it was, in memory and in the store', async () => {
    await before.callerInQueue('caller-a');
    const call = before.calls.getCall('caller-a');
    if (!call) throw new Error('no live call');
    expect(call.phase).toBe('queued');

    expect(before.calls.transition(call, 'answered')).toBe(false);
    expect(before.calls.transition(call, 'escalation-ended')).toBe(false);
    expect(call.phase).toBe('queued');
    expect((await before.stores.liveCalls.get('caller-a'))?.phase).toBe('queued');

    // The call carries on as before: offered, answered, connected.
    await before.online('1001');
    before.telephony.answerLeg(before.offerFor('caller-a')?.channelId ?? '');
    await before.settle();
    expect(call.phase).toBe('connected');
  });

  it('after a restart, does not pull a connected caller still listed in the queue away from the counsellor', async () => {
    await before.online('1001');
    await before.callerInQueue('caller-a');
    const waiting = await before.stores.store.getCaller('caller-a');
    before.telephony.answerLeg(before.offerFor('caller-a')?.channelId ?? '');
    await before.settle();
    expect((await before.stores.liveCalls.get('caller-a'))?.phase).toBe('connected');
    // Stopped between saving the connected call and removing its queue entry.
    if (!waiting) throw new Error('caller was not queued');
    await before.stores.store.putCaller(waiting);

    await before.stop();
    after = await startTestHotline({ telephony: FakeTelephony.restartedFrom(before.telephony), stores: before.stores });
    expect(after.calls.getCall('caller-a')?.phase).toBe('connected');
    expect(after.telephony.callsOf('addToBridge').filter(([, channels]) => (channels as string[]).includes('caller-a'))).toEqual([]);
  });
});
