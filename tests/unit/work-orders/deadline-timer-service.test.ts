import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { TimerFiring, TimerJob } from '../../../src/domain/work-orders/deadline-timers.ts';
import type { OrderCommand, OrderEvent } from '../../../src/domain/work-orders/order-types.ts';
import type { TimerQueue } from '../../../src/ports/order-delivery.ts';
import { DeadlineTimers } from '../../../src/services/work-orders/deadline-timers.ts';
import { StoreOrderSystemEvents } from '../../../src/services/work-orders/store-system-events.ts';
import { change, newOrder, orderCtx } from '../../contract/case-order-fixtures.ts';
import { ManualClock } from '../../fakes/manual-clock.ts';
import { MemoryWorkOrderStore } from '../../fakes/memory-work-order-store.ts';

/** Delayed jobs in memory, keyed by id as BullMQ keys them; `runDue` fires those the clock passed. */
class MemoryTimerQueue implements TimerQueue {
  jobs = new Map<string, TimerJob & { done: boolean }>();
  private handler: ((f: TimerFiring) => Promise<void>) | null = null;
  async schedule(jobs: readonly TimerJob[]) {
    for (const j of jobs) if (!this.jobs.has(j.id)) this.jobs.set(j.id, { ...j, done: false });
  }
  async cancel(ids: readonly string[]) {
    for (const id of ids) this.jobs.delete(id);
  }
  async existing(ids: readonly string[]) {
    return new Set(ids.filter((id) => this.jobs.has(id)));
  }
  promoted: string[] = [];
  async promote(ids: readonly string[]) {
    this.promoted.push(...ids);
  }
  process(h: (f: TimerFiring) => Promise<void>) {
    this.handler = h;
  }
  async close() {}
  async runDue(now: Date) {
    for (const j of [...this.jobs.values()].sort((a, b) => a.fireAt.localeCompare(b.fireAt))) {
      if (!j.done && Date.parse(j.fireAt) <= now.getTime()) {
        j.done = true;
        await this.handler?.(j.firing);
      }
    }
  }
}

const log = pino({ level: 'silent' });
const T0 = '2026-03-10T02:00:00.000Z';
const supervisor = { id: 's1', role: 'supervisor' as const };

async function dispatchedOrder() {
  const store = new MemoryWorkOrderStore();
  const created = await store.create({ ...newOrder('wo-1', T0), caseId: 'case-1' }, T0);
  const ev: OrderEvent = { type: 'dispatch', centreId: 'gz-tianhe', actor: supervisor, at: T0 };
  const c = change(created, ev);
  const order = await store.apply('wo-1', created.version, c, T0);
  const clock = new ManualClock(T0);
  const queue = new MemoryTimerQueue();
  const timers = new DeadlineTimers({ queue, orders: new StoreOrderSystemEvents(store, orderCtx, clock), clock, log });
  await timers.start(60_000);
  const schedule = c.commands.find((x): x is Extract<OrderCommand, { type: 'schedule-deadline' }> => x.type === 'schedule-deadline');
  if (!schedule) throw new Error('dispatch schedules a deadline');
  return { store, clock, queue, timers, order, schedule };
}

const outboxTypes = async (store: MemoryWorkOrderStore) => (await store.pendingOutbox(100)).map((m) => m.command.type);

describe('deadline timers', () => {
  it('a schedule command makes three jobs; the same command again makes none more', async () => {
    const t = await dispatchedOrder();
    await t.timers.applyCommand('wo-1', t.schedule);
    await t.timers.applyCommand('wo-1', t.schedule);
    expect([...t.queue.jobs.values()].map((j) => j.firing.type)).toEqual(['deadline-reminder', 'deadline-missed', 'second-level-supervision']);
    await t.timers.stop();
  });

  it('the reminder, the missed deadline and the second level reach the order as the clock passes them', async () => {
    const t = await dispatchedOrder();
    await t.timers.applyCommand('wo-1', t.schedule);
    t.clock.set(t.schedule.deadline.remindAt);
    await t.queue.runDue(t.clock.now());
    expect((await t.store.get('wo-1'))?.state.deadline).toMatchObject({ reminded: true, supervision: 0 });
    t.clock.set(t.schedule.deadline.dueAt);
    await t.queue.runDue(t.clock.now());
    expect((await t.store.get('wo-1'))?.state).toMatchObject({ deadline: { supervision: 1 }, overdue: { accept: 1 } });
    t.clock.set(t.schedule.deadline.secondLevelAt);
    await t.queue.runDue(t.clock.now());
    expect((await t.store.get('wo-1'))?.state.overdue.accept).toBe(2);
    // The machine's commands go to the outbox, for the worker: 催办 to the centre, two 督办 alerts.
    expect((await outboxTypes(t.store)).slice(-3)).toEqual(['notify-centre', 'raise-supervision-alert', 'raise-supervision-alert']);
    const events = await t.store.events('wo-1');
    expect(events.slice(-3).map((e) => [e.type, e.actorRole])).toEqual([
      ['deadline-reminder', 'system'], ['deadline-missed', 'system'], ['second-level-supervision', 'system'],
    ]);
  });

  it('a timer of a deadline the order has left changes nothing', async () => {
    const t = await dispatchedOrder();
    await t.timers.applyCommand('wo-1', t.schedule);
    const accepted = change(t.order, { type: 'accept', actor: { id: 'gz-tianhe-01', role: 'centre', centreId: 'gz-tianhe' }, at: T0 });
    await t.store.apply('wo-1', t.order.version, accepted, T0);
    const before = await t.store.get('wo-1');
    t.clock.set(t.schedule.deadline.secondLevelAt);
    await t.queue.runDue(t.clock.now());
    const after = await t.store.get('wo-1');
    expect(after?.version).toBe(before?.version);
    expect(after?.state.overdue).toEqual({ accept: 0, reply: 0 });
  });

  it('reconcile rebuilds lost jobs from the database, only the steps still to come, and is idempotent', async () => {
    const t = await dispatchedOrder();
    await t.timers.applyCommand('wo-1', t.schedule);
    t.clock.set(t.schedule.deadline.remindAt);
    await t.queue.runDue(t.clock.now());
    t.queue.jobs.clear(); // Redis lost its data
    expect(await t.timers.reconcile()).toEqual({ deadlines: 1, added: 2, promoted: 0 });
    expect([...t.queue.jobs.values()].map((j) => j.firing.type)).toEqual(['deadline-missed', 'second-level-supervision']);
    expect(await t.timers.reconcile()).toEqual({ deadlines: 1, added: 0, promoted: 0 });
    // The clock passed the deadline while the job waited: reconcile runs it now.
    t.clock.set(t.schedule.deadline.dueAt);
    expect(await t.timers.reconcile()).toMatchObject({ promoted: 1 });
    expect(t.queue.promoted).toEqual([[...t.queue.jobs.keys()][0]]);
  });

  it('a cancel command removes the deadline\'s jobs', async () => {
    const t = await dispatchedOrder();
    await t.timers.applyCommand('wo-1', t.schedule);
    await t.timers.applyCommand('wo-1', { type: 'cancel-deadline', kind: 'accept', dueAt: t.schedule.deadline.dueAt });
    expect(t.queue.jobs.size).toBe(0);
  });

  it('a timer for an order that does not exist is reported, not thrown', async () => {
    const t = await dispatchedOrder();
    const events = new StoreOrderSystemEvents(t.store, orderCtx, t.clock);
    expect(await events.applyTimer({ orderId: 'nope', type: 'deadline-missed', kind: 'accept', dueAt: T0 })).toBe('not-found');
  });
});
