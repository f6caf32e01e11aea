import type { CallbackClaim, CallbackRequest, Jobs } from '../../src/ports/jobs.ts';

type Pending = CallbackRequest & { jobId: string };

/** Jobs that only remember what was asked; like BullMQ, one callback job per call id. */
export class FakeJobs implements Jobs {
  readonly callbacks: CallbackRequest[] = [];
  readonly completed: string[] = [];
  /** When set, requestCallback rejects with it (e.g. Redis down). */
  failWith: Error | null = null;
  private readonly claiming = new Set<string>();

  async requestCallback(request: CallbackRequest): Promise<string> {
    if (this.failWith) throw this.failWith;
    const jobId = `callback-${request.callId}`;
    if (!this.callbacks.some((c) => c.callId === request.callId)) this.callbacks.push(structuredClone(request));
    return jobId;
  }

  /** Callbacks not yet made, oldest place in the queue first. */
  async pendingCallbacks(): Promise<Pending[]> {
    return this.callbacks
      .map((c) => ({ ...structuredClone(c), jobId: `callback-${c.callId}` }))
      .filter((c) => !this.completed.includes(c.jobId))
      .sort((a, b) => a.enqueuedAt - b.enqueuedAt);
  }

  async claimCallback(jobId: string, _claimedBy: string, record: (callback: Pending) => Promise<void>): Promise<CallbackClaim> {
    const request = this.callbacks.find((c) => `callback-${c.callId}` === jobId);
    if (!request) return { status: 'unknown' };
    if (this.completed.includes(jobId) || this.claiming.has(jobId)) return { status: 'taken' };
    const callback = { ...structuredClone(request), jobId };
    this.claiming.add(jobId);
    try {
      await record(callback);
    } finally {
      this.claiming.delete(jobId);
    }
    this.completed.push(jobId);
    return { status: 'claimed', callback };
  }
}
