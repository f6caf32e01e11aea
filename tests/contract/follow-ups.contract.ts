import { beforeEach, expect, it } from 'vitest';
import type { CaseStore } from '../../src/ports/cases.ts';
import type { FollowUpStore, NewFollowUp } from '../../src/ports/follow-ups.ts';
import type { WorkOrderStore } from '../../src/ports/work-orders.ts';
import type { OrderActor, OrderEvent } from '../../src/domain/work-orders/order-types.ts';
import { change, counselled, form, newOrder } from './case-order-fixtures.ts';

export interface FollowUpStores {
  followUps: FollowUpStore;
  cases: CaseStore;
  orders: WorkOrderStore;
}

const T0 = '2026-06-01T02:00:00.000Z';
const T1 = '2026-06-03T02:00:00.000Z';
const T2 = '2026-06-05T02:00:00.000Z';
const LATER = '2026-06-01T03:00:00.000Z';
const s1: OrderActor = { id: 's1', role: 'supervisor' };
const centre: OrderActor = { id: 'gz-tianhe-01', role: 'centre', centreId: 'gz-tianhe' };

/** The FollowUpStore contract: planning candidates, one open attempt per case, taking guards, outcomes once. */
export function followUpStoreContract(make: () => Promise<FollowUpStores>): void {
  let s: FollowUpStores;
  beforeEach(async () => {
    s = await make();
  });

  const attempt = (caseId: string, n: number, dueAt = T0, patch: Partial<NewFollowUp> = {}): NewFollowUp =>
    ({ id: `${caseId}-${n}`, caseId, attempt: n, maxAttempts: 3, grade: 2, dueAt, createdAt: T0, ...patch });

  it('offers saved cases that consented (or escalated 一级) and have no attempt yet', async () => {
    await s.cases.submit(counselled('call-a', T0));
    await s.cases.submit(counselled('call-b', T0, { form: form({ consent: { followUpCall: false, centreContact: true } }) }));
    await s.cases.submit(counselled('call-c', T0, { form: form({ grade: 1, consent: { followUpCall: false, centreContact: false } }), facts: { escalated: true, emergencyKey: false } }));
    const found = await s.followUps.unplannedCases(10);
    expect(found.map((c) => [c.caseId, c.grade, c.consented, c.escalated]).sort()).toEqual([['case-call-a', 2, true, false], ['case-call-c', 1, false, true]]);
    expect(found.find((c) => c.caseId === 'case-call-a')?.savedAt).toBe(T0);
    expect(await s.followUps.add(attempt('case-call-a', 1))).toBe(true);
    expect((await s.followUps.unplannedCases(10)).map((c) => c.caseId)).toEqual(['case-call-c']);
  });

  it('keeps one open attempt per case, and each attempt once', async () => {
    await s.cases.submit(counselled('call-a', T0));
    expect(await s.followUps.add(attempt('case-call-a', 1))).toBe(true);
    expect(await s.followUps.add(attempt('case-call-a', 1))).toBe(false);
    expect(await s.followUps.add(attempt('case-call-a', 2))).toBe(false); // the first is still open
    await s.followUps.finish('case-call-a-1', { outcome: 'not-reached', satisfied: null, orderId: null, recordedBy: 'system', at: T0 });
    expect(await s.followUps.add(attempt('case-call-a', 2, T1))).toBe(true);
    expect((await s.followUps.open(10)).map((f) => f.id)).toEqual(['case-call-a-2']);
    expect((await s.followUps.attemptsOf('case-call-a')).map((f) => [f.attempt, f.outcome])).toEqual([[1, 'not-reached'], [2, null]]);
  });

  it('takes a due attempt once while it is dialled; given back it can be taken again; connected, not', async () => {
    await s.cases.submit(counselled('call-a', T0));
    await s.followUps.add(attempt('case-call-a', 1, LATER));
    expect(await s.followUps.take('case-call-a-1', 'c1', T0, T1)).toBeNull(); // not due yet
    expect(await s.followUps.take('case-call-a-1', 'c1', LATER, T1)).toMatchObject({ counsellorId: 'c1', startedAt: LATER, leaseUntil: T1 });
    expect(await s.followUps.take('case-call-a-1', 'c2', LATER, T1)).toBeNull(); // held
    await s.followUps.dialled('case-call-a-1', 'counsellor-no-answer', null, LATER);
    expect(await s.followUps.take('case-call-a-1', 'c2', LATER, T1)).toMatchObject({ counsellorId: 'c2' });
    await s.followUps.dialled('case-call-a-1', 'connected', 'dialback-x', LATER);
    expect(await s.followUps.get('case-call-a-1')).toMatchObject({ dialResult: 'connected', callId: 'dialback-x', leaseUntil: null, endedAt: LATER });
    expect(await s.followUps.take('case-call-a-1', 'c1', T2, T2)).toBeNull();
    // The lease lapses by itself (a service that died mid-dial).
    await s.cases.submit(counselled('call-b', T0));
    await s.followUps.add(attempt('case-call-b', 1));
    await s.followUps.take('case-call-b-1', 'c1', T0, LATER);
    expect(await s.followUps.take('case-call-b-1', 'c2', T1, T2)).toMatchObject({ counsellorId: 'c2' });
  });

  it('never takes an attempt after a decline, nor once the case\'s data is erased; records an outcome once', async () => {
    await s.cases.submit(counselled('call-a', T0));
    await s.followUps.add(attempt('case-call-a', 1));
    expect(await s.followUps.finish('case-call-a-1', { outcome: 'declined', satisfied: null, orderId: null, recordedBy: 'c1', at: T0 })).toMatchObject({ outcome: 'declined', recordedBy: 'c1' });
    expect(await s.followUps.finish('case-call-a-1', { outcome: 'reached-safe', satisfied: true, orderId: null, recordedBy: 'c1', at: T0 })).toBeNull();
    await s.followUps.add(attempt('case-call-a', 2));
    expect(await s.followUps.take('case-call-a-2', 'c1', T1, T2)).toBeNull();

    await s.cases.submit(counselled('call-b', T0));
    await s.followUps.add(attempt('case-call-b', 1));
    await s.cases.eraseExpired(T1, T1);
    expect(await s.followUps.take('case-call-b-1', 'c1', T1, T2)).toBeNull();
    expect(await s.followUps.unplannedCases(10)).toEqual([]);
  });

  it('offers an order that began waiting for its follow-up after the case\'s attempts ended, once', async () => {
    const saved = await s.cases.submit(counselled('call-a', T0, { order: newOrder('order-a', T0) }));
    await s.followUps.add(attempt('case-call-a', 1));
    await s.followUps.finish('case-call-a-1', { outcome: 'reached-safe', satisfied: null, orderId: 'order-a', recordedBy: 'c1', at: T0 });
    let order = saved.order!;
    const step = async (e: OrderEvent) => {
      order = await s.orders.apply(order.id, order.version, change(order, e), e.at);
    };
    await step({ type: 'dispatch', centreId: 'gz-tianhe', actor: s1, at: T0 });
    await step({ type: 'accept', actor: centre, at: T0 });
    await step({ type: 'reply', result: '已处理', actor: centre, at: T0 });
    expect(await s.followUps.unplannedOrders(10)).toEqual([]); // not waiting yet
    await step({ type: 'approve-reply', actor: s1, at: T1 });
    expect(await s.followUps.unplannedOrders(10)).toEqual([expect.objectContaining({
      orderId: 'order-a', caseId: 'case-call-a', grade: 2, consented: true, awaitingSince: T1, lastAttempt: 1,
    })]);
    expect(await s.followUps.add(attempt('case-call-a', 2, T2, { orderId: 'order-a', maxAttempts: 4, createdAt: T1 }))).toBe(true);
    expect(await s.followUps.get('case-call-a-2')).toMatchObject({ orderId: 'order-a', maxAttempts: 4 });
    expect(await s.followUps.unplannedOrders(10)).toEqual([]);
    // Ended since it began waiting: still nothing new.
    await s.followUps.finish('case-call-a-2', { outcome: 'not-reached', satisfied: null, orderId: 'order-a', recordedBy: 'system', at: T2 });
    expect(await s.followUps.unplannedOrders(10)).toEqual([]);
  });
}
