/**
 * fast-check generators and independent reference rules for the routing property tests.
 * The references are written from the rules in the brief, not from the implementation, so a
 * property compares two readings of the same rule.
 */
import fc from 'fast-check';
import type { Language } from '../../../src/domain/calls/routing-request.ts';
import type {
  CounsellorCandidate,
  CounsellorStatus,
  MatchStrategy,
  QueuePolicy,
  WaitingCaller,
} from '../../../src/domain/routing/types.ts';

export const NOW = 10_000_000;
const SKILLS = ['psy', 'legal', 'hardship', 'exam'];
const LANGUAGES: Language[] = ['cmn', 'yue'];
const TEAMS = ['gz', 'sz', 'st', 'prov'];
const STRATEGIES: MatchStrategy[] = ['longest-idle', 'fewest-calls', 'round-robin', 'ring-all'];
const OTHER_STATUSES: CounsellorStatus[] = ['offline', 'offered', 'on-call', 'wrap-up', 'paused'];

/** Coarse timestamps so that ties (and the id tie-break) actually happen. */
const past = fc.integer({ min: 0, max: 8 }).map((n) => NOW - n * 1000);

export const counsellorArb: fc.Arbitrary<CounsellorCandidate> = fc.record({
  id: fc.nat(40).map((n) => `c${n}`),
  skills: fc.subarray(SKILLS),
  languages: fc.subarray(LANGUAGES, { minLength: 1 }),
  team: fc.constantFrom(...TEAMS),
  level: fc.constantFrom('province' as const, 'city' as const, 'county' as const),
  status: fc.oneof({ arbitrary: fc.constant<CounsellorStatus>('available'), weight: 3 }, fc.constantFrom(...OTHER_STATUSES)),
  statusSince: past,
  lastCallEndedAt: fc.option(past),
  lastOfferedAt: fc.option(past),
  callsToday: fc.nat(3),
});

export const counsellorsArb = fc.uniqueArray(counsellorArb, { selector: (c) => c.id, maxLength: 10 });

export function callerArb(counsellorIds: string[], maxWait = 3500): fc.Arbitrary<WaitingCaller> {
  return fc.record({
    callId: fc.nat(400).map((n) => `k${n}`),
    enqueuedAt: fc.integer({ min: 0, max: maxWait }).map((w) => NOW - w),
    priority: fc.constantFrom(0, 50, 80, 100),
    skills: fc.subarray(SKILLS, { maxLength: 2 }),
    language: fc.constantFrom(...LANGUAGES),
    team: fc.option(fc.constantFrom(...TEAMS)),
    declinedBy: fc.subarray(counsellorIds, { maxLength: Math.min(3, counsellorIds.length) }),
    highRisk: fc.option(fc.boolean(), { nil: undefined }),
  }, { requiredKeys: ['callId', 'enqueuedAt', 'priority', 'skills', 'language', 'team', 'declinedBy'] });
}

export const policyArb: fc.Arbitrary<QueuePolicy> = fc.record({
  strategy: fc.constantFrom(...STRATEGIES),
  wideningMs: fc.record({ province: fc.integer({ min: 0, max: 2000 }), any: fc.integer({ min: 0, max: 3000 }) }),
});

/** Policies whose province stage exists (province < any). */
export const orderedPolicyArb: fc.Arbitrary<QueuePolicy> = fc
  .record({ strategy: fc.constantFrom(...STRATEGIES), province: fc.integer({ min: 1, max: 2000 }), gap: fc.integer({ min: 1, max: 2000 }) })
  .map(({ strategy, province, gap }) => ({ strategy, wideningMs: { province, any: province + gap } }));

/** A queue: counsellors, and callers whose `declinedBy` names some of them. */
export const worldArb = counsellorsArb.chain((counsellors) =>
  fc.record({
    counsellors: fc.constant(counsellors),
    waiting: fc.uniqueArray(callerArb(counsellors.map((c) => c.id)), { selector: (k) => k.callId, maxLength: 12 }),
    policy: policyArb,
  }),
);

