/**
 * Caller order in the queue: most urgent first, then longest waiting across all lines, then by
 * call id so that every replica and every test sees the same order.
 */
import type { WaitingCaller } from './types.ts';

type Ordered = Pick<WaitingCaller, 'callId' | 'priority' | 'enqueuedAt'>;

/** Code-unit comparison of ids: locale-independent, so the order is the same on every host. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Queue order of two callers: `priority` descending, then `enqueuedAt` ascending, then `callId`.
 * A total order when call ids are unique; suitable for `Array.prototype.sort`.
 */
export function compareCallers(a: Ordered, b: Ordered): number {
  return b.priority - a.priority || a.enqueuedAt - b.enqueuedAt || compareIds(a.callId, b.callId);
}

/** A new array of the callers in queue order (see {@link compareCallers}); the input is untouched. */
export function sortCallers<C extends Ordered>(waiting: readonly C[]): C[] {
  return [...waiting].sort(compareCallers);
}

/**
 * Where `caller` belongs in `waitingSorted` (already in queue order): the index of the first
 * caller that comes after it. Binary search, O(log n), so the service can keep its queue sorted
 * with a single `splice` instead of re-sorting on every arrival.
 */
export function callerInsertionIndex(waitingSorted: readonly Ordered[], caller: Ordered): number {
  let lo = 0;
  let hi = waitingSorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareCallers(waitingSorted[mid] as Ordered, caller) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
