import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callerReach, isEligible, nextWideningAt, wideningStage } from '../../../src/domain/routing/eligibility.ts';
import { pickCallerForCounsellor, pickCounsellorsForCaller, planOffers } from '../../../src/domain/routing/matcher.ts';
import type { CounsellorCandidate, QueuePolicy, WaitingCaller } from '../../../src/domain/routing/types.ts';
import { NOW, callerArb, counsellorsArb, orderedPolicyArb, policyArb, refEligible } from './routing-arbitraries.ts';

const RUNS = { numRuns: 300 };

/** A caller with a team, and counsellors, under a policy whose province stage exists. */
const teamWorldArb = counsellorsArb.chain((counsellors) =>
  fc.record({
    counsellors: fc.constant(counsellors),
    caller: callerArb(counsellors.map((c) => c.id)).filter((k) => k.team !== null),
    policy: orderedPolicyArb,
  }),
);

const eligibleIds = (cs: CounsellorCandidate[], k: WaitingCaller, p: QueuePolicy, now: number): string[] =>
  cs.filter((c) => isEligible(c, k, p, now)).map((c) => c.id);

describe('team widening (properties)', () => {
  it('widens to province-level teams exactly at enqueuedAt + province, and to everyone exactly at + any', () => {
    fc.assert(
      fc.property(teamWorldArb, ({ counsellors, caller, policy }) => {
        const at = (ms: number) => caller.enqueuedAt + ms;
        const { province, any } = policy.wideningMs;
        for (const c of counsellors) {
          const qualified = refEligible(c, { ...caller, team: null }, policy, NOW);
          const own = c.team === caller.team;
          const prov = c.level === 'province';
          const cases: [number, boolean][] = [
            [at(province - 1), qualified && own],
            [at(province), qualified && (own || prov)],
            [at(any - 1), qualified && (own || prov)],
            [at(any), qualified],
          ];
          for (const [now, expected] of cases) {
            expect(isEligible(c, caller, policy, now)).toBe(expected);
            // The three entry points apply the same boundary.
            expect(pickCallerForCounsellor(c, [caller], policy, now) !== null).toBe(expected);
            expect(pickCounsellorsForCaller(caller, [c], policy, now).length > 0).toBe(expected);
            expect(planOffers([caller], [c], policy, now).length > 0).toBe(expected);
          }
        }
      }),
      RUNS,
    );
  });

  it('only ever widens: the eligible set at t is contained in the set at t + 1', () => {
    fc.assert(
      fc.property(teamWorldArb, fc.integer({ min: -1, max: 4500 }), ({ counsellors, caller, policy }, waited) => {
        const now = caller.enqueuedAt + waited;
        const later = new Set(eligibleIds(counsellors, caller, policy, now + 1));
        for (const id of eligibleIds(counsellors, caller, policy, now)) expect(later.has(id)).toBe(true);
      }),
      RUNS,
    );
  });

  it('planOffers and pickCounsellorsForCaller apply the stage of `now`', () => {
    fc.assert(
      fc.property(teamWorldArb, ({ counsellors, caller, policy }) => {
        const before = caller.enqueuedAt + policy.wideningMs.province - 1;
        const after = caller.enqueuedAt + policy.wideningMs.province;
        const teamOf = (id: string) => counsellors.find((c) => c.id === id)!;
        for (const id of pickCounsellorsForCaller(caller, counsellors, policy, before)) {
          expect(teamOf(id).team).toBe(caller.team);
        }
        for (const o of planOffers([caller], counsellors, policy, after)) {
          for (const id of o.counsellorIds) expect(teamOf(id).team === caller.team || teamOf(id).level === 'province').toBe(true);
        }
      }),
      RUNS,
    );
  });
});

