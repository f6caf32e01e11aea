import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { TimerFiring, TimerJob } from '../../domain/work-orders/deadline-timers.ts';
import type { TimerQueue } from '../../ports/order-delivery.ts';
import { BullmqDelayedJobs } from './bullmq-delayed-jobs.ts';

export const ORDER_TIMER_QUEUE = 'order-timers';

/** Work-order deadline timers (催办, 督办) as BullMQ delayed jobs with the timers' deterministic ids. */
export class BullmqTimerQueue implements TimerQueue {
  private readonly jobs: BullmqDelayedJobs<TimerFiring>;

  constructor(connection: Redis, prefix: string, log: Logger) {
    this.jobs = new BullmqDelayedJobs<TimerFiring>(ORDER_TIMER_QUEUE, connection, prefix, log, 4);
  }

  schedule(jobs: readonly TimerJob[], now: Date): Promise<void> {
    return this.jobs.schedule(jobs.map((j) => ({ id: j.id, name: j.firing.type, fireAt: j.fireAt, data: j.firing })), now);
  }

  cancel(jobIds: readonly string[]): Promise<void> {
    return this.jobs.cancel(jobIds);
  }

  existing(jobIds: readonly string[]): Promise<Set<string>> {
    return this.jobs.existing(jobIds);
  }

  promote(jobIds: readonly string[]): Promise<void> {
    return this.jobs.promote(jobIds);
  }

  process(handler: (firing: TimerFiring) => Promise<void>): void {
    this.jobs.process(handler);
  }

  close(): Promise<void> {
    return this.jobs.close();
  }
}
