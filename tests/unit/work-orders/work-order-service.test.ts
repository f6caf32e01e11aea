import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../src/ports/auth.ts';
import type { TestHotline } from '../../fakes/hotline-harness.ts';
import { hotlinePerTest } from '../services/hotline-per-test.ts';

/**
 * The work-order service over memory stores: the loop from a saved 二级 case to 办结, returns and
 * re-dispatch, scoping of centre staff and counsellors, the caller's number for centres, the
 * deadline worker's system events, and the history, audit and live events of every change.
 */

let h: TestHotline;
hotlinePerTest((started) => void (h = started));

const c1: Principal = { userId: 'c1', name: '陈老师', role: 'counsellor', team: 'gz', level: 'city' };
const s1: Principal = { userId: 's1', name: '王督导', role: 'supervisor', team: 'gz', level: 'province' };
const centre = (centreId: string, userId: string): Principal => ({ userId, name: centreId, role: 'centre', team: centreId, level: 'county', centreId });
const tianhe = centre('gz-tianhe', 'gz-tianhe-01');
const yuexiu = centre('gz-yuexiu', 'gz-yuexiu-01');

/** A saved 二级 case of c1's call from 天河区, with the order the grade opened. */
async function orderOfCase(o: { centreContact?: boolean } = {}): Promise<{ orderId: string; caseId: string }> {
  await h.online('1001');
  await h.callerInQueue('call-1', '0', { number: '13800138000' });
  h.telephony.answerLeg(h.offerFor('call-1')?.channelId ?? '');
  await h.settle();
  const saved = await h.afterCall.cases.submit('call-1', c1, {
    idempotencyKey: 'order-test-1', form: {
      categories: ['legal/bullying'], grade: 2, summary: '在学校被同学欺负', area: { city: '广州市', county: '天河区' },
      consent: { followUpCall: true, centreContact: o.centreContact ?? true }, orderRequested: true,
    },
  });
  if (!saved.order) throw new Error('no order');
  return { orderId: saved.order.id, caseId: saved.case.id };
}

describe('the loop of a work order', () => {
  it('goes from the proposed centre to closed, each step in the history, the audit log and the live events', async () => {
    const { orderId } = await orderOfCase();
    const wo = h.afterCall.workOrders;
    const detail = await wo.detail(orderId, s1);
    expect(detail.candidates[0]).toEqual({ centreId: 'gz-tianhe', distance: 0, covered: 1 });
    expect(detail.case).toMatchObject({ callerNumber: '138******00', numberRevealable: false });
    expect(await wo.act(orderId, s1, { type: 'dispatch', centreId: 'gz-tianhe' })).toMatchObject({ status: 'dispatched', centreId: 'gz-tianhe', centreName: '天河区12355青少年服务站', deadline: { kind: 'accept' } });
    expect(await wo.list(tianhe, { limit: 10 })).toMatchObject([{ id: orderId }]);
    await wo.act(orderId, tianhe, { type: 'accept' });
    await wo.act(orderId, tianhe, { type: 'progress', note: '已联系学校老师' });
    expect(await wo.act(orderId, tianhe, { type: 'reply', result: '学校已介入，安排心理老师跟进' })).toMatchObject({ status: 'replied', deadline: null });
    await wo.act(orderId, s1, { type: 'approve-reply' });
    expect(await wo.act(orderId, s1, { type: 'record-follow-up', outcome: 'resolved', note: '回访：情况好转' })).toMatchObject({ status: 'closed' });

    const events = await h.stores.cases.orders.events(orderId);
    expect(events.map((e) => [e.type, e.actorId, e.to])).toEqual([
      ['create', 'system', 'draft'], ['dispatch', 's1', 'dispatched'], ['accept', 'gz-tianhe-01', 'accepted'], ['progress', 'gz-tianhe-01', 'in-progress'],
      ['reply', 'gz-tianhe-01', 'replied'], ['approve-reply', 's1', 'awaiting-follow-up'], ['record-follow-up', 's1', 'closed'],
    ]);
    await h.writes.flush();
    const audit = (await h.stores.audit.list(50)).filter((a) => a.target === orderId).map((a) => a.action).reverse();
    expect(audit).toEqual(['order-create', 'order-dispatch', 'order-accept', 'order-progress', 'order-reply', 'order-approve-reply', 'order-record-follow-up']);
    // The audit copy carries no free text (it is never erased; the order's history is).
    expect(JSON.stringify(await h.stores.audit.list(50))).not.toContain('学校');
    const live = h.published.filter((e) => e.type === 'work-order' && e.orderId === orderId).map((e) => (e.type === 'work-order' ? e.change : ''));
    expect(live).toEqual(['create', 'dispatch', 'accept', 'progress', 'reply', 'approve-reply', 'record-follow-up']);
  });

  it('reopens an order whose young person was not helped', async () => {
    const { orderId } = await orderOfCase();
    const wo = h.afterCall.workOrders;
    await wo.act(orderId, s1, { type: 'dispatch', centreId: 'gz-tianhe' });
    await wo.act(orderId, tianhe, { type: 'accept' });
    await wo.act(orderId, tianhe, { type: 'reply', result: '已处理' });
    await wo.act(orderId, s1, { type: 'approve-reply' });
    expect(await wo.act(orderId, s1, { type: 'record-follow-up', outcome: 'not-resolved', note: '仍被欺负' })).toMatchObject({ status: 'reopened', centreId: 'gz-tianhe', reopenCount: 1 });
  });

  it('sends a returned order back for re-dispatch to another centre, which the first no longer sees', async () => {
    const { orderId } = await orderOfCase();
    const wo = h.afterCall.workOrders;
    await wo.act(orderId, s1, { type: 'dispatch', centreId: 'gz-tianhe' });
    await expect(wo.act(orderId, tianhe, { type: 'return', reason: '  ' })).rejects.toMatchObject({ code: 'order-text-required' });
    expect(await wo.act(orderId, tianhe, { type: 'return', reason: '不属于本站服务范围' })).toMatchObject({ status: 'returned', returnedBy: ['gz-tianhe'] });
    expect(h.published).toContainEqual(expect.objectContaining({ type: 'work-order', orderId, change: 'return', status: 'returned' }));
    expect(await wo.act(orderId, s1, { type: 'redispatch', centreId: 'gz-yuexiu', reason: '转越秀区' })).toMatchObject({ status: 'dispatched', centreId: 'gz-yuexiu' });
    await expect(wo.detail(orderId, tianhe)).rejects.toMatchObject({ code: 'order-not-found' });
    expect(await wo.act(orderId, yuexiu, { type: 'accept' })).toMatchObject({ status: 'accepted' });
  });
});