describe('nextWideningAt (properties)', () => {
  it('is the next instant the stage changes: same stage until just before it, another stage at it', () => {
    const arb = fc.record({ caller: callerArb([]), policy: policyArb, waited: fc.integer({ min: -10, max: 4000 }) });
    fc.assert(
      fc.property(arb, ({ caller, policy, waited }) => {
        const now = caller.enqueuedAt + waited;
        const next = nextWideningAt(caller, policy, now);
        const stage = (t: number) => (caller.team === null ? 'any' : wideningStage(caller, policy, t));
        if (next === null) {
          expect(stage(now)).toBe(stage(now + 1_000_000));
        } else {
          expect(next).toBeGreaterThan(now);
          expect(stage(next - 1)).toBe(stage(now));
          expect(stage(next)).not.toBe(stage(now));
        }
      }),
      RUNS,
    );
  });
});

describe('examples', () => {
  const policy: QueuePolicy = { strategy: 'longest-idle', wideningMs: { province: 30_000, any: 90_000 } };
  const caller: WaitingCaller = {
    callId: 'k1',
    enqueuedAt: NOW,
    priority: 0,
    skills: ['legal'],
    language: 'yue',
    team: 'sz',
    declinedBy: [],
  };

  it('nextWideningAt walks the stages and ends with null', () => {
    expect(nextWideningAt(caller, policy)).toBe(NOW + 30_000);
    expect(nextWideningAt(caller, policy, NOW + 29_999)).toBe(NOW + 30_000);
    expect(nextWideningAt(caller, policy, NOW + 30_000)).toBe(NOW + 90_000);
    expect(nextWideningAt(caller, policy, NOW + 90_000)).toBeNull();
    expect(nextWideningAt({ ...caller, team: null }, policy)).toBeNull();
  });

  it('skips the province stage when any <= province', () => {
    const flat: QueuePolicy = { ...policy, wideningMs: { province: 60_000, any: 60_000 } };
    expect(nextWideningAt(caller, flat)).toBe(NOW + 60_000);
    expect(wideningStage(caller, flat, NOW + 59_999)).toBe('team');
    expect(wideningStage(caller, flat, NOW + 60_000)).toBe('any');
  });

  it('requires every skill, the language and an available status', () => {
    const c: CounsellorCandidate = {
      id: 'c1',
      skills: ['legal', 'psy'],
      languages: ['cmn', 'yue'],
      team: 'sz',
      level: 'city',
      status: 'available',
      statusSince: NOW,
      lastCallEndedAt: null,
      lastOfferedAt: null,
      callsToday: 0,
    };
    expect(isEligible(c, caller, policy, NOW)).toBe(true);
    expect(isEligible({ ...c, skills: ['psy'] }, caller, policy, NOW)).toBe(false);
    expect(isEligible({ ...c, languages: ['cmn'] }, caller, policy, NOW)).toBe(false);
    expect(isEligible({ ...c, status: 'wrap-up' }, caller, policy, NOW)).toBe(false);
    expect(isEligible({ ...c, team: 'gz' }, caller, policy, NOW + 30_000)).toBe(false);
    expect(isEligible({ ...c, team: 'gz', level: 'province' }, caller, policy, NOW + 30_000)).toBe(true);
    expect(isEligible({ ...c, skills: [] }, { ...caller, skills: [] }, policy, NOW)).toBe(true);
  });
});

describe('callerReach (what supervisors see)', () => {
  const policy: QueuePolicy = { strategy: 'longest-idle', wideningMs: { province: 10_000, any: 16_000 }, anyCounsellorAfterMs: { normal: 30_000, urgent: 5_000 } };
  const c = { enqueuedAt: NOW, team: 'shenzhen', priority: 0, highRisk: false };
  it('goes from the own team to the province, any team, then any counsellor, at the configured instants', () => {
    expect(callerReach(c, policy, NOW + 9_999)).toBe('team');
    expect(callerReach(c, policy, NOW + 10_000)).toBe('province');
    expect(callerReach(c, policy, NOW + 16_000)).toBe('any');
    expect(callerReach(c, policy, NOW + 30_000)).toBe('any-counsellor');
    expect(callerReach({ ...c, highRisk: true }, policy, NOW + 5_000)).toBe('any-counsellor');
  });
  it('starts a caller without a local team at any team', () => {
    expect(callerReach({ ...c, team: null }, policy, NOW)).toBe('any');
    expect(callerReach({ ...c, team: null }, { ...policy, anyCounsellorAfterMs: undefined }, NOW + 999_999)).toBe('any');
  });
});
