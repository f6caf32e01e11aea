/**
 * Matching waiting callers with free counsellors. Three entry points, one rule set:
 * - {@link pickCallerForCounsellor}: a counsellor became free (hot path, event-driven);
 * - {@link pickCounsellorsForCaller}: a caller joined the queue;
 * - {@link planOffers}: batch matching on resync and on the periodic sweep that applies widening.
 *
 * Rules: only eligible counsellors (see `isEligible`); callers in queue order (see
 * `compareCallers`); the strategy picks among eligible counsellors; counsellors in the caller's
 * `declinedBy` are used only when no other eligible counsellor is left; a counsellor gets at most
 * one call and a caller rings at most one counsellor (all eligible ones with ring-all).
 * A caller past `anyCounsellorAfterMs` with no eligible counsellor free may be offered to any
 * free counsellor by the same rules (see `any-counsellor.ts`); such offers are marked `widened`.
 */
import { mayTakeAnyCounsellor } from './any-counsellor.ts';
import { hasAllSkills, isEligible, wideningStage } from './eligibility.ts';
import { compareIds, sortCallers } from './ordering.ts';
import { counsellorComparator } from './strategies.ts';
import type { CounsellorCandidate, Offer, QueuePolicy, WaitingCaller } from './types.ts';

/**
 * The caller to offer to a counsellor who just became free: the first caller in queue order the
 * counsellor is eligible for at `now`, or who may take any counsellor by then, or null (also when
 * the counsellor is not 'available').
 *
 * One pass over `waitingSorted`, which must already be in `compareCallers` order (keep it sorted
 * with `callerInsertionIndex`); no allocation. O(waiting), stopping at the first match.
 *
 * `declinedBy` is not consulted: this runs when this counsellor is the only free one who can take
 * these callers (any other free eligible counsellor would already have been offered them), which
 * is exactly when the rule allows a re-offer. It gives the same answer as {@link planOffers} with
 * this counsellor as the only available one. When several counsellors are free at once, use
 * {@link planOffers}.
 */
export function pickCallerForCounsellor<C extends WaitingCaller>(
  counsellor: CounsellorCandidate,
  waitingSorted: readonly C[],
  policy: QueuePolicy,
  now: number,
): C | null {
  if (counsellor.status !== 'available') return null;
  const { team, languages, skills } = counsellor;
  const isProvince = counsellor.level === 'province';
  const provinceMs = policy.wideningMs.province;
  const anyMs = policy.wideningMs.any;
  for (const caller of waitingSorted) {
    // Queue order first: a caller who may take anyone is taken, even by a counsellor who is not a match.
    if (mayTakeAnyCounsellor(caller, policy, now)) return caller;
    if (!languages.includes(caller.language)) continue;
    if (caller.team !== null && caller.team !== team) {
      const waited = now - caller.enqueuedAt;
      if (waited < anyMs && !(isProvince && waited >= provinceMs)) continue;
    }
    if (caller.skills.length > 0 && !hasAllSkills(skills, caller.skills)) continue;
    return caller;
  }
  return null;
}

/**
 * The strategy's choice among the candidates `allowed` lets ring: at most one, or every allowed one
 * (sorted by id) with ring-all. Counsellors in the caller's `declinedBy` are chosen only when no
 * other allowed counsellor exists. O(candidates).
 */
function chooseAmong<K extends CounsellorCandidate>(
  caller: WaitingCaller,
  candidates: readonly K[],
  policy: QueuePolicy,
  allowed: (c: K) => boolean,
): K[] {
  const declinedBy = caller.declinedBy;
  if (policy.strategy === 'ring-all') {
    const fresh: K[] = [];
    const declined: K[] = [];
    for (const c of candidates) {
      if (allowed(c)) (declinedBy.includes(c.id) ? declined : fresh).push(c);
    }
    return (fresh.length > 0 ? fresh : declined).sort((a, b) => compareIds(a.id, b.id));
  }
  const compare = counsellorComparator(policy.strategy);
  let best: K | null = null;
  let bestDeclined: K | null = null;
  for (const c of candidates) {
    if (!allowed(c)) continue;
    if (declinedBy.includes(c.id)) {
      if (bestDeclined === null || compare(c, bestDeclined) < 0) bestDeclined = c;
    } else if (best === null || compare(c, best) < 0) {
      best = c;
    }
  }
  const chosen = best ?? bestDeclined;
  return chosen === null ? [] : [chosen];
}

