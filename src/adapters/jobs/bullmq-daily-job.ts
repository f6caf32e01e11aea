import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * A job run once a day at a local time (Asia/Shanghai) by one instance of the service, whichever
 * takes it: BullMQ's job scheduler keeps one schedule per id however many instances upsert it.
 */
export class BullmqDailyJob {
  private readonly queue: Queue;
  private readonly worker: Worker;

  constructor(
    connection: Redis, prefix: string, private readonly name: string, run: () => Promise<unknown>, log: Logger,
  ) {
    this.queue = new Queue(name, { connection, prefix: `${prefix}:bull` });
    this.worker = new Worker(name, async () => run(), { connection, prefix: `${prefix}:bull`, concurrency: 1 });
    this.worker.on('failed', (_job, err) => log.error({ err, job: name }, 'daily job failed; it runs again tomorrow'));
    this.worker.on('error', (err) => log.warn({ err, job: name }, 'daily job worker error'));
  }

  /** `hh:mm` local time in Asia/Shanghai. */
  async schedule(at: string): Promise<void> {
    const [h, m] = at.split(':').map(Number);
    await this.queue.upsertJobScheduler(this.name, { pattern: `0 ${m ?? 0} ${h ?? 3} * * *`, tz: 'Asia/Shanghai' }, {
      name: this.name, opts: { removeOnComplete: { count: 30 }, removeOnFail: { count: 30 } },
    });
  }

  async close(): Promise<void> {
    await this.worker.close();
    await this.queue.close();
  }
}
