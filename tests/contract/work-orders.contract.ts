import { beforeEach, expect, it } from 'vitest';
import type { OrderActor } from '../../src/domain/work-orders/order-types.ts';
import type { CaseStore } from '../../src/ports/cases.ts';
import type { WorkOrderRecord, WorkOrderStore } from '../../src/ports/work-orders.ts';
import { change, counselled, newOrder } from './case-order-fixtures.ts';

/** Ways to change an order's history behind the port's back; each must fail. */
export interface OrderHistoryTamper {
  update(orderId: string): Promise<unknown>;
  delete(orderId: string): Promise<unknown>;
}

const counsellor: OrderActor = { id: 'c1', role: 'counsellor' };
const staff: OrderActor = { id: 'th1', role: 'centre', centreId: 'gz-tianhe' };
const T1 = '2026-03-10T02:00:00.000Z';
const T2 = '2026-03-10T03:00:00.000Z';
const T3 = '2026-03-10T04:00:00.000Z';

/** The WorkOrderStore contract: versioned changes written with their event and outbox, lists, history. */
export function workOrderStoreContract(make: () => Promise<{ cases: CaseStore; orders: WorkOrderStore }>, tamper?: OrderHistoryTamper): void {
  let cases: CaseStore;
  let orders: WorkOrderStore;
  beforeEach(async () => {
    ({ cases, orders } = await make());
  });

  async function caseWithOrder(callId: string, orderId: string, at = T1): Promise<WorkOrderRecord> {
    const saved = await cases.submit(counselled(callId, at));
    return orders.create({ ...newOrder(orderId, at, 3, false), caseId: saved.case.id }, at);
  }

  it('creates an order for a case once, whatever the retries', async () => {
    const o = await caseWithOrder('call-1', 'o-1');
    expect(o).toMatchObject({ id: 'o-1', caseId: 'case-call-1', version: 1, state: { status: 'draft', grade: 3 }, createdAt: T1, updatedAt: T1 });
    expect(await orders.create({ ...newOrder('o-1', T2), caseId: 'case-call-1' }, T2)).toEqual(o);
    expect(await orders.events('o-1')).toHaveLength(1);
    expect(await orders.pendingOutbox(10)).toEqual([]);
    await expect(orders.create({ ...newOrder('o-x', T1), caseId: 'no-case' }, T1)).rejects.toMatchObject({ code: 'case-not-found' });
  });

  it('applies a change with its event and outbox messages, one version at a time', async () => {
    const o = await caseWithOrder('call-2', 'o-2');
    const dispatch = change(o, { type: 'dispatch', centreId: 'gz-tianhe', actor: counsellor, at: T2 });
    const dispatched = await orders.apply('o-2', 1, dispatch, T2);
    expect(dispatched).toMatchObject({ id: 'o-2', version: 2, updatedAt: T2, createdAt: T1, state: { status: 'dispatched', centreId: 'gz-tianhe' } });
    expect(await orders.get('o-2')).toEqual(dispatched);
    expect((await orders.events('o-2')).map((e) => [e.seq, e.type, e.actorId, e.from, e.to])).toEqual([[1, 'create', 'c1', null, 'draft'], [2, 'dispatch', 'c1', 'draft', 'dispatched']]);
    expect((await orders.pendingOutbox(10)).map((m) => m.command.type)).toEqual(['notify-centre', 'schedule-deadline']);
    // Someone else changed it first: nothing is written.
    await expect(orders.apply('o-2', 1, dispatch, T3)).rejects.toMatchObject({ code: 'order-changed' });
    expect(await orders.events('o-2')).toHaveLength(2);
    expect(await orders.pendingOutbox(10)).toHaveLength(2);
    await expect(orders.apply('ghost', 1, dispatch, T3)).rejects.toMatchObject({ code: 'order-not-found' });
  });

  it('lets one of two simultaneous changes of the same version through', async () => {
    const o = await caseWithOrder('call-race', 'o-race');
    const results = await Promise.allSettled([
      orders.apply('o-race', 1, change(o, { type: 'dispatch', centreId: 'gz-tianhe', actor: counsellor, at: T2 }), T2),
      orders.apply('o-race', 1, change(o, { type: 'discard', reason: '重复', actor: counsellor, at: T2 }), T2),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(['order-changed']);
    expect(await orders.events('o-race')).toHaveLength(2);
    expect((await orders.get('o-race'))?.version).toBe(2);
  });

  it('keeps who did what, when and why', async () => {
    const o = await caseWithOrder('call-3', 'o-3');
    const d = await orders.apply('o-3', 1, change(o, { type: 'dispatch', centreId: 'gz-tianhe', actor: counsellor, at: T2 }), T2);
    await orders.apply('o-3', 2, change(d, { type: 'return', reason: '不属本中心辖区', actor: staff, at: '2026-03-10T11:00:00+08:00' }), T3);
    expect((await orders.events('o-3'))[2]).toEqual({
      orderId: 'o-3', seq: 3, type: 'return', actorId: 'th1', actorRole: 'centre', at: '2026-03-10T03:00:00.000Z', from: 'dispatched', to: 'returned', text: '不属本中心辖区', data: {},
    });
  });

  it('lists by centre, state and due time, the soonest deadline first', async () => {
    const a = await caseWithOrder('a', 'o-a', '2026-03-10T01:00:00.000Z');
    const b = await caseWithOrder('b', 'o-b', '2026-03-10T01:30:00.000Z');
    await caseWithOrder('c', 'o-c', '2026-03-10T02:00:00.000Z');
    const d = await caseWithOrder('d', 'o-d', '2026-03-10T00:30:00.000Z');
    // o-b dispatched later (deadline later) than o-a; o-d goes to another centre.
    await orders.apply('o-a', 1, change(a, { type: 'dispatch', centreId: 'gz-tianhe', actor: counsellor, at: '2026-03-10T03:00:00.000Z' }), T3);
    await orders.apply('o-b', 1, change(b, { type: 'dispatch', centreId: 'gz-tianhe', actor: counsellor, at: '2026-03-10T02:00:00.000Z' }), T3);
    await orders.apply('o-d', 1, change(d, { type: 'dispatch', centreId: 'gz', reason: '市中心', actor: counsellor, at: '2026-03-10T02:30:00.000Z' }), T3);
    const ids = (list: WorkOrderRecord[]) => list.map((o) => o.id);
    expect(ids(await orders.list({ limit: 10 }))).toEqual(['o-b', 'o-d', 'o-a', 'o-c']);
    expect(ids(await orders.list({ limit: 2 }))).toEqual(['o-b', 'o-d']);
    expect(ids(await orders.list({ centreId: 'gz-tianhe', limit: 10 }))).toEqual(['o-b', 'o-a']);
    expect(ids(await orders.list({ statuses: ['draft'], limit: 10 }))).toEqual(['o-c']);
    expect(ids(await orders.list({ statuses: ['dispatched', 'reopened'], centreId: 'gz', limit: 10 }))).toEqual(['o-d']);
    // Grade 3 accept deadline in the fixture: 3 hours after dispatch.
    expect(ids(await orders.list({ dueBefore: '2026-03-10T05:45:00.000Z', limit: 10 }))).toEqual(['o-b', 'o-d']);
    expect(ids(await orders.list({ statuses: [], limit: 10 }))).toEqual([]);
  });

  it('hands out the outbox oldest first until delivered', async () => {
    const o = await caseWithOrder('call-5', 'o-5');
    await orders.apply('o-5', 1, change(o, { type: 'dispatch', centreId: 'gz-tianhe', actor: counsellor, at: T2 }), T2);
    const pending = await orders.pendingOutbox(10);
    expect(pending.map((m) => [m.orderId, m.command.type, m.createdAt, m.deliveredAt])).toEqual([['o-5', 'notify-centre', T2, null], ['o-5', 'schedule-deadline', T2, null]]);
    expect(pending[0]!.id).toBeLessThan(pending[1]!.id);
    expect(await orders.pendingOutbox(1)).toEqual([pending[0]]);
    await orders.markDelivered([pending[0]!.id], T3);
    await orders.markDelivered([pending[0]!.id], '2026-03-11T00:00:00.000Z');
    await orders.markDelivered([], T3);
    expect(await orders.pendingOutbox(10)).toEqual([pending[1]]);
  });

  it('hands out copies', async () => {
    const o = await caseWithOrder('call-6', 'o-6');
    o.state.returnedBy.push('x');
    expect((await orders.get('o-6'))?.state.returnedBy).toEqual([]);
  });

  // Only where the store can be reached behind the port's back (the database).
  if (tamper) it('keeps the history append-only', async () => {
    await caseWithOrder('call-7', 'o-7');
    await expect(tamper.update('o-7')).rejects.toThrow();
    await expect(tamper.delete('o-7')).rejects.toThrow();
    expect(await orders.events('o-7')).toHaveLength(1);
  });
}
