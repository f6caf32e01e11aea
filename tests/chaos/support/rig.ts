import { Redis } from 'ioredis';
import { profileRedisUrl } from '../../../src/config/profiles.ts';
import type { QueueScenario, QueueEvent } from '../../e2e/support/queue-scenario.ts';
import type { QueueCaller, QueuePhone } from '../../e2e/support/queue-sipp.ts';
import type { RunningService } from '../../e2e/support/service.ts';
import { sleep, waitFor } from '../../e2e/support/wait.ts';
import type { ScenarioFigures } from './report.ts';

/**
 * The load the fault scenarios share, built from the e2e peers: callers who choose Mandarin (1)
 * then a person (0) and wait; counsellor phones 1001-1003 holding long conversations through the
 * fault, then replaced by quick ones that serve the queue. And the counts that matter afterwards.
 */

export const COUNSELLOR_PHONES = ['1001', '1002', '1003'] as const;

export interface LoadedCaller {
  number: string;
  caller: QueueCaller;
  callId: string;
}

/** `n` callers, started `staggerMs` apart; resolves once each is in the queue, with their call ids. */
export async function queueCallers(s: QueueScenario, service: RunningService, n: number, o: { first: number; staggerMs?: number; holdMs?: number }): Promise<LoadedCaller[]> {
  const started: Array<{ number: string; caller: QueueCaller }> = [];
  for (let i = 0; i < n; i++) {
    const number = String(13_900_000_000 + o.first + i);
    started.push({ number, caller: await s.caller({ callerNumber: number, keys: [{ key: '1', afterMs: 800 }, { key: '0', afterMs: 800 }], holdMs: o.holdMs ?? 110_000, hangup: 'remote' }) });
    await sleep(o.staggerMs ?? 200);
  }
  const loaded: LoadedCaller[] = [];
  for (const c of started) loaded.push({ ...c, callId: (await s.channelOf(c.caller, 20_000)).id });
  const ids = new Set(loaded.map((c) => c.callId));
  await waitFor(`${n} callers queued`, async () => ((await s.events(service)).filter((e) => e.type === 'enter' && ids.has(e.callId ?? '')).length === n ? true : undefined), 60_000);
  return loaded;
}

/**
 * `n` callers who choose a person, when the event log cannot be read (the database is down): their
 * channels are found in Asterisk, and whether they queued is judged from the outcome afterwards.
 */
export async function queueCallersBlind(s: QueueScenario, n: number, first: number): Promise<LoadedCaller[]> {
  const loaded: LoadedCaller[] = [];
  for (let i = 0; i < n; i++) {
    const number = String(13_900_000_000 + first + i);
    const caller = await s.caller({ callerNumber: number, keys: [{ key: '1', afterMs: 800 }, { key: '0', afterMs: 800 }], holdMs: 110_000, hangup: 'remote' });
    loaded.push({ number, caller, callId: (await s.channelOf(caller, 20_000)).id });
    await sleep(500);
  }
  return loaded;
}

/** Long conversations on every counsellor phone: `talkers` callers connected, phones busy for `talkMs`. */
export async function conversations(s: QueueScenario, service: RunningService, talkMs: number, first: number): Promise<{ phones: QueuePhone[]; talkers: LoadedCaller[] }> {
  const phones: QueuePhone[] = [];
  for (const user of COUNSELLOR_PHONES) phones.push(await s.phone(user, true, { talkMs }));
  const talkers = await queueCallers(s, service, COUNSELLOR_PHONES.length, { first, staggerMs: 300 });
  const ids = new Set(talkers.map((t) => t.callId));
  await waitFor('every phone in a conversation', async () => ((await s.events(service)).filter((e) => e.type === 'connect' && ids.has(e.callId ?? '')).length === talkers.length ? true : undefined), 40_000);
  return { phones, talkers };
}

const QUICK_TALK_MS = 9000;

/**
 * Quick phones (9 s a call) for the same counsellors, registered while the long conversations go
 * on: each replaces its slow phone's registration (one contact per counsellor), so when a
 * conversation ends the counsellor's next call rings the quick phone. `retire` stops the slow
 * phones once their conversations are over.
 */
