import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { CallbackClaim, CallbackRequest, Jobs, PendingCallback } from '../../ports/jobs.ts';

export const CALLBACK_QUEUE = 'callbacks';
const PENDING_STATES = ['waiting', 'prioritized', 'delayed', 'paused'] as const;
/** How long the marker of a claimed callback outlives the job (a late second claim is 'taken'). */
const CLAIM_MARKER_SECONDS = 7 * 24 * 3600;

/**
 * Callback requests as durable BullMQ jobs. The job id is the call id, so a retried request
 * (e.g. after a restart) never creates a second callback for the same call.
 */
export class BullmqJobs implements Jobs {
  private readonly callbacks: Queue;

  constructor(private readonly connection: Redis, private readonly prefix: string) {
    this.callbacks = new Queue(CALLBACK_QUEUE, { connection, prefix: `${prefix}:bull` });
  }

  async requestCallback(request: CallbackRequest): Promise<string> {
    const job = await this.callbacks.add('callback', request, {
      jobId: `callback-${request.callId}`,
      // Lower number = sooner in BullMQ; keep the caller's original place.
      priority: 1,
      attempts: 10,
      backoff: { type: 'exponential', delay: 30_000 },
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: false,
    });
    return job.id ?? `callback-${request.callId}`;
  }

  async pendingCallbacks(): Promise<PendingCallback[]> {
    const jobs = (await this.callbacks.getJobs([...PENDING_STATES])).filter((j) => j.id);
    // Held by someone dialling it: not pending for anyone else.
    const held = jobs.length > 0 ? await this.connection.mget(...jobs.map((j) => this.markerOf(j.id as string))) : [];
    return jobs
      .filter((_, i) => held[i] === null)
      .map((j) => ({ ...(j.data as CallbackRequest), jobId: j.id as string }))
      .sort((a, b) => a.enqueuedAt - b.enqueuedAt);
  }

  async claimCallback(jobId: string, claimedBy: string, record: (callback: PendingCallback) => Promise<void>): Promise<CallbackClaim> {
    const claim = await this.reserveCallback(jobId, claimedBy, record, CLAIM_MARKER_SECONDS * 1000);
    if (claim.status === 'claimed') await this.finishCallback(jobId);
    return claim;
  }

  async reserveCallback(jobId: string, claimedBy: string, record: (callback: PendingCallback) => Promise<void>, holdMs: number): Promise<CallbackClaim> {
    // BullMQ's remove answers 1 for a job that is already gone, so it cannot tell two claimants
    // apart: a SET NX marker decides who wins.
    const marker = this.markerOf(jobId);
    const job = await this.callbacks.getJob(jobId);
    if (!job) return (await this.connection.exists(marker)) ? { status: 'taken' } : { status: 'unknown' };
    const state = await job.getState();
    if (!(PENDING_STATES as readonly string[]).includes(state)) return { status: 'taken' };
    const won = await this.connection.set(marker, claimedBy, 'PX', Math.max(1, Math.round(holdMs)), 'NX');
    if (won !== 'OK') return { status: 'taken' };
    const callback: PendingCallback = { ...(job.data as CallbackRequest), jobId };
    try {
      await record(callback);
    } catch (err) {
      await this.connection.del(marker);
      throw err;
    }
    return { status: 'claimed', callback };
  }

  async finishCallback(jobId: string): Promise<void> {
    await (await this.callbacks.getJob(jobId))?.remove();
  }

  async returnCallback(jobId: string): Promise<void> {
    await this.connection.del(this.markerOf(jobId));
  }

  private markerOf(jobId: string): string {
    return `${this.prefix}:callback-claim:${jobId}`;
  }

  async close(): Promise<void> {
    await this.callbacks.close();
  }
}
