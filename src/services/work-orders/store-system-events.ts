/**
 * The order side of the timers, straight on the order store and machine (no service needed): a
 * timer's event is decided by the machine on the stored state and written with optimistic
 * concurrency, retried when a person changed the order at the same moment.
 */
import { handleOrderEvent } from '../../domain/work-orders/order-machine.ts';
import { DEADLINE_OF_STATUS } from '../../domain/work-orders/order-rules.ts';
import type { OrderContext, OrderStatus } from '../../domain/work-orders/order-types.ts';
import type { TimerFiring } from '../../domain/work-orders/deadline-timers.ts';
import { ConflictError } from '../../errors.ts';
import type { Clock } from '../../ports/clock.ts';
import type { OrderSystemEvents } from '../../ports/order-delivery.ts';
import type { WorkOrderStore } from '../../ports/work-orders.ts';

const RUNNING = Object.keys(DEADLINE_OF_STATUS) as OrderStatus[];
const MAX_TRIES = 5;
const SYSTEM = { id: 'system', role: 'system' } as const;

export class StoreOrderSystemEvents implements OrderSystemEvents {
  constructor(private readonly store: WorkOrderStore, private readonly ctx: OrderContext, private readonly clock: Clock) {}

  async applyTimer(f: TimerFiring): Promise<'applied' | 'unchanged' | 'not-found'> {
    for (let tries = 1; ; tries++) {
      const order = await this.store.get(f.orderId);
      if (!order) return 'not-found';
      const at = this.clock.now().toISOString();
      const step = handleOrderEvent(order.state, { type: f.type, kind: f.kind, dueAt: f.dueAt, actor: SYSTEM, at }, this.ctx);
      if (!step.ok) throw step.error;
      if (!step.record) return 'unchanged';
      try {
        await this.store.apply(order.id, order.version, { state: step.state, record: step.record, commands: step.commands }, at);
        return 'applied';
      } catch (err) {
        if (!(err instanceof ConflictError && err.code === 'order-changed') || tries >= MAX_TRIES) throw err;
      }
    }
  }

  async runningDeadlines() {
    const orders = await this.store.list({ statuses: RUNNING, limit: 100_000 });
    return orders.flatMap((o) => (o.state.deadline ? [{ orderId: o.id, deadline: o.state.deadline }] : []));
  }
}
