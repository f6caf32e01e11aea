import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isEligible } from '../../../src/domain/routing/eligibility.ts';
import { pickCallerForCounsellor, pickCounsellorsForCaller, planOffers } from '../../../src/domain/routing/matcher.ts';
import { sortCallers } from '../../../src/domain/routing/ordering.ts';
import type { CounsellorCandidate } from '../../../src/domain/routing/types.ts';
import {
  NOW,
  callerArb,
  counsellorArb,
  counsellorsArb,
  refCallerOrder,
  refChoice,
  refEligible,
  worldArb,
} from './routing-arbitraries.ts';

const RUNS = { numRuns: 300 };

describe('planOffers (properties)', () => {
  it('never offers a counsellor twice nor a caller twice; one counsellor per offer unless ring-all', () => {
    fc.assert(
      fc.property(worldArb, ({ waiting, counsellors, policy }) => {
        const offers = planOffers(waiting, counsellors, policy, NOW);
        const ids = offers.flatMap((o) => o.counsellorIds);
        expect(new Set(ids).size).toBe(ids.length);
        expect(new Set(offers.map((o) => o.callId)).size).toBe(offers.length);
        for (const o of offers) {
          expect(o.counsellorIds.length).toBeGreaterThan(0);
          if (policy.strategy !== 'ring-all') expect(o.counsellorIds).toHaveLength(1);
        }
      }),
      RUNS,
    );
  });

  it('offers only eligible counsellors: available, all skills, the language, team widening at now', () => {
    fc.assert(
      fc.property(worldArb, ({ waiting, counsellors, policy }) => {
        for (const o of planOffers(waiting, counsellors, policy, NOW)) {
          const k = waiting.find((w) => w.callId === o.callId)!;
          for (const id of o.counsellorIds) {
            const c = counsellors.find((x) => x.id === id)!;
            expect(c.status).toBe('available');
            expect(k.skills.every((s) => c.skills.includes(s))).toBe(true);
            expect(c.languages).toContain(k.language);
            expect(refEligible(c, k, policy, NOW)).toBe(true);
            expect(isEligible(c, k, policy, NOW)).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  it('keeps queue order: a caller skipped before an offered one had no eligible counsellor left', () => {
    fc.assert(
      fc.property(worldArb, ({ waiting, counsellors, policy }) => {
        const offered = new Map(planOffers(waiting, counsellors, policy, NOW).map((o) => [o.callId, o]));
        const used = new Set<string>();
        for (const k of [...waiting].sort(refCallerOrder)) {
          const offer = offered.get(k.callId);
          if (offer === undefined) {
            const left = counsellors.filter((c) => !used.has(c.id) && refEligible(c, k, policy, NOW));
            expect(left).toEqual([]);
          } else {
            for (const id of offer.counsellorIds) used.add(id);
          }
        }
      }),
      RUNS,
    );
  });

  it('is the greedy plan the rules describe: queue order, strategy choice, declinedBy only as a last resort', () => {
    fc.assert(
      fc.property(worldArb, ({ waiting, counsellors, policy }) => {
        const offered = new Map(planOffers(waiting, counsellors, policy, NOW).map((o) => [o.callId, o.counsellorIds]));
        let free = [...counsellors];
        for (const k of [...waiting].sort(refCallerOrder)) {
          const expected = refChoice(k, free, policy, NOW);
          expect(offered.get(k.callId) ?? []).toEqual(expected);
          free = free.filter((c) => !expected.includes(c.id));
        }
      }),
      RUNS,
    );
  });

  it('agrees with pickCounsellorsForCaller for a single caller', () => {
    fc.assert(
      fc.property(worldArb, ({ waiting, counsellors, policy }) => {
        for (const k of waiting) {
          const plan = planOffers([k], counsellors, policy, NOW);
          expect(pickCounsellorsForCaller(k, counsellors, policy, NOW)).toEqual(plan[0]?.counsellorIds ?? []);
        }
      }),
      RUNS,
    );
  });
});

describe('pickCallerForCounsellor (properties)', () => {
  it('agrees with planOffers when the counsellor is the only one free', () => {
    const arb = worldArb.chain((world) =>
      fc.record({ world: fc.constant(world), free: counsellorArb.map((c) => ({ ...c, id: 'free', status: 'available' as const })) }),
    );
    fc.assert(
      fc.property(arb, ({ world: { waiting, counsellors, policy }, free }) => {
        const busy = counsellors.map((c): CounsellorCandidate => ({ ...c, status: 'on-call' }));
        // Some callers were missed by this counsellor: with nobody else free they are still offered.
        const queue = waiting.map((k) => (k.callId.length % 2 === 0 ? { ...k, declinedBy: [...k.declinedBy, 'free'] } : k));
        const plan = planOffers(queue, [...busy, free], policy, NOW);
        const picked = pickCallerForCounsellor(free, sortCallers(queue), policy, NOW);
        expect(picked?.callId ?? null).toBe(plan[0]?.callId ?? null);
        if (picked !== null) expect(plan[0]?.counsellorIds).toEqual(['free']);
      }),
      RUNS,
    );
  });

  it('returns the first caller in queue order the counsellor is eligible for', () => {
    const arb = fc.record({
      c: counsellorArb,
      waiting: fc.uniqueArray(callerArb(['c1', 'c2']), { selector: (k) => k.callId, maxLength: 20 }),
      policy: worldArb.map((w) => w.policy),
    });
    fc.assert(
      fc.property(arb, ({ c, waiting, policy }) => {
        const sorted = sortCallers(waiting);
        const expected = sorted.find((k) => refEligible(c, k, policy, NOW)) ?? null;
        expect(pickCallerForCounsellor(c, sorted, policy, NOW)).toBe(expected);
      }),
      RUNS,
    );
  });
});

describe('pickCounsellorsForCaller (properties)', () => {
  it('returns the rules-based choice, never an ineligible counsellor', () => {
    const arb = counsellorsArb.chain((counsellors) =>
      fc.record({
        counsellors: fc.constant(counsellors),
        caller: callerArb(counsellors.map((c) => c.id)),
        policy: worldArb.map((w) => w.policy),
      }),
    );
    fc.assert(
      fc.property(arb, ({ counsellors, caller, policy }) => {
        expect(pickCounsellorsForCaller(caller, counsellors, policy, NOW)).toEqual(refChoice(caller, counsellors, policy, NOW));
      }),
      RUNS,
    );
  });
});
