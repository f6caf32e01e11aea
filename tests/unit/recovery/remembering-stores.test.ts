import { describe, expect, it } from 'vitest';
import { newCounsellorSnapshot } from '../../../src/domain/routing/counsellor-state.ts';
import type { QueuedCaller } from '../../../src/ports/queue-store.ts';
import { RememberingLiveCalls } from '../../../src/services/recovery/remembering-live-calls.ts';
import { RememberingQueueStore } from '../../../src/services/recovery/remembering-queue-store.ts';
import { RememberingSessions } from '../../../src/services/recovery/remembering-sessions.ts';
import { ManualClock } from '../../fakes/manual-clock.ts';
import { MemoryLiveCalls } from '../../fakes/memory-live-calls.ts';
import { MemoryQueueStore } from '../../fakes/memory-queue-store.ts';
import { MemorySessions } from '../../fakes/memory-sessions.ts';

const caller = (callId: string, enqueuedAt: number): QueuedCaller => ({
  callId, enqueuedAt, priority: 10, skills: [], language: 'cmn', team: null, declinedBy: [], line: 'main', need: 'general',
  highRisk: false, state: 'waiting', offeredTo: [], offerId: null, callbackRequested: false, overflowed: false,
});
const profile = { id: 'c1', name: '陈老师', endpoint: 'PJSIP/1001', skills: [], languages: ['cmn' as const], team: 'gz', level: 'city' as const };

describe('RememberingQueueStore', () => {
  it('gives back the callers it wrote and still holds, in their order, and none it removed', async () => {
    const redis = new MemoryQueueStore();
    const store = new RememberingQueueStore(redis);
    await store.putCaller(caller('b', 2000));
    await store.putCaller(caller('a', 1000));
    await store.putCaller(caller('gone', 1500));
    await store.removeCaller('gone');
    redis.clear();
    expect(await store.restore()).toBe(2);
    expect((await redis.listCallers()).map((c) => c.callId)).toEqual(['a', 'b']);
  });

  it('remembers the last write, a copy (later mutation of the object does not leak in)', async () => {
    const redis = new MemoryQueueStore();
    const store = new RememberingQueueStore(redis);
    const c = caller('a', 1000);
    await store.putCaller(c);
    c.state = 'offered';
    await store.putCaller({ ...caller('a', 1000), declinedBy: ['c2'] });
    redis.clear();
    await store.restore();
    expect(await redis.getCaller('a')).toMatchObject({ state: 'waiting', declinedBy: ['c2'] });
  });

  it('leaves a counsellor snapshot written since the loss as it is', async () => {
    const redis = new MemoryQueueStore();
    const store = new RememberingQueueStore(redis);
    await store.putCounsellor({ ...newCounsellorSnapshot(profile, 0), status: 'on-call' });
    redis.clear();
    await redis.putCounsellor({ ...newCounsellorSnapshot(profile, 5), status: 'available' });
    expect(await store.restore()).toBe(0);
    expect((await redis.getCounsellor('c1'))?.status).toBe('available');
  });
});

describe('RememberingLiveCalls', () => {
  it('gives back the links of calls still going, not those unlinked or of ended calls', async () => {
    const redis = new MemoryLiveCalls();
    const calls = new RememberingLiveCalls(redis);
    await calls.link({ channelId: 'offer-1-c1', callId: 'call-1', role: 'counsellor' });
    await calls.link({ channelId: 'police-1-0', callId: 'call-1', role: 'emergency' });
    await calls.link({ channelId: 'offer-2-c2', callId: 'call-2', role: 'counsellor' });
    await calls.unlink('police-1-0');
    await calls.remove('call-2');
    redis.clear();
    expect(await calls.restore()).toBe(1);
    expect(redis.allLinks()).toEqual([{ channelId: 'offer-1-c1', callId: 'call-1', role: 'counsellor' }]);
  });
});

describe('RememberingSessions', () => {
  it('gives back sessions in use, not those signed out or idle past the time-to-live', async () => {
    const clock = new ManualClock();
    const redis = new MemorySessions();
    const sessions = new RememberingSessions(redis, clock, 60_000);
    const who = { userId: 'c1', name: '陈老师', role: 'counsellor' as const, team: 'gz', level: 'city' as const };
    const idle = await sessions.create(who);
    const out = await sessions.create(who);
    clock.advance(50_000);
    const active = await sessions.create(who);
    await sessions.destroy(out);
    clock.advance(20_000); // idle is 70 s old now, active 20 s
    redis.clear();
    expect(await sessions.restore()).toBe(1);
    expect(await redis.get(active)).toEqual(who);
    expect(await redis.get(idle)).toBeNull();
    expect(await redis.get(out)).toBeNull();
  });
});
