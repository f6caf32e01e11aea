import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { CallbackRequest, Jobs, PendingCallback } from '../../ports/jobs.ts';

export const CALLBACK_QUEUE = 'callbacks';

/**
 * Callback requests as durable BullMQ jobs. The job id is the call id, so a retried request
 * (e.g. after a restart) never creates a second callback for the same call.
 */
export class BullmqJobs implements Jobs {
  private readonly callbacks: Queue;

  constructor(connection: Redis, prefix: string) {
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
    const jobs = await this.callbacks.getJobs(['waiting', 'prioritized', 'delayed', 'paused']);
    return jobs
      .filter((j) => j.id)
      .map((j) => ({ ...(j.data as CallbackRequest), jobId: j.id as string }))
      .sort((a, b) => a.enqueuedAt - b.enqueuedAt);
  }

  async completeCallback(jobId: string): Promise<boolean> {
    const job = await this.callbacks.getJob(jobId);
    if (!job) return false;
    await job.remove();
    return true;
  }

  async close(): Promise<void> {
    await this.callbacks.close();
  }
}
