import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { newCounsellorSnapshot } from '../../src/domain/routing/counsellor-state.ts';
import { compareCallers } from '../../src/domain/routing/ordering.ts';
import type { CounsellorSnapshot } from '../../src/domain/routing/types.ts';
import type { QueuedCaller, QueueStore } from '../../src/ports/queue-store.ts';

/** A realistic entry time (ms since the epoch), where a sort score could lose precision. */
const T = Date.parse('2026-03-10T02:00:00.001Z');

export function queuedCaller(callId: string, priority = 0, enqueuedAt = T, patch: Partial<QueuedCaller> = {}): QueuedCaller {
  return {
    callId, enqueuedAt, priority, skills: ['psychological'], language: 'yue', team: 'gz', declinedBy: [], line: 'main', need: 'psychological',
    highRisk: priority >= 80, state: 'waiting', offeredTo: [], offerId: null, callbackRequested: false, overflowed: false, ...patch,
  };
}

export function counsellorSnapshot(id: string, patch: Partial<CounsellorSnapshot> = {}): CounsellorSnapshot {
  const base = newCounsellorSnapshot({ id, name: `咨询员 ${id}`, endpoint: `PJSIP/${id}`, skills: ['legal'], languages: ['cmn'], team: 'sz', level: 'county' }, T);
  return { ...base, ...patch };
}

export interface QueueStoreContractOptions {
  /** fast-check runs of the property tests (each run gets a fresh store). */
  runs?: number;
}

