/**
 * Delays between softphone reconnection attempts: doubling from 1 s, capped at 10 s (a counsellor
 * must be reachable again soon after the PBX is back), with jitter.
 */

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** Fraction of the delay randomised either way, so many consoles do not retry in step. */
  jitter: number;
}

export const SIP_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 10_000, jitter: 0.2 };

/** Delay before attempt `attempt` (1-based); `random` returns 0..1 (Math.random in the page). */
export function backoffMs(attempt: number, opts: BackoffOptions = SIP_BACKOFF, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(attempt));
  const raw = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.min(n - 1, 30));
  const spread = raw * opts.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(Math.min(opts.maxMs, raw + spread)));
}
