import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { delayUntil } from '../../domain/work-orders/deadline-timers.ts';

/** States in which a job counts as there: it will run, runs, or ran (kept a week). */
const PRESENT = new Set(['waiting', 'delayed', 'active', 'prioritized', 'completed', 'waiting-children']);

export interface DelayedJob<T> {
  /** Deterministic: the same due time always gives the same id. */
  id: string;
  name: string;
  fireAt: string;
  data: T;
}

/**
 * Due times as BullMQ delayed jobs with deterministic ids, the shape the order deadlines and the
 * follow-up calls share: adding a job whose id exists is a no-op in BullMQ, so scheduling twice
 * makes one job, and the jobs can be rebuilt from the database after Redis lost them. A failed
 * job (its store was down through every retry) is removed before it is added again.
 */
export class BullmqDelayedJobs<T> {
  private readonly queue: Queue;
  private worker: Worker | null = null;

  constructor(
    private readonly name: string,
    private readonly connection: Redis,
    private readonly prefix: string,
    private readonly log: Logger,
    private readonly concurrency: number,
  ) {
    this.queue = new Queue(name, { connection, prefix: `${prefix}:bull` });
  }

  async schedule(jobs: readonly DelayedJob<T>[], now: Date): Promise<void> {
    for (const j of jobs) {
      const existing = await this.queue.getJob(j.id);
      if (existing && (await existing.getState()) === 'failed') await existing.remove();
      await this.queue.add(j.name, j.data, {
        jobId: j.id,
        delay: delayUntil(j.fireAt, now),
        attempts: 10,
        backoff: { type: 'exponential', delay: 5_000 },
        removeOnComplete: { age: 7 * 24 * 3600 },
        removeOnFail: { age: 30 * 24 * 3600 },
      });
    }
  }

  async cancel(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      // A job running now cannot be removed; it finds its due time gone and changes nothing.
      await this.queue.remove(id).catch(() => 0);
    }
  }

  async existing(ids: readonly string[]): Promise<Set<string>> {
    const states = await this.states(ids);
    return new Set(ids.filter((_, i) => PRESENT.has(states[i]!)));
  }

  async promote(ids: readonly string[]): Promise<void> {
    const states = await this.states(ids);
    const delayed = ids.filter((_, i) => states[i] === 'delayed');
    await inBatches(delayed, (id) => this.queue.getJob(id).then((job) => job?.promote()).catch(() => undefined));
  }

  /** Each job's state ('unknown' when there is none), asked in batches rather than one round trip per id. */
  private states(ids: readonly string[]): Promise<string[]> {
    return inBatches(ids, (id) => this.queue.getJobState(id));
  }

  /** Runs `handler` for each job when it is due; a throw retries it with backoff. */
  process(handler: (data: T) => Promise<void>): void {
    if (this.worker) return;
    this.worker = new Worker(this.name, async (job: Job<T>) => handler(job.data), {
      connection: this.connection, prefix: `${this.prefix}:bull`, concurrency: this.concurrency,
    });
    this.worker.on('failed', (job, err) => this.log.warn({ err, jobId: job?.id, attempts: job?.attemptsMade }, `${this.name} job failed; BullMQ retries it`));
    this.worker.on('error', (err) => this.log.warn({ err }, `${this.name} worker error`));
  }

  /** Waits for running jobs to finish; delayed jobs stay in Redis for the next start. */
  async close(): Promise<void> {
    await this.worker?.close();
    this.worker = null;
    await this.queue.close();
  }
}

const BATCH = 100;

/** `fn` over `items`, at most BATCH at a time (their Redis commands share the connection's pipeline). */
async function inBatches<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += BATCH) out.push(...(await Promise.all(items.slice(i, i + BATCH).map(fn))));
  return out;
}
