import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { FollowUpTimer, FollowUpTimerQueue } from '../../ports/follow-ups.ts';
import { BullmqDelayedJobs } from './bullmq-delayed-jobs.ts';

export const FOLLOW_UP_TIMER_QUEUE = 'follow-up-timers';

/** Follow-up attempts' due times as BullMQ delayed jobs, one per attempt (deterministic ids). */
export class BullmqFollowUpTimers implements FollowUpTimerQueue {
  private readonly jobs: BullmqDelayedJobs<{ followUpId: string }>;

  constructor(connection: Redis, prefix: string, log: Logger) {
    this.jobs = new BullmqDelayedJobs<{ followUpId: string }>(FOLLOW_UP_TIMER_QUEUE, connection, prefix, log, 2);
  }

  schedule(timers: readonly FollowUpTimer[], now: Date): Promise<void> {
    return this.jobs.schedule(timers.map((t) => ({ id: t.id, name: 'follow-up-due', fireAt: t.fireAt, data: { followUpId: t.followUpId } })), now);
  }

  existing(ids: readonly string[]): Promise<Set<string>> {
    return this.jobs.existing(ids);
  }

  promote(ids: readonly string[]): Promise<void> {
    return this.jobs.promote(ids);
  }

  process(handler: (followUpId: string) => Promise<void>): void {
    this.jobs.process((data) => handler(data.followUpId));
  }

  close(): Promise<void> {
    return this.jobs.close();
  }
}