/** The QueueStore contract: ordering, round trips, and exclusive all-or-nothing claims. */
export function queueStoreContract(make: () => Promise<QueueStore>, o: QueueStoreContractOptions = {}): void {
  const runs = o.runs ?? 50;
  let s: QueueStore;
  beforeEach(async () => {
    s = await make();
  });
  const ids = async () => (await s.listCallers()).map((c) => c.callId);

  describe('callers', () => {
    it('round-trips a caller exactly and forgets a removed one', async () => {
      const c = queuedCaller('call-1', 80, T, { declinedBy: ['c9'], offeredTo: ['c1', 'c2'], offerId: '0badcafe', state: 'offered', overflowed: true });
      await s.putCaller(c);
      expect(await s.getCaller('call-1')).toEqual(c);
      expect(await s.getCaller('nobody')).toBeNull();
      await s.removeCaller('call-1');
      await s.removeCaller('never-there');
      expect(await s.getCaller('call-1')).toBeNull();
      expect(await s.listCallers()).toEqual([]);
    });

    it('lists by priority, highest first, then by entry time, then by call id', async () => {
      await s.putCaller(queuedCaller('normal-later', 0, T + 1000));
      await s.putCaller(queuedCaller('normal-first', 0, T));
      await s.putCaller(queuedCaller('emergency', 100, T + 5000));
      await s.putCaller(queuedCaller('callback', 50, T + 9000));
      await s.putCaller(queuedCaller('high-risk', 80, T + 1));
      // Entered 1 ms apart, ids in the opposite order: the entry time decides, not the id (a sort
      // score above 2^53 would round ...2001 down to ...2000 and let the id decide).
      await s.putCaller(queuedCaller('b-one-ms-earlier', 0, Date.parse('2026-03-10T02:00:02.000Z')));
      await s.putCaller(queuedCaller('a-one-ms-later', 0, Date.parse('2026-03-10T02:00:02.001Z')));
      await s.putCaller(queuedCaller('tie-b', 0, T + 3000));
      await s.putCaller(queuedCaller('tie-a', 0, T + 3000));
      expect(await ids()).toEqual([
        'emergency', 'high-risk', 'callback', 'normal-first', 'normal-later', 'b-one-ms-earlier', 'a-one-ms-later', 'tie-a', 'tie-b',
      ]);
    });

    it('moves a caller when a put changes their priority, keeping one entry', async () => {
      await s.putCaller(queuedCaller('x', 0, T));
      await s.putCaller(queuedCaller('y', 0, T + 10));
      await s.putCaller(queuedCaller('y', 80, T + 10, { state: 'offered' }));
      expect(await ids()).toEqual(['y', 'x']);
      expect((await s.listCallers())[0]).toMatchObject({ priority: 80, state: 'offered' });
    });

    it('orders any set of callers like compareCallers (property)', async () => {
      const callerArb = fc.record({ priority: fc.constantFrom(0, 50, 80, 100), offset: fc.integer({ min: 0, max: 5 }) });
      await fc.assert(
        fc.asyncProperty(fc.array(callerArb, { minLength: 1, maxLength: 12 }), async (specs) => {
          const store = await make();
          const callers = specs.map((x, i) => queuedCaller(`c${String(i).padStart(2, '0')}`, x.priority, T + x.offset));
          for (const c of [...callers].reverse()) await store.putCaller(c);
          const expected = [...callers].sort(compareCallers).map((c) => c.callId);
          expect((await store.listCallers()).map((c) => c.callId)).toEqual(expected);
        }),
        { numRuns: runs },
      );
    });
  });

  describe('counsellors', () => {
    it('round-trips, lists and removes snapshots', async () => {
      const a = counsellorSnapshot('a', { status: 'on-call', callId: 'call-1', callsToday: 3, registered: true });
      const b = counsellorSnapshot('b');
      await s.putCounsellor(a);
      await s.putCounsellor(b);
      expect(await s.getCounsellor('a')).toEqual(a);
      expect((await s.listCounsellors()).sort((x, y) => x.id.localeCompare(y.id))).toEqual([a, b]);
      await s.putCounsellor({ ...b, status: 'available' });
      expect((await s.getCounsellor('b'))?.status).toBe('available');
      await s.removeCounsellor('a');
      expect(await s.getCounsellor('a')).toBeNull();
      expect((await s.listCounsellors()).map((c) => c.id)).toEqual(['b']);
    });
  });

  describe('claims', () => {
    it('claims a caller and every counsellor it rings together', async () => {
      expect(await s.claim('call-1', ['a', 'b'], 'tok1')).toBe(true);
      expect(await s.claimOf('a')).toBe('tok1');
      expect(await s.claimOf('b')).toBe('tok1');
      expect(await s.claimOf('c')).toBeNull();
    });

    it('claims all or nothing', async () => {
      await s.claim('call-1', ['a', 'b'], 'tok1');
      expect(await s.claim('call-2', ['c', 'b'], 'tok2')).toBe(false);
      expect(await s.claimOf('c')).toBeNull(); // not half-taken
      expect(await s.claim('call-2', ['c'], 'tok3')).toBe(true); // nor was the caller
      expect(await s.claim('call-1', ['d'], 'tok4')).toBe(false); // a claimed caller cannot be claimed again
      expect(await s.claimOf('d')).toBeNull();
    });

    it('releases only with the token that claimed', async () => {
      await s.claim('call-1', ['a'], 'tok1');
      await s.releaseCounsellor('a', 'someone-else');
      await s.releaseCaller('call-1', 'someone-else');
      expect(await s.claimOf('a')).toBe('tok1');
      expect(await s.claim('call-1', ['z'], 'tok2')).toBe(false);
      await s.releaseCounsellor('a', 'tok1');
      await s.releaseCaller('call-1', 'tok1');
      expect(await s.claimOf('a')).toBeNull();
      expect(await s.claim('call-1', ['a'], 'tok3')).toBe(true);
      await s.releaseCounsellor('never-claimed', 'tok3');
    });

    it('gives each counsellor to at most one of 20 concurrent overlapping claims', async () => {
      const agents = ['k0', 'k1', 'k2', 'k3', 'k4'];
      const wants = Array.from({ length: 20 }, (_, i) => ({ callId: `call-${i}`, ids: [agents[i % 5] as string, agents[(i + 1) % 5] as string], token: `tok-${i}` }));
      const won = await Promise.all(wants.map((w) => s.claim(w.callId, w.ids, w.token)));
      const winners = wants.filter((_, i) => won[i]);
      expect(winners.length).toBeGreaterThanOrEqual(1);
      expect(winners.length).toBeLessThanOrEqual(2); // two counsellors each, five in all
      for (const k of agents) {
        const holders = winners.filter((w) => w.ids.includes(k));
        expect(holders.length).toBeLessThanOrEqual(1);
        expect(await s.claimOf(k)).toBe(holders[0]?.token ?? null);
      }
    });

    it('lets exactly one of 10 concurrent claims of one caller win', async () => {
      const won = await Promise.all(Array.from({ length: 10 }, (_, i) => s.claim('same-call', [`agent-${i}`], `tok-${i}`)));
      expect(won.filter(Boolean)).toHaveLength(1);
      const winner = won.indexOf(true);
      for (let i = 0; i < 10; i++) expect(await s.claimOf(`agent-${i}`)).toBe(i === winner ? `tok-${i}` : null);
    });

    it('keeps concurrent claims exclusive and all-or-nothing for any mix (property)', async () => {
      const claimArb = fc.record({ call: fc.integer({ min: 0, max: 5 }), agents: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { maxLength: 3 }) });
      await fc.assert(
        fc.asyncProperty(fc.array(claimArb, { minLength: 1, maxLength: 15 }), async (specs) => {
          const store = await make();
          const wants = specs.map((x, i) => ({ callId: `call-${x.call}`, ids: x.agents.map((a) => `agent-${a}`), token: `tok-${i}` }));
          const won = await Promise.all(wants.map((w) => store.claim(w.callId, w.ids, w.token)));
          const winners = wants.filter((_, i) => won[i]);
          const keys = (w: (typeof wants)[number]) => [`caller:${w.callId}`, ...w.ids.map((id) => `agent:${id}`)];
          const held = winners.flatMap(keys);
          expect(new Set(held).size).toBe(held.length); // winners never share a caller or a counsellor
          for (const [i, w] of wants.entries()) if (!won[i]) expect(keys(w).some((k) => held.includes(k))).toBe(true);
          for (let a = 0; a <= 6; a++) {
            const holder = winners.find((w) => w.ids.includes(`agent-${a}`));
            expect(await store.claimOf(`agent-${a}`)).toBe(holder?.token ?? null);
          }
        }),
        { numRuns: runs },
      );
    });
  });
}
