import type { Logger } from 'pino';
import type { LiveCall } from '../../ports/live-calls.ts';
import type { Telephony } from '../../ports/telephony.ts';
import { handToDialplan, type HandOverResult } from './fail-safe.ts';

interface HandOverDeps {
  telephony: Telephony;
  /** Whether the call is still this process's live call (not ended, not replaced). */
  isLive(call: LiveCall): boolean;
  /** Runs `retry` after `ms` on the call's executor, cancelled if the call ends first. */
  retryLater(call: LiveCall, ms: number, retry: () => Promise<void>): void;
}

/**
 * Callers being handed to the dialplan fallback after a failure (duty of care): a hand-over the
 * PBX refused is retried, backing off, while the caller is ours; and when the caller leaves, the
 * call's end asks whether they were handed over or had hung up first (then their outcome is what
 * the call was before the failure: abandoned in the queue, hung up in the menus).
 */
export class DialplanHandOvers {
  private readonly pending = new WeakMap<LiveCall, { before: LiveCall['phase']; attempt: Promise<HandOverResult> | null }>();

  constructor(private readonly d: HandOverDeps) {}

  /** Hands `call`, which was in phase `before` when `why` failed it, to the dialplan. */
  async start(call: LiveCall, before: LiveCall['phase'], log: Logger, why: unknown): Promise<void> {
    this.pending.set(call, { before, attempt: null });
    await this.attempt(call, log, why, 0);
  }

  /** Tries again at once, the back-off reset (after a reconnect to the PBX). */
  retry(call: LiveCall, log: Logger, why: unknown): Promise<void> {
    return this.attempt(call, log, why, 0);
  }

  /** For a call whose caller left while it was handed over: its phase before the failure if the caller had hung up first, else null. */
  async callerWentFirst(call: LiveCall): Promise<LiveCall['phase'] | null> {
    const handOver = this.pending.get(call);
    if (!handOver) return null;
    return (await handOver.attempt) === 'caller-gone' ? handOver.before : null;
  }

  private async attempt(call: LiveCall, log: Logger, why: unknown, n: number): Promise<void> {
    if (!this.d.isLive(call)) return; // the caller left meanwhile
    const tried = handToDialplan(this.d.telephony, call.channelId, log, why);
    const handOver = this.pending.get(call);
    if (handOver) handOver.attempt = tried;
    if ((await tried) !== 'refused') return;
    this.d.retryLater(call, Math.min(500 * 2 ** n, 10_000), () => this.attempt(call, log, why, n + 1));
  }
}