describe('who may do what', () => {
  it("answers another centre's order with 404 and a counsellor's close with 403", async () => {
    const { orderId } = await orderOfCase();
    const wo = h.afterCall.workOrders;
    // A draft is not sent to anyone: no centre sees it.
    await expect(wo.detail(orderId, tianhe)).rejects.toMatchObject({ code: 'order-not-found' });
    await wo.act(orderId, c1, { type: 'dispatch', centreId: 'gz-tianhe' });
    await expect(wo.detail(orderId, yuexiu)).rejects.toMatchObject({ code: 'order-not-found', httpStatus: 404 });
    await expect(wo.act(orderId, yuexiu, { type: 'accept' })).rejects.toMatchObject({ code: 'order-not-found' });
    expect(await wo.list(yuexiu, { limit: 10 })).toEqual([]);
    await wo.act(orderId, tianhe, { type: 'accept' });
    await wo.act(orderId, tianhe, { type: 'reply', result: '已处理' });
    await wo.act(orderId, s1, { type: 'approve-reply' });
    await expect(wo.act(orderId, c1, { type: 'close', reason: '结案' })).rejects.toMatchObject({ code: 'order-role-forbidden', httpStatus: 403 });
    // Another counsellor does not even see it.
    await expect(wo.detail(orderId, { ...c1, userId: 'c2' })).rejects.toMatchObject({ code: 'order-not-found' });
  });

  it('refuses an action on a version the person did not see', async () => {
    const { orderId } = await orderOfCase();
    const wo = h.afterCall.workOrders;
    const seen = await wo.detail(orderId, s1);
    await wo.act(orderId, s1, { type: 'dispatch', centreId: 'gz-tianhe', version: seen.order.version });
    await expect(wo.act(orderId, s1, { type: 'discard', reason: '重复', version: seen.order.version })).rejects.toMatchObject({ code: 'order-changed' });
  });
});

describe("the caller's number at the centre", () => {
  it('is revealed, audited, only to the centre working the order when the caller consented', async () => {
    const { orderId } = await orderOfCase();
    const wo = h.afterCall.workOrders;
    await wo.act(orderId, s1, { type: 'dispatch', centreId: 'gz-tianhe' });
    await expect(wo.revealNumber(orderId, tianhe)).rejects.toMatchObject({ code: 'forbidden' }); // not accepted yet
    await wo.act(orderId, tianhe, { type: 'accept' });
    expect((await wo.detail(orderId, tianhe)).case).toMatchObject({ callerNumber: '138******00', numberRevealable: true });
    expect(await wo.revealNumber(orderId, tianhe)).toBe('13800138000');
    await h.writes.flush();
    expect((await h.stores.audit.list(50)).filter((a) => a.action === 'centre-reveal-number')).toMatchObject([{ actor: 'gz-tianhe-01', role: 'centre', target: orderId }]);
  });

  it('stays hidden, even masked, without the consent', async () => {
    const { orderId } = await orderOfCase({ centreContact: false });
    const wo = h.afterCall.workOrders;
    await wo.act(orderId, s1, { type: 'dispatch', centreId: 'gz-tianhe' });
    await wo.act(orderId, tianhe, { type: 'accept' });
    expect((await wo.detail(orderId, tianhe)).case).toMatchObject({ callerNumber: null, numberRevealable: false });
    await expect(wo.revealNumber(orderId, tianhe)).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('system events from the deadline worker', () => {
  it('marks a missed deadline (督办) once, publishes it, and ignores a stale timer', async () => {
    const { orderId } = await orderOfCase();
    const wo = h.afterCall.workOrders;
    const dispatched = await wo.act(orderId, s1, { type: 'dispatch', centreId: 'gz-tianhe' });
    const dueAt = dispatched.deadline?.dueAt ?? '';
    const missed = await wo.applySystemEvent(orderId, { type: 'deadline-missed', kind: 'accept', dueAt });
    expect(missed).toMatchObject({ changed: true, order: { overdue: { accept: 1 }, deadline: { supervision: 1 } } });
    expect(h.published).toContainEqual(expect.objectContaining({ type: 'work-order', orderId, change: 'deadline-missed' }));
    expect(await wo.applySystemEvent(orderId, { type: 'deadline-missed', kind: 'accept', dueAt })).toMatchObject({ changed: false });
    expect(await wo.applySystemEvent(orderId, { type: 'deadline-missed', kind: 'accept', dueAt: '2020-01-01T00:00:00.000Z' })).toMatchObject({ changed: false });
    await expect(wo.applySystemEvent('nope', { type: 'deadline-reminder', kind: 'accept', dueAt })).rejects.toMatchObject({ code: 'order-not-found' });
    const outbox = await h.stores.cases.orders.pendingOutbox(50);
    expect(outbox.map((m) => m.command.type)).toContain('raise-supervision-alert');
  });
});
