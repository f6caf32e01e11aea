/**
 * The timers' order side through the WorkOrderService, so that a reminder or a 督办 mark is
 * published to the pages (live `work-order` event) and audited like every other change. Reading
 * the running deadlines stays on the store.
 */
import type { TimerFiring } from '../../domain/work-orders/deadline-timers.ts';
import { NotFoundError } from '../../errors.ts';
import type { OrderSystemEvents } from '../../ports/order-delivery.ts';
import type { WorkOrderService } from './work-order-service.ts';

export class ServiceOrderSystemEvents implements OrderSystemEvents {
  constructor(private readonly orders: Pick<WorkOrderService, 'applySystemEvent'>, private readonly deadlines: Pick<OrderSystemEvents, 'runningDeadlines'>) {}

  async applyTimer(f: TimerFiring): Promise<'applied' | 'unchanged' | 'not-found'> {
    try {
      const { changed } = await this.orders.applySystemEvent(f.orderId, { type: f.type, kind: f.kind, dueAt: f.dueAt });
      return changed ? 'applied' : 'unchanged';
    } catch (err) {
      if (err instanceof NotFoundError) return 'not-found';
      throw err;
    }
  }

  runningDeadlines(): ReturnType<OrderSystemEvents['runningDeadlines']> {
    return this.deadlines.runningDeadlines();
  }
}
