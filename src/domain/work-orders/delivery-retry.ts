/**
 * When to try an outbox message again after a failed delivery, and when to give up on it (the
 * dead-letter state, which raises a supervisor alert). Pure.
 */
export interface RetryPolicy {
  /** The wait after the first failure; it doubles with each failure after that. */
  baseMs: number;
  maxMs: number;
  /** Failures after which the message is set aside (dead letter). */
  maxAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 5_000, maxMs: 15 * 60_000, maxAttempts: 12 };

/** The wait before the next try after `failures` failures (1 = the first), capped at `maxMs`. */
export function retryDelayMs(failures: number, policy: RetryPolicy): number {
  if (failures < 1) return 0;
  // 2^30 is far beyond any cap; the exponent is bounded so the number stays finite.
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(failures - 1, 30));
}

export type RetryDecision = { kind: 'retry'; at: Date } | { kind: 'dead' };

/** After the `failures`-th failure at `now`: try again later, or set the message aside. */
export function afterFailure(failures: number, now: Date, policy: RetryPolicy): RetryDecision {
  if (failures >= policy.maxAttempts) return { kind: 'dead' };
  return { kind: 'retry', at: new Date(now.getTime() + retryDelayMs(failures, policy)) };
}