/**
 * The counsellors to ring for one caller, and whether the choice was widened: eligible ones first
 * (see {@link chooseAmong}); only when none is free and the caller has waited past
 * `anyCounsellorAfterMs`, any available counsellor, by the same rules.
 */
export function chooseOffer<K extends CounsellorCandidate>(
  caller: WaitingCaller,
  candidates: readonly K[],
  policy: QueuePolicy,
  now: number,
): { counsellors: K[]; widened: boolean; teamWidened?: 'province' | 'any' } {
  const exact = chooseAmong(caller, candidates, policy, (c) => isEligible(c, caller, policy, now));
  if (exact.length > 0 || !mayTakeAnyCounsellor(caller, policy, now)) {
    // Eligible outside the caller's own team: only because they waited into a wider stage.
    const outside = caller.team !== null && exact.some((c) => c.team !== caller.team);
    const stage = outside ? wideningStage(caller, policy, now) : 'team';
    return { counsellors: exact, widened: false, ...(stage !== 'team' ? { teamWidened: stage } : {}) };
  }
  const anyone = chooseAmong(caller, candidates, policy, (c) => c.status === 'available');
  return { counsellors: anyone, widened: anyone.length > 0 };
}

/** The counsellors to ring for one caller (see {@link chooseOffer}). */
export function chooseCounsellors<K extends CounsellorCandidate>(
  caller: WaitingCaller,
  candidates: readonly K[],
  policy: QueuePolicy,
  now: number,
): K[] {
  return chooseOffer(caller, candidates, policy, now).counsellors;
}

/**
 * The counsellor ids to ring for a caller who just joined the queue: one id, every eligible id
 * with ring-all, or none. See {@link chooseCounsellors}.
 */
export function pickCounsellorsForCaller(
  caller: WaitingCaller,
  counsellors: readonly CounsellorCandidate[],
  policy: QueuePolicy,
  now: number,
): string[] {
  return chooseCounsellors(caller, counsellors, policy, now).map((c) => c.id);
}

/**
 * Batch matching: greedy in queue order, each caller gets the strategy's choice among the
 * available counsellors not yet used by an earlier caller. Callers nobody can take yet are left
 * out. Duplicate call ids or counsellor ids in the input are ignored after their first
 * occurrence. O(waiting × available); stops as soon as every available counsellor is used.
 */
export function planOffers(
  waiting: readonly WaitingCaller[],
  counsellors: readonly CounsellorCandidate[],
  policy: QueuePolicy,
  now: number,
): Offer[] {
  const seenCounsellors = new Set<string>();
  let remaining: CounsellorCandidate[] = [];
  for (const c of counsellors) {
    if (c.status !== 'available' || seenCounsellors.has(c.id)) continue;
    seenCounsellors.add(c.id);
    remaining.push(c);
  }
  const offers: Offer[] = [];
  const seenCalls = new Set<string>();
  for (const caller of sortCallers(waiting)) {
    if (remaining.length === 0) break;
    if (seenCalls.has(caller.callId)) continue;
    seenCalls.add(caller.callId);
    const { counsellors: chosen, widened, teamWidened } = chooseOffer(caller, remaining, policy, now);
    if (chosen.length === 0) continue;
    offers.push({
      callId: caller.callId, counsellorIds: chosen.map((c) => c.id), ...(widened ? { widened: true as const } : {}), ...(teamWidened ? { teamWidened } : {}),
    });
    const taken = new Set(chosen);
    remaining = remaining.filter((c) => !taken.has(c));
  }
  return offers;
}
