import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BullmqJobs } from '../../src/adapters/jobs/bullmq-jobs.ts';
import { OwnRedis } from './support/own-redis.ts';
import { invitedCallIds, scenarioPerTest, type QueueEvent, type QueueScenario } from './support/queue-scenario.ts';
import type { QueueCaller } from './support/queue-sipp.ts';
import type { RunningService } from './support/service.ts';
import { saw } from './support/sipp.ts';
import { sleep, waitFor } from './support/wait.ts';

/**
 * Redis crashes and comes back while callers wait, with the service running. With the project's
 * Redis settings (AOF, fsync every second) it comes back with its data: nothing is lost. Run as
 * this machine's Redis is (nothing kept on disk), it comes back empty: the service must notice and
 * give back what it holds, so that the callers are still served, in their order.
 */

let scenario: QueueScenario;
scenarioPerTest((s) => (scenario = s));
let redis: OwnRedis;
beforeEach(async () => {
  redis = new OwnRedis();
  await redis.start();
});
afterEach(async () => {
  await redis.stop();
});

const connects = async (s: QueueScenario, service: RunningService, ids: string[]): Promise<QueueEvent[]> =>
  (await s.events(service)).filter((e) => e.type === 'connect' && ids.includes(e.callId ?? ''));

/** Three callers (general need) queued one after the other, past the privacy notice; their call ids in queue order. */
async function threeWaiting(service: RunningService, numbers: string[]): Promise<{ callers: QueueCaller[]; ids: string[] }> {
  const recorder = await scenario.record();
  const callers: QueueCaller[] = [];
  const ids: string[] = [];
  for (const callerNumber of numbers) {
    const caller = await scenario.caller({ callerNumber, keys: [{ key: '1', afterMs: 1000 }, { key: '0', afterMs: 1000 }], holdMs: 120_000, hangup: 'remote' });
    const callId = (await scenario.channelOf(caller)).id;
    await scenario.waitForEvent(service, `${callerNumber} queued`, (e) => e.type === 'enter' && e.callId === callId);
    callers.push(caller);
    ids.push(callId);
  }
  await waitFor('the last privacy notice over', async () =>
    recorder.playbacksOn(ids[2]!).some((p) => p.prompts.includes('privacy_notice') && p.finishedAt) ? true : undefined, 20_000);
  expect((await scenario.waiting(service)).map((w) => w.callId), 'queue order = order of entry').toEqual(ids);
  return { callers, ids };
}

/** One phone that answers each call for 2 s serves the callers; all in queue order, none dropped. */
async function servedInOrder(service: RunningService, callers: QueueCaller[], ids: string[]): Promise<void> {
  const phone = await scenario.phone('1001', true, { talkMs: 2000 });
  await waitFor('3 callers connected', async () => ((await connects(scenario, service, ids)).length === 3 ? true : undefined), 45_000)
    .catch(async (err: Error) => {
      throw new Error(`${err.message}\nwaiting: ${JSON.stringify(await scenario.waiting(service))}\nINVITEs for: ${invitedCallIds(phone).join(', ')}`);
    });
  expect(invitedCallIds(phone), 'the phone was rung for the callers in the order they queued').toEqual(ids);
  for (const caller of callers) {
    const r = await caller.done;
    expect(saw(r, 'received', 'BYE'), `${caller.callerNumber} ended by the counsellor hanging up, not dropped`).toBe(true);
  }
  for (const callId of ids) expect(await scenario.endedCall(service, callId)).toMatchObject({ outcome: 'completed', counsellorId: 'c1001' });
  await scenario.ari.waitForNoLeftovers(5000);
}

describe('Redis restarts with callers waiting', () => {
  it('with the AOF: waiting callers, sign-ins and a callback job survive a crash of Redis', async () => {
    const service = await scenario.start({ env: { REDIS_URL: redis.url } });
    const { callers, ids } = await threeWaiting(service, ['13800000261', '13800000262', '13800000263']);
    const counsellorToken = await service.login('c1001');
    // A callback booked earlier, through the adapter the service itself uses.
    const conn = new Redis(redis.url, { maxRetriesPerRequest: null });
    const jobs = new BullmqJobs(conn, service.env.REDIS_PREFIX!);
    await jobs.requestCallback({
      callId: 'booked-before-crash', callerNumber: '13900000264', enqueuedAt: Date.now() - 60_000, requestedAt: new Date().toISOString(),
      routing: { line: 'main', need: 'general', skills: [], language: 'cmn', priority: 20, highRisk: false, announce: [] },
    });
    await jobs.close();
    conn.disconnect();
    await sleep(1500); // past the AOF's once-a-second fsync

    const logMark = service.logs().length;
    await redis.restart({ wiped: false });
    await sleep(3000); // several rounds of the loss watch

    expect(service.logs().slice(logMark), 'no loss seen: the data came back').not.toContain('Redis lost its data');
    for (const c of callers) expect(c.byeReceived(), `${c.callerNumber} hung up on`).toBe(false);
    expect((await scenario.waiting(service)).map((w) => w.callId), 'queue as it was, same supervisor sign-in').toEqual(ids);
    const me = await service.api<{ id?: string; userId?: string }>('/api/auth/me', counsellorToken);
    expect(me.status, 'the counsellor is still signed in').toBe(200);
    const { body } = await service.api<{ callbacks: Array<{ callId: string }> }>('/api/callbacks', counsellorToken);
    expect(body.callbacks.map((c) => c.callId), 'the callback job is still there').toContain('booked-before-crash');

    await servedInOrder(service, callers, ids);
  }, 150_000);

  it('without its data: the service notices, gives back what it holds, and the callers are served in order', async () => {
    const service = await scenario.start({ env: { REDIS_URL: redis.url } });
    const { callers, ids } = await threeWaiting(service, ['13800000271', '13800000272', '13800000273']);
    const counsellorToken = await service.login('c1001');

    const logMark = service.logs().length;
    await redis.restart({ wiped: true });
    await service.waitForLog(/"msg":"Redis lost its data; restoring what this instance holds"/, 10_000, logMark);
    await service.waitForLog(/"msg":"store recovered after data loss"/, 15_000, logMark);

    for (const c of callers) expect(c.byeReceived(), `${c.callerNumber} hung up on`).toBe(false);
    expect((await scenario.waiting(service)).map((w) => w.callId), 'queue given back in its order').toEqual(ids);
    expect((await service.api('/api/auth/me', counsellorToken)).status, 'the counsellor is still signed in').toBe(200);
    const alerts = await service.api<{ alerts: Array<{ code: string }> }>('/api/alerts', await service.login('s2001'));
    expect(alerts.body.alerts.map((a) => a.code), 'supervisors are told').toContain('store-data-lost');

    await servedInOrder(service, callers, ids);
  }, 150_000);
});
