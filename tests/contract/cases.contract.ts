import { beforeEach, expect, it } from 'vitest';
import type { CaseStore } from '../../src/ports/cases.ts';
import type { WorkOrderStore } from '../../src/ports/work-orders.ts';
import { counselled, form, newOrder } from './case-order-fixtures.ts';

export interface CaseStores {
  cases: CaseStore;
  orders: WorkOrderStore;
}

const T0 = '2026-03-10T10:00:00+08:00';
const T1 = '2026-03-10T02:05:00.000Z';
const T2 = '2026-03-10T02:10:00.000Z';

/** The CaseStore contract: drafts, idempotent submissions with their order in one transaction, repeat callers, counts, erasure. */
export function caseStoreContract(make: () => Promise<CaseStores>): void {
  let cases: CaseStore;
  let orders: WorkOrderStore;
  beforeEach(async () => {
    ({ cases, orders } = await make());
  });

  it("lists cases newest first, by counsellor and status (a counsellor's unsaved drafts)", async () => {
    const facts = { escalated: false, emergencyKey: false };
    await cases.saveDraft({ id: 'd-1', callId: 'call-d1', counsellorId: 'c1', draft: {}, facts, callerKey: null, callerNumber: null, at: T0 });
    await cases.saveDraft({ id: 'd-2', callId: 'call-d2', counsellorId: 'c2', draft: {}, facts, callerKey: null, callerNumber: null, at: T1 });
    await cases.saveDraft({ id: 'd-3', callId: 'call-d3', counsellorId: 'c1', draft: {}, facts, callerKey: null, callerNumber: null, at: T2 });
    await cases.submit(counselled('call-d3', T2));
    expect((await cases.list({ limit: 10 })).map((c) => c.id)).toEqual(['d-3', 'd-2', 'd-1']);
    expect((await cases.list({ counsellorId: 'c1', status: 'draft', limit: 10 })).map((c) => c.id)).toEqual(['d-1']);
    expect((await cases.list({ status: 'saved', limit: 10 })).map((c) => c.id)).toEqual(['d-3']);
    expect((await cases.list({ limit: 1 })).map((c) => c.id)).toEqual(['d-3']);
  });

  it('keeps a draft, updates it, and saves it as the same case', async () => {
    const facts = { escalated: false, emergencyKey: false };
    const first = await cases.saveDraft({ id: 'case-1', callId: 'call-1', counsellorId: 'c1', draft: { summary: '正在记录' }, facts, callerKey: 'k1', callerNumber: '13800138000', at: T0 });
    expect(first).toEqual({
      id: 'case-1', callId: 'call-1', kind: 'counselled', status: 'draft', counsellorId: 'c1', unansweredReason: null, categories: [], grade: null,
      summary: '正在记录', area: null, consent: null, orderRequested: false, facts, callerKey: 'k1', callerNumber: '13800138000',
      createdAt: '2026-03-10T02:00:00.000Z', updatedAt: '2026-03-10T02:00:00.000Z', savedAt: null, erasedAt: null,
    });
    const second = await cases.saveDraft({ id: 'other-id', callId: 'call-1', counsellorId: 'c1', draft: { categories: ['romance'], grade: 3, area: { city: '深圳市', county: null } }, facts, callerKey: 'k1', callerNumber: '13800138000', at: T1 });
    expect(second).toMatchObject({ id: 'case-1', categories: ['romance'], grade: 3, summary: null, area: { city: '深圳市', county: null }, createdAt: '2026-03-10T02:00:00.000Z', updatedAt: T1 });
    const saved = await cases.submit(counselled('call-1', T2, { id: 'ignored' }));
    expect(saved).toMatchObject({ created: true, order: null, case: { id: 'case-1', status: 'saved', savedAt: T2, createdAt: '2026-03-10T02:00:00.000Z', categories: form().categories } });
    expect(await cases.getByCall('call-1')).toEqual(saved.case);
    expect(await cases.get('case-1')).toEqual(saved.case);
    await expect(cases.saveDraft({ id: 'x', callId: 'call-1', counsellorId: 'c1', draft: {}, facts, callerKey: null, callerNumber: null, at: T2 }))
      .rejects.toMatchObject({ code: 'case-already-saved' });
    expect(await cases.get('nope')).toBeNull();
    expect(await cases.getByCall('nope')).toBeNull();
  });

  it('writes the case, its order, the order\'s first event and its outbox together', async () => {
    const r = await cases.submit(counselled('call-2', T1, { order: newOrder('order-2', T1) }));
    expect(r.created).toBe(true);
    expect(r.case).toMatchObject({ id: 'case-call-2', status: 'saved', kind: 'counselled', grade: 2, summary: '在校遭受言语攻击，情绪低落', area: { city: '广州市', county: '天河区' } });
    expect(r.order).toMatchObject({ id: 'order-2', caseId: 'case-call-2', version: 1, state: { status: 'draft', automatic: true }, createdAt: T1 });
    expect(await orders.get('order-2')).toEqual(r.order);
    expect(await orders.listByCase('case-call-2')).toEqual([r.order]);
    expect(await orders.events('order-2')).toEqual([{ orderId: 'order-2', seq: 1, type: 'create', actorId: 'system', actorRole: 'system', at: T1, from: null, to: 'draft', text: null, data: { grade: 2, proposedCentreId: 'gz-tianhe', automatic: true } }]);
    expect((await orders.pendingOutbox(10)).map((m) => [m.orderId, m.command])).toEqual([['order-2', { type: 'notify-supervisors', reason: 'confirm-dispatch' }]]);
  });

  it('stores one case and one order however often the same submission arrives', async () => {
    const submission = counselled('call-3', T1, { order: newOrder('order-3', T1) });
    const first = await cases.submit(submission);
    const again = await cases.submit({ ...submission, id: 'case-other', order: newOrder('order-other', T2) });
    expect(again).toEqual({ ...first, created: false });
    expect(await orders.get('order-other')).toBeNull();
    expect(await orders.events('order-3')).toHaveLength(1);
    expect(await orders.pendingOutbox(10)).toHaveLength(1);
  });

  it('stores one case and one order when the same submission arrives twice at once', async () => {
    const submission = counselled('call-race', T1, { order: newOrder('order-race', T1) });
    const results = await Promise.all([cases.submit(submission), cases.submit(submission), cases.submit(submission)]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.case.id))).toEqual(new Set(['case-call-race']));
    expect(results.map((r) => r.order?.id)).toEqual(['order-race', 'order-race', 'order-race']);
    expect(await orders.events('order-race')).toHaveLength(1);
    expect(await orders.pendingOutbox(10)).toHaveLength(1);
  });

  it('refuses a second save of a call under another key, writing nothing', async () => {
    await cases.submit(counselled('call-4', T1));
    await expect(cases.submit(counselled('call-4', T2, { idempotencyKey: 'another', order: newOrder('order-4', T2) }))).rejects.toMatchObject({ code: 'case-already-saved' });
    expect(await orders.get('order-4')).toBeNull();
    expect((await cases.getByCall('call-4'))?.savedAt).toBe(T1);
  });

  it('is all or nothing: when the order cannot be written, the case is not saved', async () => {
    await cases.submit(counselled('call-5', T1, { order: newOrder('order-5', T1) }));
    await cases.saveDraft({ id: 'case-6', callId: 'call-6', counsellorId: 'c1', draft: { summary: '草稿' }, facts: { escalated: false, emergencyKey: false }, callerKey: null, callerNumber: null, at: T1 });
    await expect(cases.submit(counselled('call-6', T2, { order: newOrder('order-5', T2) }))).rejects.toMatchObject({ code: 'order-exists' });
    expect(await cases.getByCall('call-6')).toMatchObject({ status: 'draft', summary: '草稿', savedAt: null });
    expect(await orders.listByCase('case-6')).toEqual([]);
    expect(await orders.pendingOutbox(10)).toHaveLength(1);
    // The key was not used up by the failed attempt.
    expect((await cases.submit(counselled('call-6', T2))).created).toBe(true);
  });

  it('keeps a case without a form for a call nobody answered', async () => {
    const r = await cases.submit({
      idempotencyKey: 'unanswered:call-7', id: 'case-7', callId: 'call-7', kind: 'unanswered', reason: 'abandoned',
      facts: { escalated: false, emergencyKey: false }, callerKey: 'k7', callerNumber: '13900139000', at: T1, order: null,
    });
    expect(r.case).toEqual({
      id: 'case-7', callId: 'call-7', kind: 'unanswered', status: 'saved', counsellorId: null, unansweredReason: 'abandoned', categories: [], grade: null,
      summary: null, area: null, consent: null, orderRequested: false, facts: { escalated: false, emergencyKey: false }, callerKey: 'k7',
      callerNumber: '13900139000', createdAt: T1, updatedAt: T1, savedAt: T1, erasedAt: null,
    });
  });

  it('lists a caller\'s earlier cases newest first', async () => {
    await cases.submit(counselled('a', '2026-03-01T02:00:00.000Z', { callerKey: 'same' }));
    await cases.submit(counselled('b', '2026-03-02T02:00:00.000Z', { callerKey: 'other' }));
    await cases.submit(counselled('c', '2026-03-03T02:00:00.000Z', { callerKey: 'same' }));
    await cases.submit(counselled('d', '2026-03-04T02:00:00.000Z', { callerKey: 'same' }));
    expect((await cases.listByCaller('same', 10)).map((c) => c.callId)).toEqual(['d', 'c', 'a']);
    expect((await cases.listByCaller('same', 2)).map((c) => c.callId)).toEqual(['d', 'c']);
    expect(await cases.listByCaller('nobody', 10)).toEqual([]);
  });

  it('counts saved cases in a period by category, grade and city', async () => {
    await cases.submit(counselled('a', '2026-03-01T02:00:00.000Z', { form: form({ categories: ['romance'], grade: 3 }) }));
    await cases.submit(counselled('b', '2026-03-02T02:00:00.000Z', { form: form({ categories: ['romance', 'family'], grade: 3 }) }));
    await cases.submit(counselled('c', '2026-03-02T03:00:00.000Z', { form: form({ categories: ['romance'], grade: 1, area: null }) }));
    await cases.submit(counselled('late', '2026-03-05T00:00:00.000Z', { form: form({ categories: ['romance'] }) }));
    await cases.saveDraft({ id: 'draft', callId: 'draft', counsellorId: 'c1', draft: { categories: ['romance'], grade: 3 }, facts: { escalated: false, emergencyKey: false }, callerKey: null, callerNumber: null, at: '2026-03-02T02:00:00.000Z' });
    expect(await cases.countBy({ from: '2026-03-01T00:00:00.000Z', to: '2026-03-05T00:00:00.000Z' })).toEqual([
      { category: 'family', grade: 3, city: '广州市', cases: 1 },
      { category: 'romance', grade: 1, city: null, cases: 1 },
      { category: 'romance', grade: 3, city: '广州市', cases: 2 },
    ]);
  });

  it('erases personal data after the retention period, keeping categories, grade and city', async () => {
    const old = await cases.submit(counselled('old', '2025-01-01T00:00:00.000Z', { order: newOrder('order-old', '2025-01-01T00:00:00.000Z') }));
    await cases.submit(counselled('new', '2026-03-01T00:00:00.000Z'));
    expect(await cases.eraseExpired('2026-01-01T00:00:00.000Z', T1)).toBe(1);
    expect(await cases.get(old.case.id)).toMatchObject({
      summary: null, callerNumber: null, callerKey: null, area: { city: '广州市', county: null }, erasedAt: T1,
      categories: form().categories, grade: 2,
    });
    expect(await cases.getByCall('new')).toMatchObject({ summary: form().summary, callerNumber: '13800138000', erasedAt: null });
    expect((await orders.events('order-old')).map((e) => e.text)).toEqual([null]);
    expect(await cases.eraseExpired('2026-01-01T00:00:00.000Z', T2)).toBe(0);
  });

  it('hands out copies', async () => {
    const r = await cases.submit(counselled('copy', T1));
    r.case.categories.push('other');
    expect((await cases.get(r.case.id))?.categories).toEqual(form().categories);
  });
}
