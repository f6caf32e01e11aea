import { describe, expect, it } from 'vitest';
import { restartableHotlinePerTest } from './restartable-hotline.ts';

const hotline = restartableHotlinePerTest();

describe('the router\'s one way in to a call\'s phase', () => {
  it('refuses an illegal transition and leaves the call where it was, in memory and in the store', async () => {
    await hotline.before().callerInQueue('caller-a');
    const call = hotline.before().calls.getCall('caller-a');
    if (!call) throw new Error('no live call');
    expect(call.phase).toBe('queued');

    expect(hotline.before().calls.transition(call, 'answered')).toBe(false);
    expect(hotline.before().calls.transition(call, 'escalation-ended')).toBe(false);
    expect(call.phase).toBe('queued');
    expect((await hotline.before().stores.liveCalls.get('caller-a'))?.phase).toBe('queued');

    // The call carries on as before: offered, answered, connected.
    await hotline.before().online('1001');
    hotline.before().telephony.answerLeg(hotline.before().offerFor('caller-a')?.channelId ?? '');
    await hotline.before().settle();
    expect(call.phase).toBe('connected');
  });

  it('after a restart, does not pull a connected caller still listed in the queue away from the counsellor', async () => {
    await hotline.before().online('1001');
    await hotline.before().callerInQueue('caller-a');
    const waiting = await hotline.before().stores.store.getCaller('caller-a');
    hotline.before().telephony.answerLeg(hotline.before().offerFor('caller-a')?.channelId ?? '');
    await hotline.before().settle();
    expect((await hotline.before().stores.liveCalls.get('caller-a'))?.phase).toBe('connected');
    // Stopped between saving the connected call and removing its queue entry.
    if (!waiting) throw new Error('caller was not queued');
    await hotline.before().stores.store.putCaller(waiting);

    const after = await hotline.restart();
    expect(after.calls.getCall('caller-a')?.phase).toBe('connected');
    expect(after.telephony.callsOf('addToBridge').filter(([, channels]) => (channels as string[]).includes('caller-a'))).toEqual([]);
  });
});
