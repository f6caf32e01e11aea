/**
 * Counsellor choice among the eligible ones, one comparator per queue strategy. A comparator sorts
 * the preferred counsellor first; every tie ends with the counsellor id, so choices are
 * deterministic.
 */
import { compareIds } from './ordering.ts';
import type { CounsellorCandidate, MatchStrategy } from './types.ts';

type Ranked = Pick<CounsellorCandidate, 'id' | 'statusSince' | 'lastCallEndedAt' | 'lastOfferedAt' | 'callsToday'>;

/** Since when the counsellor has been idle: the end of their last call, else their last status change. */
export function idleSince(counsellor: Pick<CounsellorCandidate, 'lastCallEndedAt' | 'statusSince'>): number {
  return counsellor.lastCallEndedAt ?? counsellor.statusSince;
}

/** Longest idle first (earliest {@link idleSince}), then id. */
export function compareLongestIdle(a: Ranked, b: Ranked): number {
  return idleSince(a) - idleSince(b) || compareIds(a.id, b.id);
}

/** Fewest calls today first, then longest idle, then id. */
export function compareFewestCalls(a: Ranked, b: Ranked): number {
  return a.callsToday - b.callsToday || compareLongestIdle(a, b);
}

/** Least recently offered first (never offered before anyone), then id. */
export function compareRoundRobin(a: Ranked, b: Ranked): number {
  const x = a.lastOfferedAt;
  const y = b.lastOfferedAt;
  if (x !== y) {
    if (x === null) return -1;
    if (y === null) return 1;
    return x - y;
  }
  return compareIds(a.id, b.id);
}

/** Ring-all rings everyone; the order (by id) only makes the offer deterministic. */
export function compareById(a: Ranked, b: Ranked): number {
  return compareIds(a.id, b.id);
}

const COMPARATORS: Record<MatchStrategy, (a: Ranked, b: Ranked) => number> = {
  'longest-idle': compareLongestIdle,
  'fewest-calls': compareFewestCalls,
  'round-robin': compareRoundRobin,
  'ring-all': compareById,
};

/** The comparator for a strategy: negative when `a` should be offered before `b`. */
export function counsellorComparator(strategy: MatchStrategy): (a: Ranked, b: Ranked) => number {
  return COMPARATORS[strategy];
}
