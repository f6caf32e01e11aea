import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { FollowUpTimer, FollowUpTimerQueue } from '../../ports/follow-ups.ts';

export const FOLLOW_UP_TIMER_QUEUE = 'follow-up-timers';
const PRESENT = new Set(['waiting', 'delayed', 'active', 'prioritized', 'completed', 'waiting-children']);

/**
 * Follow-up attempts' due times as BullMQ delayed jobs with deterministic ids (one per attempt):
 * adding an id that exists is a no-op, so scheduling twice makes one job, and the jobs can be
 * rebuilt from the database after Redis lost them.
 */
export class BullmqFollowUpTimers implements FollowUpTimerQueue {
  private readonly queue: Queue;
  private worker: Worker | null = null;

  constructor(private readonly connection: Redis, private readonly prefix: string, private readonly log: Logger) {
    this.queue = new Queue(FOLLOW_UP_TIMER_QUEUE, { connection, prefix: `${prefix}:bull` });
  }

  async schedule(timers: readonly FollowUpTimer[], now: Date): Promise<void> {
    for (const t of timers) {
      const existing = await this.queue.getJob(t.id);
      if (existing && (await existing.getState()) === 'failed') await existing.remove();
      await this.queue.add('follow-up-due', { followUpId: t.followUpId }, {
        jobId: t.id,
        delay: Math.max(0, new Date(t.fireAt).getTime() - now.getTime()),
        attempts: 10,
        backoff: { type: 'exponential', delay: 5_000 },
        removeOnComplete: { age: 7 * 24 * 3600 },
        removeOnFail: { age: 30 * 24 * 3600 },
      });
    }
  }

  async existing(ids: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const id of ids) {
      const job = await this.queue.getJob(id);
      if (job && PRESENT.has(await job.getState())) found.add(id);
    }
    return found;
  }

  async promote(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const job = await this.queue.getJob(id);
      if (job && (await job.getState()) === 'delayed') await job.promote().catch(() => undefined);
    }
  }

  process(handler: (followUpId: string) => Promise<void>): void {
    if (this.worker) return;
    this.worker = new Worker(FOLLOW_UP_TIMER_QUEUE, async (job: Job<{ followUpId: string }>) => handler(job.data.followUpId), {
      connection: this.connection, prefix: `${this.prefix}:bull`, concurrency: 2,
    });
    this.worker.on('failed', (job, err) => this.log.warn({ err, jobId: job?.id }, 'follow-up timer failed; BullMQ retries it'));
    this.worker.on('error', (err) => this.log.warn({ err }, 'follow-up timer worker error'));
  }

  async close(): Promise<void> {
    await this.worker?.close();
    this.worker = null;
    await this.queue.close();
  }
}
