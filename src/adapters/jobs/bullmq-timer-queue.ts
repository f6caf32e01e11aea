import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { delayUntil, type TimerFiring, type TimerJob } from '../../domain/work-orders/deadline-timers.ts';
import type { TimerQueue } from '../../ports/order-delivery.ts';

export const ORDER_TIMER_QUEUE = 'order-timers';
/** States in which a job counts as there: it will run, runs, or ran (kept a week). */
const PRESENT = new Set(['waiting', 'delayed', 'active', 'prioritized', 'completed', 'waiting-children']);

/**
 * Deadline timers as BullMQ delayed jobs with the timers' deterministic ids: adding a job whose id
 * exists is a no-op in BullMQ, so scheduling twice makes one job. A failed job (its order store was
 * down through every retry) is removed before it is added again.
 */
export class BullmqTimerQueue implements TimerQueue {
  private readonly queue: Queue;
  private worker: Worker | null = null;

  constructor(private readonly connection: Redis, private readonly prefix: string, private readonly log: Logger) {
    this.queue = new Queue(ORDER_TIMER_QUEUE, { connection, prefix: `${prefix}:bull` });
  }

  async schedule(jobs: readonly TimerJob[], now: Date): Promise<void> {
    for (const j of jobs) {
      const existing = await this.queue.getJob(j.id);
      if (existing && (await existing.getState()) === 'failed') await existing.remove();
      await this.queue.add(j.firing.type, j.firing, {
        jobId: j.id,
        delay: delayUntil(j.fireAt, now),
        attempts: 10,
        backoff: { type: 'exponential', delay: 5_000 },
        removeOnComplete: { age: 7 * 24 * 3600 },
        removeOnFail: { age: 30 * 24 * 3600 },
      });
    }
  }

  async cancel(jobIds: readonly string[]): Promise<void> {
    for (const id of jobIds) {
      // A job running now cannot be removed; it finds its deadline gone and changes nothing.
      await this.queue.remove(id).catch(() => 0);
    }
  }

  async existing(jobIds: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const id of jobIds) {
      const job = await this.queue.getJob(id);
      if (job && PRESENT.has(await job.getState())) found.add(id);
    }
    return found;
  }

  async promote(jobIds: readonly string[]): Promise<void> {
    for (const id of jobIds) {
      const job = await this.queue.getJob(id);
      if (job && (await job.getState()) === 'delayed') await job.promote().catch(() => undefined);
    }
  }

  process(handler: (firing: TimerFiring) => Promise<void>): void {
    if (this.worker) return;
    this.worker = new Worker(ORDER_TIMER_QUEUE, async (job: Job<TimerFiring>) => handler(job.data), {
      connection: this.connection, prefix: `${this.prefix}:bull`, concurrency: 4,
    });
    this.worker.on('failed', (job, err) => this.log.warn({ err, jobId: job?.id, attempts: job?.attemptsMade }, 'order timer failed; BullMQ retries it'));
    this.worker.on('error', (err) => this.log.warn({ err }, 'order timer worker error'));
  }

  /** Waits for running jobs to finish; delayed jobs stay in Redis for the next start. */
  async close(): Promise<void> {
    await this.worker?.close();
    this.worker = null;
    await this.queue.close();
  }
}