/** The eligibility rule, restated. */
export function refEligible(c: CounsellorCandidate, k: WaitingCaller, policy: QueuePolicy, now: number): boolean {
  const wait = now - k.enqueuedAt;
  const teamOk =
    k.team === null ||
    k.team === c.team ||
    wait >= policy.wideningMs.any ||
    (wait >= policy.wideningMs.province && c.level === 'province');
  return c.status === 'available' && k.skills.every((s) => c.skills.includes(s)) && c.languages.includes(k.language) && teamOk;
}

function lexi(a: (number | string)[], b: (number | string)[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

/** Caller order, restated as a sort key. */
export function refCallerOrder(a: WaitingCaller, b: WaitingCaller): number {
  return lexi([-a.priority, a.enqueuedAt, a.callId], [-b.priority, b.enqueuedAt, b.callId]);
}

function rankKey(strategy: MatchStrategy, c: CounsellorCandidate): (number | string)[] {
  const idle = c.lastCallEndedAt ?? c.statusSince;
  switch (strategy) {
    case 'longest-idle':
      return [idle, c.id];
    case 'fewest-calls':
      return [c.callsToday, idle, c.id];
    case 'round-robin':
      return [c.lastOfferedAt ?? -Infinity, c.id];
    case 'ring-all':
      return [c.id];
  }
}

/** What the rules say a caller should ring, given the counsellors still free. */
export function refChoice(
  k: WaitingCaller,
  free: CounsellorCandidate[],
  policy: QueuePolicy,
  now: number,
  allowed: (c: CounsellorCandidate) => boolean = (c) => refEligible(c, k, policy, now),
): string[] {
  const eligible = free.filter((c) => c.status === 'available' && allowed(c));
  const fresh = eligible.filter((c) => !k.declinedBy.includes(c.id));
  const pool = fresh.length > 0 ? fresh : eligible;
  const ranked = [...pool].sort((a, b) => lexi(rankKey(policy.strategy, a), rankKey(policy.strategy, b)));
  if (policy.strategy === 'ring-all') return ranked.map((c) => c.id);
  return ranked.length > 0 ? [ranked[0]!.id] : [];
}

/** Policies that let a caller take any counsellor after a wait (urgent no longer than normal). */
export const anyPolicyArb: fc.Arbitrary<QueuePolicy> = fc
  .record({ base: policyArb, normal: fc.integer({ min: 0, max: 3500 }), urgentShare: fc.double({ min: 0, max: 1, noNaN: true }) })
  .map(({ base, normal, urgentShare }) => ({ ...base, anyCounsellorAfterMs: { normal, urgent: Math.floor(normal * urgentShare) } }));

/** A queue under a policy with the any-counsellor wait. */
export const anyWorldArb = counsellorsArb.chain((counsellors) =>
  fc.record({
    counsellors: fc.constant(counsellors),
    waiting: fc.uniqueArray(callerArb(counsellors.map((c) => c.id)), { selector: (k) => k.callId, maxLength: 12 }),
    policy: anyPolicyArb,
  }),
);

/** The any-counsellor rule, restated: emergency and high-risk callers wait `urgent`, others `normal`. */
export function refMayTakeAny(k: WaitingCaller, policy: QueuePolicy, now: number): boolean {
  const after = policy.anyCounsellorAfterMs;
  if (!after) return false;
  const urgent = k.highRisk === true || k.priority >= 80;
  return now - k.enqueuedAt >= (urgent ? after.urgent : after.normal);
}

/** What the rules say a caller should ring: an eligible choice, else (past the wait) anyone free. */
export function refChoiceAny(k: WaitingCaller, free: CounsellorCandidate[], policy: QueuePolicy, now: number): { ids: string[]; widened: boolean } {
  const exact = refChoice(k, free, policy, now);
  if (exact.length > 0 || !refMayTakeAny(k, policy, now)) return { ids: exact, widened: false };
  const anyone = refChoice(k, free, { strategy: policy.strategy, wideningMs: { province: 0, any: 0 } }, now, () => true);
  return { ids: anyone, widened: anyone.length > 0 };
}
