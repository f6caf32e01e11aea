import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseRoster } from '../../../src/config/roster.ts';
import type { RingPhoneRequest } from '../../../src/ports/telephony.ts';
import { serviceTestConfig } from '../../fakes/hotline-fixture.ts';
import { FAKE_TIMERS, startTestHotline, type TestHotline } from '../../fakes/hotline-harness.ts';

/** How long the fake PBX takes to originate a counsellor's leg (ARI answers POST /channels). */
const RING_MS = 1000;
const N = 6;
const callerIds = Array.from({ length: N }, (_, i) => `caller-${i}`);

/** N counsellors who may all take a general caller in Mandarin: c1..c6, phones 1001..1006. */
const roster = () => parseRoster({
  counsellors: Array.from({ length: N }, (_, i) => ({
    id: `c${i + 1}`, name: `咨询员${i + 1}`, sipUser: String(1001 + i), skills: [], languages: ['cmn'], team: 'gz', level: 'city',
  })),
  staff: [{ id: 's1', name: '王督导', role: 'supervisor', team: 'gz', level: 'province', sipUser: '2001' }],
});

let h: TestHotline;
/** Originates begun, in order of starting, and how many were in progress at most. */
let started: string[];
let inFlight: number;
let maxInFlight: number;

async function start(offerConcurrency?: number): Promise<void> {
  const config = serviceTestConfig((c) => {
    if (offerConcurrency !== undefined) c.queue = { ...c.queue, offerConcurrency };
  });
  h = await startTestHotline({ roster: roster(), config });
  started = [];
  inFlight = 0;
  maxInFlight = 0;
  const originate = h.telephony.ringPhone.bind(h.telephony);
  vi.spyOn(h.telephony, 'ringPhone').mockImplementation(async (r: RingPhoneRequest) => {
    started.push(r.appArgs[1] ?? '');
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, RING_MS));
      return await originate(r);
    } finally {
      inFlight--;
    }
  });
  // N callers wait, one second apart, before anyone is signed in.
  for (const id of callerIds) {
    await h.callerInQueue(id);
    await h.advance(1000);
  }
}

/** Every counsellor's phone registers at the same moment; returns when the offers were all rung (ms after). */
async function signInAllAndTimeTheOffers(limitMs: number): Promise<number> {
  for (let i = 0; i < N; i++) h.telephony.emit({ type: 'endpoint-state', technology: 'PJSIP', resource: String(1001 + i), state: 'online' });
  await h.settle();
  for (let t = 0; t <= limitMs; t += 100) {
    if (h.telephony.phonesRung().length >= N) return t;
    await h.advance(100, 100);
  }
  return Infinity;
}

beforeEach(() => void vi.useFakeTimers(FAKE_TIMERS));
afterEach(async () => {
  await h?.stop();
  vi.useRealTimers();
});

describe('the offers of one matching pass', () => {
  it('ring together: n callers and n counsellors signing in at once take about one originate, not n', async () => {
    await start();
    const took = await signInAllAndTimeTheOffers(N * RING_MS + 1000);
    // A first pass may start with the first counsellor alone; the rest come in the next pass, together.
    expect(took, 'every caller rung within two originate times').toBeLessThanOrEqual(2 * RING_MS + 100);
    expect(maxInFlight).toBeGreaterThan(1);
    for (const id of callerIds) expect(await h.stores.store.getCaller(id), id).toMatchObject({ state: 'offered' });
    // Each counsellor rings for one caller only.
    expect(new Set(h.telephony.phonesRung().map((r) => r.phone)).size).toBe(N);
  });

  it('start in queue order, the longest-waiting caller first, at most queue.offerConcurrency at a time', async () => {
    await start(2);
    const took = await signInAllAndTimeTheOffers(N * RING_MS + 1000);
    expect(took).toBeLessThan(Infinity);
    expect(maxInFlight).toBe(2);
    expect(started).toEqual(callerIds);
  });

  it('lose no offer when one originate fails: the others ring and that caller is offered again', async () => {
    await start();
    h.telephony.failOn('ringPhone', { when: (r) => r.appArgs[1] === 'caller-2' });
    const took = await signInAllAndTimeTheOffers(N * RING_MS + 1000);
    expect(took).toBeLessThan(Infinity);
    await h.advance(2 * RING_MS, 100);
    // caller-2's first originate failed (no-answer, place kept) and a second one rang.
    expect(started.filter((id) => id === 'caller-2')).toHaveLength(2);
    expect(h.stores.events.ofType('no-answer')).toMatchObject([{ callId: 'caller-2', data: { cause: 'originate-failed' } }]);
    for (const id of callerIds) expect(await h.stores.store.getCaller(id), id).toMatchObject({ state: 'offered' });
    expect(h.telephony.phonesRung(), 'n offers and the one retried').toHaveLength(N + 1);
    expect(h.telephony.callsOf('continueInDialplan')).toEqual([]);
  });
});
