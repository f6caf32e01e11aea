import { describe, expect, it } from 'vitest';
import { invitedCallIds, scenarioPerTest, type QueueEvent, type QueueScenario } from './support/queue-scenario.ts';
import type { QueueCaller } from './support/queue-sipp.ts';
import type { RunningService } from './support/service.ts';
import { saw } from './support/sipp.ts';
import { sleep, waitFor } from './support/wait.ts';

/**
 * Waiting callers survive a crash of the service: they stay in Asterisk's holding bridge with music,
 * and the restarted service (same Redis prefix) serves them in the order they first queued.
 *
 * Run alone in a slot of your own:  HOTLINE_TEST_SLOT=2 npx vitest run --project e2e tests/e2e/queue-restart.test.ts
 */

let scenario: QueueScenario;
scenarioPerTest((s) => (scenario = s));

const HOLDING = 'hotline-holding';

/** Call ids in the holding bridge now. */
async function holdingChannels(s: QueueScenario): Promise<string[]> {
  return (await s.ari.bridges()).find((b) => b.id === HOLDING)?.channels ?? [];
}

/** Callers are on the line: no BYE from the hotline, channel still in Asterisk and in the holding bridge. */
async function expectStillWaiting(s: QueueScenario, callers: QueueCaller[], ids: string[], when: string): Promise<void> {
  for (const c of callers) expect(c.byeReceived(), `${c.callerNumber} hung up on ${when}`).toBe(false);
  const channels = (await s.ari.channels()).map((c) => c.id);
  expect(channels, `caller channels in Asterisk ${when}`).toEqual(expect.arrayContaining(ids));
  expect(await holdingChannels(s), `callers in ${HOLDING} ${when}`).toEqual(expect.arrayContaining(ids));
}

const connects = async (s: QueueScenario, service: RunningService, ids: string[]): Promise<QueueEvent[]> =>
  (await s.events(service)).filter((e) => e.type === 'connect' && ids.includes(e.callId ?? ''));

describe('queue across a restart', () => {
  it('keeps 3 waiting callers through a SIGKILL and connects them in their original order afterwards', async () => {
    const first = await scenario.start();
    const recorder = await scenario.record();
    // No counsellor signed in. Psychological, general, psychological: c1001 can take them all.
    const plan: Array<[string, string]> = [['13800000241', '1'], ['13800000242', '0'], ['13800000243', '1']];
    const callers: QueueCaller[] = [];
    const ids: string[] = [];
    for (const [callerNumber, needKey] of plan) {
      const caller = await scenario.caller({ callerNumber, keys: [{ key: '1', afterMs: 1000 }, { key: needKey, afterMs: 1000 }], holdMs: 120_000, hangup: 'remote' });
      const callId = (await scenario.channelOf(caller)).id;
      // One after the other: each is in the queue before the next calls.
      await scenario.waitForEvent(first, `${callerNumber} queued`, (e) => e.type === 'enter' && e.callId === callId);
      callers.push(caller);
      ids.push(callId);
    }
    expect((await scenario.waiting(first)).map((w) => w.callId), 'queue order = order of entry').toEqual(ids);
    // Past the privacy notice, so that nothing but the restart is under test.
    await waitFor('the last privacy notice over', async () =>
      recorder.playbacksOn(ids[2]!).some((p) => p.prompts.includes('privacy_notice') && p.finishedAt) ? true : undefined, 20_000);
    await expectStillWaiting(scenario, callers, ids, 'before the crash');

    await first.kill();
    expect((await scenario.ari.application()).channel_ids, 'callers still in Stasis').toEqual(expect.arrayContaining(ids));
    await sleep(1500);
    await expectStillWaiting(scenario, callers, ids, 'while the service is down');

    const second = await scenario.start({ redisPrefix: first.env.REDIS_PREFIX! });
    await second.waitForLog(/"msg":"resync done"/, 15_000);
    await waitFor('the 3 callers resumed', async () =>
      second.logs().split('\n').filter((l) => l.includes('"msg":"waiting caller resumed"')).length === 3 ? true : undefined);
    await expectStillWaiting(scenario, callers, ids, 'after the restart');
    expect((await scenario.waiting(second)).map((w) => w.callId), 'queue order kept in Redis').toEqual(ids);

    // One counsellor, 2 s per call, no wrap-up: the callers are connected one after the other.
    const phone = await scenario.phone('1001', true, { talkMs: 2000 });
    await waitFor('3 callers connected', async () => ((await connects(scenario, second, ids)).length === 3 ? true : undefined), 45_000)
      .catch(async (err: Error) => {
        throw new Error(`${err.message}\nwaiting: ${JSON.stringify(await scenario.waiting(second))}\nINVITEs for: ${invitedCallIds(phone).join(', ')}`);
      });
    expect(invitedCallIds(phone), 'the phone was rung for the callers in the order they queued').toEqual(ids);
    expect((await connects(scenario, second, ids)).map((e) => e.callId), 'connected in the order they queued').toEqual(ids);

    for (const caller of callers) {
      const r = await caller.done;
      expect(r.exitCode, r.log).toBe(0);
      expect(saw(r, 'received', 'BYE'), `${caller.callerNumber} ended by the counsellor hanging up, not dropped`).toBe(true);
    }
    for (const callId of ids) {
      const rec = await scenario.endedCall(second, callId);
      expect(rec).toMatchObject({ outcome: 'completed', counsellorId: 'c1001' });
      const course = (await scenario.events(second, callId)).map((e) => e.type);
      expect(course, `${callId}: one enter, one offer, connected and completed; no abandon`).toEqual(['enter', 'offer', 'connect', 'complete']);
    }
    await scenario.ari.waitForNoLeftovers(5000);
    await waitFor('no live call in Redis', async () => ((await second.liveCalls()).length === 0 ? true : undefined));
    expect(await scenario.waiting(second)).toEqual([]);
  }, 150_000);

  it('resumes callers killed mid-prompt without stalling: the resync does not wait for their prompts to end', async () => {
    const first = await scenario.start();
    const callers: QueueCaller[] = [];
    const ids: string[] = [];
    for (const callerNumber of ['13800000251', '13800000252', '13800000253']) {
      const caller = await scenario.caller({ callerNumber, keys: [{ key: '1', afterMs: 1000 }, { key: '1', afterMs: 1000 }], holdMs: 90_000, hangup: 'remote' });
      const callId = (await scenario.channelOf(caller)).id;
      await scenario.waitForEvent(first, `${callerNumber} queued`, (e) => e.type === 'enter' && e.callId === callId);
      callers.push(caller);
      ids.push(callId);
    }
    // Killed while the last callers still hear the 10 s privacy notice (Asterisk plays it on).
    await first.kill();

    const second = await scenario.start({ redisPrefix: first.env.REDIS_PREFIX! });
    const at = (line: string) => (JSON.parse(line) as { time: number }).time;
    const up = at(await second.waitForLog(/"msg":"ARI event stream connected"/, 15_000));
    const done = at(await second.waitForLog(/"msg":"resync done"/, 30_000));
    expect(second.logs().split('\n').filter((l) => l.includes('"msg":"waiting caller resumed"'))).toHaveLength(3);
    expect(second.logs(), 'queued callers are not sent back to the menus').not.toContain('"msg":"resuming caller in the menus"');
    expect(done - up, 'resync time (ms) with 3 callers hearing a prompt').toBeLessThan(3000);
    await expectStillWaiting(scenario, callers, ids, 'after the restart');
    expect((await scenario.waiting(second)).map((w) => w.callId)).toEqual(ids);
  }, 90_000);
});
