/**
 * The deadline timers of work orders (催办, 督办, 二级督办) as durable delayed jobs. The outbox
 * worker hands them the machine's `schedule-deadline` / `cancel-deadline` commands; when a job
 * fires, its event goes to the order, whose machine ignores it if the order moved on (the event
 * names the deadline it was set for). `reconcile` rebuilds the jobs from the database (at start,
 * periodically, after Redis lost its data) and runs those the clock has passed: idempotent, as
 * job ids are deterministic.
 */
import type { Logger } from 'pino';
import { allTimerJobIds, timerJobs, type TimerFiring } from '../../domain/work-orders/deadline-timers.ts';
import type { OrderCommand } from '../../domain/work-orders/order-types.ts';
import type { Clock } from '../../ports/clock.ts';
import type { OrderSystemEvents, TimerQueue } from '../../ports/order-delivery.ts';
import { rebuildDelayedJobs } from '../jobs/rebuild-delayed-jobs.ts';

export interface ReconcileResult {
  deadlines: number;
  /** Jobs that were missing and were added. */
  added: number;
  /** Jobs whose time the clock had passed, run now. */
  promoted: number;
}

export class DeadlineTimers {
  private interval: NodeJS.Timeout | null = null;

  constructor(private readonly d: { queue: TimerQueue; orders: OrderSystemEvents; clock: Clock; log: Logger }) {}

  /** Carries out a timer command of the order machine (from the outbox). */
  async applyCommand(orderId: string, command: OrderCommand): Promise<void> {
    if (command.type === 'schedule-deadline') {
      await this.d.queue.schedule(timerJobs(orderId, command.deadline), this.d.clock.now());
    } else if (command.type === 'cancel-deadline') {
      await this.d.queue.cancel(allTimerJobIds(orderId, command.kind, command.dueAt));
    }
  }

  /** What a job does when it fires. */
  async fire(firing: TimerFiring): Promise<void> {
    const outcome = await this.d.orders.applyTimer(firing);
    this.d.log.info({ ...firing, outcome }, outcome === 'applied' ? 'order timer applied' : 'order timer had nothing to do');
  }

  async reconcile(): Promise<ReconcileResult> {
    const now = this.d.clock.now();
    const running = await this.d.orders.runningDeadlines();
    const rebuilt = await rebuildDelayedJobs(this.d.queue, running.flatMap((r) => timerJobs(r.orderId, r.deadline)), now);
    const result = { deadlines: running.length, ...rebuilt };
    if (rebuilt.added > 0 || rebuilt.promoted > 0) this.d.log.info(result, 'order timers reconciled');
    return result;
  }

  /** Starts running jobs, rebuilds them from the database, and again every `everyMs`. */
  async start(everyMs = 5 * 60_000): Promise<void> {
    this.d.queue.process((firing) => this.fire(firing));
    await this.reconcile().catch((err: unknown) => this.d.log.warn({ err }, 'order timers: reconcile failed; retried later'));
    this.interval = setInterval(() => {
      void this.reconcile().catch((err: unknown) => this.d.log.warn({ err }, 'order timers: reconcile failed; retried later'));
    }, everyMs);
    this.interval.unref();
  }

  /** Stops the periodic reconcile; running jobs finish (the queue's close waits for them). */
  async stop(): Promise<void> {
    if (this.interval) clearInterval(this.interval);
    this.interval = null;
    await this.d.queue.close();
  }
}
