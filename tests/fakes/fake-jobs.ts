import type { CallbackClaim, CallbackRequest, Jobs, PendingCallback } from '../../src/ports/jobs.ts';

/** Jobs that only remember what was asked; like BullMQ, one callback job per call id. */
export class FakeJobs implements Jobs {
  readonly callbacks: CallbackRequest[] = [];
  readonly completed: string[] = [];
  /** When set, requestCallback rejects with it (e.g. Redis down). */
  failWith: Error | null = null;
  /** Held callbacks: job id → when the hold lapses (Date.now based, like Redis's PX). */
  private readonly holds = new Map<string, number>();

  async requestCallback(request: CallbackRequest): Promise<string> {
    if (this.failWith) throw this.failWith;
    const jobId = `callback-${request.callId}`;
    if (!this.callbacks.some((c) => c.callId === request.callId)) this.callbacks.push(structuredClone(request));
    return jobId;
  }

  /** Callbacks not yet made nor held, oldest place in the queue first. */
  async pendingCallbacks(): Promise<PendingCallback[]> {
    return this.callbacks
      .map((c) => ({ ...structuredClone(c), jobId: `callback-${c.callId}` }))
      .filter((c) => !this.completed.includes(c.jobId) && !this.held(c.jobId))
      .sort((a, b) => a.enqueuedAt - b.enqueuedAt);
  }

  async claimCallback(jobId: string, claimedBy: string, record: (callback: PendingCallback) => Promise<void>): Promise<CallbackClaim> {
    const claim = await this.reserveCallback(jobId, claimedBy, record, 7 * 24 * 3600_000);
    if (claim.status === 'claimed') await this.finishCallback(jobId);
    return claim;
  }

  async reserveCallback(jobId: string, _claimedBy: string, record: (callback: PendingCallback) => Promise<void>, holdMs: number): Promise<CallbackClaim> {
    const request = this.callbacks.find((c) => `callback-${c.callId}` === jobId);
    if (!request) return { status: 'unknown' };
    if (this.completed.includes(jobId) || this.held(jobId)) return { status: 'taken' };
    const callback = { ...structuredClone(request), jobId };
    this.holds.set(jobId, Date.now() + holdMs);
    try {
      await record(callback);
    } catch (err) {
      this.holds.delete(jobId);
      throw err;
    }
    return { status: 'claimed', callback };
  }

  async finishCallback(jobId: string): Promise<void> {
    if (!this.completed.includes(jobId)) this.completed.push(jobId);
  }

  async returnCallback(jobId: string): Promise<void> {
    this.holds.delete(jobId);
  }

  private held(jobId: string): boolean {
    const until = this.holds.get(jobId);
    return until !== undefined && until > Date.now();
  }
}
