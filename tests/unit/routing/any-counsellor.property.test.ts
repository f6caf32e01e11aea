import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pickCallerForCounsellor, pickCounsellorsForCaller, planOffers } from '../../../src/domain/routing/matcher.ts';
import { sortCallers } from '../../../src/domain/routing/ordering.ts';
import type { CounsellorCandidate } from '../../../src/domain/routing/types.ts';
import { NOW, anyWorldArb, counsellorArb, refCallerOrder, refChoiceAny, refEligible, refMayTakeAny } from './routing-arbitraries.ts';

const RUNS = { numRuns: 300 };

describe('any counsellor after a wait (properties)', () => {
  it('is the greedy plan the rules describe: eligible first, anyone free only past the wait, marked widened', () => {
    fc.assert(
      fc.property(anyWorldArb, ({ waiting, counsellors, policy }) => {
        const offered = new Map(planOffers(waiting, counsellors, policy, NOW).map((o) => [o.callId, o]));
        let free = [...counsellors];
        for (const k of [...waiting].sort(refCallerOrder)) {
          const expected = refChoiceAny(k, free, policy, NOW);
          const offer = offered.get(k.callId);
          expect(offer?.counsellorIds ?? []).toEqual(expected.ids);
          expect(offer?.widened === true).toBe(expected.widened);
          free = free.filter((c) => !expected.ids.includes(c.id));
        }
      }),
      RUNS,
    );
  });

  it('prefers an exact match: an offer is widened only when no counsellor still free was eligible', () => {
    fc.assert(
      fc.property(anyWorldArb, ({ waiting, counsellors, policy }) => {
        const offers = new Map(planOffers(waiting, counsellors, policy, NOW).map((o) => [o.callId, o]));
        const used = new Set<string>();
        for (const k of [...waiting].sort(refCallerOrder)) {
          const offer = offers.get(k.callId);
          if (!offer) continue;
          const eligibleLeft = counsellors.filter((c) => !used.has(c.id) && refEligible(c, k, policy, NOW));
          if (offer.widened) {
            expect(eligibleLeft).toEqual([]);
            expect(refMayTakeAny(k, policy, NOW)).toBe(true);
          } else {
            for (const id of offer.counsellorIds) expect(eligibleLeft.map((c) => c.id)).toContain(id);
          }
          for (const id of offer.counsellorIds) used.add(id);
        }
      }),
      RUNS,
    );
  });

  it('nobody waits for ever: a caller past the wait is offered unless callers ahead took every free counsellor', () => {
    fc.assert(
      fc.property(anyWorldArb, ({ waiting, counsellors, policy }) => {
        const offers = planOffers(waiting, counsellors, policy, NOW);
        const offered = new Set(offers.map((o) => o.callId));
        const used = new Set<string>();
        for (const k of [...waiting].sort(refCallerOrder)) {
          if (offered.has(k.callId)) {
            for (const id of offers.find((o) => o.callId === k.callId)!.counsellorIds) used.add(id);
          } else if (refMayTakeAny(k, policy, NOW)) {
            expect(counsellors.filter((c) => c.status === 'available' && !used.has(c.id))).toEqual([]);
          }
        }
      }),
      RUNS,
    );
  });

  it('only ever widens: a caller who can be offered at t can be offered at t + 1', () => {
    fc.assert(
      fc.property(anyWorldArb, fc.integer({ min: 0, max: 4000 }), ({ waiting, counsellors, policy }, t) => {
        for (const k of waiting) {
          if (pickCounsellorsForCaller(k, counsellors, policy, NOW + t).length > 0) {
            expect(pickCounsellorsForCaller(k, counsellors, policy, NOW + t + 1).length).toBeGreaterThan(0);
          }
        }
      }),
      RUNS,
    );
  });

  it('pickCallerForCounsellor agrees with planOffers when the counsellor is the only one free', () => {
    const arb = anyWorldArb.chain((world) =>
      fc.record({ world: fc.constant(world), free: counsellorArb.map((c) => ({ ...c, id: 'free', status: 'available' as const })) }),
    );
    fc.assert(
      fc.property(arb, ({ world: { waiting, counsellors, policy }, free }) => {
        const busy = counsellors.map((c): CounsellorCandidate => ({ ...c, status: 'on-call' }));
        const plan = planOffers(waiting, [...busy, free], policy, NOW);
        const picked = pickCallerForCounsellor(free, sortCallers(waiting), policy, NOW);
        expect(picked?.callId ?? null).toBe(plan[0]?.callId ?? null);
      }),
      RUNS,
    );
  });
});