export async function quickPhones(s: QueueScenario, slow: QueuePhone[], talkers: LoadedCaller[]): Promise<{ phones: QueuePhone[]; retire(): Promise<void> }> {
  const phones: QueuePhone[] = [];
  // Past the privacy notice (7.3 s): a phone answering while the caller still hears it is bridged at
  // its end, and hanging up before then is a missed offer, not a call.
  for (const user of COUNSELLOR_PHONES) phones.push(await s.phone(user, true, { talkMs: QUICK_TALK_MS }));
  return {
    phones,
    async retire() {
      for (const t of talkers) await t.caller.done;
      for (const p of slow) await p.stop();
    },
  };
}

const firstOf = (events: QueueEvent[], type: string) => {
  const at = new Map<string, number>();
  for (const e of events) if (e.type === type && e.callId && !at.has(e.callId)) at.set(e.callId, Date.parse(e.at));
  return at;
};

/** Waits until every caller has either been connected or has gone, then counts. `order`: call ids in queue order before the fault. */
export async function outcome(s: QueueScenario, service: RunningService, callers: LoadedCaller[], order: string[], timeoutMs = 180_000): Promise<Pick<ScenarioFigures, 'callers' | 'reachedCounsellor' | 'hungUpBySystem' | 'lostPlace'>> {
  await waitFor('every caller served or gone', async () => {
    const connected = firstOf(await s.events(service), 'connect');
    return callers.every((c) => connected.has(c.callId) || c.caller.byeReceived()) ? true : undefined;
  }, timeoutMs).catch(() => undefined); // counted as it stands when time runs out
  const events = await s.events(service);
  const connected = firstOf(events, 'connect');
  const offered = firstOf(events, 'offer');
  // Out of place: a pair queued i before j whose first offers came j before i.
  let lostPlace = 0;
  const inOrder = order.filter((id) => offered.has(id));
  for (let i = 0; i < inOrder.length; i++) {
    for (let j = i + 1; j < inOrder.length; j++) if (offered.get(inOrder[j]!)! < offered.get(inOrder[i]!)!) lostPlace++;
  }
  return {
    callers: callers.length,
    reachedCounsellor: callers.filter((c) => connected.has(c.callId)).length,
    hungUpBySystem: callers.filter((c) => !connected.has(c.callId) && c.caller.byeReceived()).length,
    lostPlace,
  };
}

/** Channels and bridges in Asterisk, per-call Redis keys under the service's prefix, pending callback jobs. */
export async function leftovers(s: QueueScenario, service: RunningService, supervisorToken: string): Promise<ScenarioFigures['leftovers']> {
  await s.ari.waitForNoLeftovers(15_000).catch(() => undefined);
  const ari = await s.ari.leftovers();
  const redis = new Redis(service.env.REDIS_URL ?? profileRedisUrl(), { maxRetriesPerRequest: 1 });
  // What a call leaves while it lives: the call, its channel links, queue entries, claims. The last
  // call may still be closing: counted again for up to 10 s until none is left.
  const count = async (report: boolean) => {
    let n = 0;
    for (const pattern of ['call:*', 'calls', 'chan:*', 'q:*', 'claim:*', 'db-backlog']) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${service.env.REDIS_PREFIX}:${pattern}`, 'COUNT', 1000);
        n += keys.length;
        if (report) for (const k of keys) console.error(`[chaos] left in Redis: ${k} (${await redis.type(k)})`);
        cursor = next;
      } while (cursor !== '0');
    }
    return n;
  };
  let redisKeys: number;
  try {
    redisKeys = await waitFor('no per-call keys in Redis', async () => ((await count(false)) === 0 ? 0 : undefined), 10_000).catch(() => count(true));
  } finally {
    redis.disconnect();
  }
  const jobs = (await service.api<{ callbacks: unknown[] }>('/api/callbacks', supervisorToken)).body.callbacks?.length ?? -1;
  return { channels: ari.channels.length, bridges: ari.bridges.length, redisKeys, jobs };
}

/** Calls with no closed record once everything ended (the database may need a moment to catch up). */
export async function recordsMissing(s: QueueScenario, service: RunningService, callIds: string[], timeoutMs = 30_000): Promise<number> {
  const open = async () => {
    let n = 0;
    for (const id of callIds) if (!(await s.call(service, id).catch(() => null))?.endedAt) n++;
    return n;
  };
  return waitFor('records closed', async () => ((await open()) === 0 ? 0 : undefined), timeoutMs).catch(() => open());
}
