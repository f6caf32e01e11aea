import { describe, expect, it, vi } from 'vitest';
import { callerKey } from '../../../src/domain/cases/caller-key.ts';
import type { CaseForm } from '../../../src/domain/cases/case-form.ts';
import type { Principal } from '../../../src/ports/auth.ts';
import { TEST_CALLER_KEY_SECRET, type TestHotline } from '../../fakes/hotline-harness.ts';
import { hotlinePerTest } from '../services/hotline-per-test.ts';

/**
 * The case service over the call services and memory stores (tests/fakes/hotline-harness.ts):
 * cases opened at call end, drafts, the grade floor from the call, idempotent submit with the
 * order the grade requires, repeat callers by keyed hash.
 */

let h: TestHotline;
hotlinePerTest((started) => void (h = started));

const c1: Principal = { userId: 'c1', name: '陈老师', role: 'counsellor', team: 'gz', level: 'city' };
const c2: Principal = { userId: 'c2', name: '李老师', role: 'counsellor', team: 'gz', level: 'city' };
const s1: Principal = { userId: 's1', name: '王督导', role: 'supervisor', team: 'gz', level: 'province' };

const form = (patch: Partial<CaseForm> = {}): CaseForm => ({
  categories: ['study'], grade: 3, summary: '考试前压力很大，睡不着', area: { city: '广州市', county: '天河区' },
  consent: { followUpCall: true, centreContact: true }, orderRequested: false, ...patch,
});

/** A caller (choice 0 general, 9 emergency) talking to c1. */
async function connected(callId: string, o: { choice?: string; number?: string } = {}): Promise<string> {
  await h.online('1001');
  // Back from the previous call's wrap-up.
  if ((await h.counsellors.get('c1'))?.status === 'wrap-up') await h.counsellors.apply('c1', { type: 'resume' });
  await h.callerInQueue(callId, o.choice ?? '0', { number: o.number ?? '13800138000' });
  const leg = h.offerFor(callId)?.channelId ?? '';
  h.telephony.answerLeg(leg);
  await h.settle();
  expect(h.calls.getCall(callId)?.phase).toBe('connected');
  return leg;
}

async function hangUp(channelId: string): Promise<void> {
  h.telephony.remoteHangup(channelId);
  await h.settle();
}

describe('cases opened at call end', () => {
  it('opens a pending wrap-up draft for an answered call, keeping what the counsellor typed during the call', async () => {
    await connected('call-a');
    const during = await h.afterCall.cases.saveDraft('call-a', c1, { categories: ['romance'], summary: '与男友分手' });
    expect(during).toMatchObject({ status: 'draft', counsellorId: 'c1', categories: ['romance'] });
    await hangUp('call-a');
    const stored = await h.stores.cases.getByCall('call-a');
    expect(stored).toMatchObject({ id: during.id, kind: 'counselled', status: 'draft', categories: ['romance'], summary: '与男友分手', counsellorId: 'c1' });
    expect(stored?.callerKey).toBe(callerKey('13800138000', TEST_CALLER_KEY_SECRET));
    expect(await h.counsellors.get('c1')).toMatchObject({ status: 'wrap-up' });
  });

  it('opens the case from the live call, without reading the call record back, when that tells all', async () => {
    await connected('call-a2');
    const reads = vi.spyOn(h.stores.records, 'get');
    await hangUp('call-a2');
    expect(await h.stores.cases.getByCall('call-a2')).toMatchObject({ kind: 'counselled', status: 'draft', counsellorId: 'c1' });
    expect(reads).not.toHaveBeenCalled();
  });

  it('opens a case without form for a caller who hung up while waiting', async () => {
    await h.callerInQueue('call-b', '0', { number: '13900139000' });
    await hangUp('call-b');
    expect(await h.stores.cases.getByCall('call-b')).toMatchObject({ kind: 'unanswered', status: 'saved', unansweredReason: 'abandoned', categories: [], grade: null });
  });

  it('opens no case for a caller who hung up in the menus', async () => {
    h.telephony.callerEnters('call-ivr', { number: '13700137000' });
    await h.settle();
    await hangUp('call-ivr');
    expect(await h.stores.cases.getByCall('call-ivr')).toBeNull();
  });
});

describe('saving the form', () => {
  it('refuses a grade below the floor of an escalated call, and of the emergency key', async () => {
    const leg = await connected('call-e', { choice: '9' });
    let view = await h.afterCall.cases.forCall('call-e', c1);
    expect(view).toMatchObject({ facts: { escalated: false, emergencyKey: true }, gradeFloor: 2, suggestedGrade: 2 });
    await expect(h.afterCall.cases.saveDraft('call-e', c1, { grade: 3 })).rejects.toMatchObject({ code: 'case-form-invalid', details: { errors: [{ field: 'grade', code: 'grade-below-floor', floor: 2 }] } });
    h.telephony.dtmf(leg, '*'); // the counsellor escalates to 110
    await h.settle();
    view = await h.afterCall.cases.forCall('call-e', c1);
    expect(view).toMatchObject({ facts: { escalated: true, emergencyKey: true }, gradeFloor: 1 });
    await expect(h.afterCall.cases.submit('call-e', c1, { idempotencyKey: 'k-e-000001', form: form({ grade: 2 }) }))
      .rejects.toMatchObject({ code: 'case-form-invalid' });
    const saved = await h.afterCall.cases.submit('call-e', c1, { idempotencyKey: 'k-e-000002', form: form({ grade: 1 }) });
    expect(saved).toMatchObject({ created: true, case: { grade: 1, facts: { escalated: true } }, order: { status: 'draft', automatic: true } });
  });

  it('lists every missing field of an incomplete form', async () => {
    await connected('call-f');
    await expect(h.afterCall.cases.submit('call-f', c1, { idempotencyKey: 'k-f-000001', form: { grade: 3 } })).rejects.toMatchObject({
      code: 'case-form-invalid',
      details: { errors: [{ field: 'categories', code: 'categories-required' }, { field: 'summary', code: 'summary-required' }, { field: 'consent', code: 'consent-required' }] },
    });
    expect(await h.stores.cases.getByCall('call-f')).toBeNull();
  });

  it('saves once for a double click: one case, one order, proposed to the caller\'s county centre', async () => {
    await connected('call-g');
    await hangUp('call-g');
    const input = { idempotencyKey: 'k-g-000001', form: form({ grade: 2, categories: ['study', 'mental-health/anxiety'] }) };
    const [first, second] = await Promise.all([h.afterCall.cases.submit('call-g', c1, input), h.afterCall.cases.submit('call-g', c1, input)]);
    const created = [first, second].filter((r) => r.created);
    expect(created).toHaveLength(1);
    expect(first.case.id).toBe(second.case.id);
    expect(first.order?.id).toBe(second.order?.id);
    expect(first.order).toMatchObject({ status: 'draft', grade: 2, automatic: true, proposedCentreId: 'gz-tianhe' });
    expect(await h.stores.cases.orders.listByCase(first.case.id)).toHaveLength(1);
    // Saving the form ended the wrap-up.
    expect(await h.counsellors.get('c1')).toMatchObject({ status: 'available' });
    // Another key for a saved call: a conflict, not a second case.
    await expect(h.afterCall.cases.submit('call-g', c1, { ...input, idempotencyKey: 'k-g-000002' })).rejects.toMatchObject({ code: 'case-already-saved' });
    await h.writes.flush();
    const audit = await h.stores.audit.list(20);
    expect(audit.filter((a) => a.action === 'case-save')).toHaveLength(1);
    expect(audit.filter((a) => a.action === 'order-create')).toMatchObject([{ actor: 'system', role: 'system', target: first.order?.id }]);
    expect(h.published).toContainEqual({ type: 'work-order', orderId: first.order?.id, caseId: first.case.id, change: 'create', status: 'draft', centreId: null, grade: 2 });
  });

  it('opens no order for a grade 3 case unless asked', async () => {
    await connected('call-h');
    const saved = await h.afterCall.cases.submit('call-h', c1, { idempotencyKey: 'k-h-000001', form: form({ grade: 3 }) });
    expect(saved.order).toBeNull();
    const asked = await h.afterCall.workOrders.createForCase(saved.case.id, c1);
    expect(asked).toMatchObject({ created: true, order: { status: 'draft', automatic: false, proposedCentreId: 'gz-tianhe' } });
    expect(await h.afterCall.workOrders.createForCase(saved.case.id, c1)).toMatchObject({ created: false, order: { id: asked.order.id } });
  });

  it("keeps counsellors to their own calls and cases", async () => {
    await connected('call-i');
    await expect(h.afterCall.cases.forCall('call-i', c2)).rejects.toMatchObject({ code: 'no-such-call' });
    await expect(h.afterCall.cases.saveDraft('call-i', c2, {})).rejects.toMatchObject({ code: 'no-such-call' });
    const saved = await h.afterCall.cases.submit('call-i', c1, { idempotencyKey: 'k-i-000001', form: form() });
    await expect(h.afterCall.cases.get(saved.case.id, c2)).rejects.toMatchObject({ code: 'case-not-found' });
    expect((await h.afterCall.cases.get(saved.case.id, s1)).case.callerNumber).toBe('138******00');
    await expect(h.afterCall.cases.forCall('no-such', s1)).rejects.toMatchObject({ code: 'no-such-call' });
  });
});

describe('repeat callers', () => {
  it('shows count, dates, last grade and categories and an open order, without the number', async () => {
    await connected('call-r1', { number: '+86 138 0013 8000' });
    await h.afterCall.cases.submit('call-r1', c1, { idempotencyKey: 'k-r1-00001', form: form({ grade: 2, categories: ['family'] }) });
    await hangUp('call-r1');
    await h.advance(60_000);
    await connected('call-r2', { number: '13800138000' });
    const seen = await h.afterCall.cases.repeatCaller('call-r2', c1);
    expect(seen).toMatchObject({ linkable: true, previousCases: 1, lastGrade: 2, lastCategories: ['family'], openOrder: true });
    expect(seen.dates).toHaveLength(1);
    expect(JSON.stringify(seen)).not.toContain('138');
    // Another number: not linked.
    await hangUp('call-r2');
    await connected('call-r3', { number: '13900000001' });
    expect(await h.afterCall.cases.repeatCaller('call-r3', c1)).toMatchObject({ linkable: true, previousCases: 0, openOrder: false });
  });

  it('gives supervisors the full history (audited)', async () => {
    await connected('call-s1');
    const first = await h.afterCall.cases.submit('call-s1', c1, { idempotencyKey: 'k-s1-00001', form: form() });
    await hangUp('call-s1');
    await connected('call-s2');
    await h.afterCall.cases.saveDraft('call-s2', c1, { summary: '又打来了' });
    const history = await h.afterCall.cases.callerHistory(first.case.id, s1);
    expect(history.cases.map((c) => c.callId).sort()).toEqual(['call-s1', 'call-s2']);
    await h.writes.flush();
    expect((await h.stores.audit.list(50)).filter((a) => a.action === 'caller-history')).toMatchObject([{ actor: 's1', target: first.case.id }]);
  });
});

describe("erasing a caller's data on request", () => {
  it('erases every case of the caller and their call numbers, audited with the reason, and keeps the figures', async () => {
    await connected('call-x1');
    const first = await h.afterCall.cases.submit('call-x1', c1, { idempotencyKey: 'k-x1-00001', form: form({ grade: 2 }) });
    await hangUp('call-x1');
    await connected('call-x2', { number: '13900139000' });
    await h.afterCall.cases.saveDraft('call-x2', c1, { summary: '另一位来电人' });
    expect(await h.afterCall.cases.eraseCaller(first.case.id, s1, '来电人本人申请删除')).toMatchObject({ cases: 1, calls: 1 });
    expect(await h.stores.cases.get(first.case.id)).toMatchObject({ summary: null, callerNumber: null, callerKey: null, grade: 2, categories: ['study'], area: { city: '广州市', county: null } });
    expect((await h.stores.records.get('call-x1'))?.callerNumber).toBe('');
    expect((await h.stores.records.get('call-x2'))?.callerNumber).toBe('13900139000');
    expect((await h.stores.cases.getByCall('call-x2'))?.summary).toBe('另一位来电人');
    await h.writes.flush();
    expect((await h.stores.audit.list(50)).filter((a) => a.action === 'caller-erase')).toMatchObject([{ actor: 's1', target: first.case.id, data: { cases: 1, reason: '来电人本人申请删除' } }]);
    await expect(h.afterCall.cases.eraseCaller('nope', s1, 'x')).rejects.toMatchObject({ code: 'case-not-found' });
  });
});

describe("a counsellor's drafts", () => {
  it('are listed after wrap-up ran out, never lost; other counsellors do not see them', async () => {
    await connected('call-d1');
    await h.afterCall.cases.saveDraft('call-d1', c1, { summary: '没写完' });
    await hangUp('call-d1');
    await h.advance(h.config.queue.wrapUpMs + 1000);
    expect(await h.counsellors.get('c1')).toMatchObject({ status: 'available' });
    expect((await h.afterCall.cases.list(c1, { status: 'draft', limit: 10 })).cases).toMatchObject([{ callId: 'call-d1', summary: '没写完', status: 'draft' }]);
    expect((await h.afterCall.cases.list(c2, { status: 'draft', counsellorId: 'c1', limit: 10 })).cases).toEqual([]);
    expect((await h.afterCall.cases.list(s1, { counsellorId: 'c1', limit: 10 })).cases).toHaveLength(1);
  });
});

describe('wrap-up', () => {
  it("ends when the call's form is saved, but not when a form of an earlier call is", async () => {
    await connected('call-w1');
    await hangUp('call-w1');
    await connected('call-w2');
    await hangUp('call-w2');
    expect(await h.counsellors.get('c1')).toMatchObject({ status: 'wrap-up', callId: 'call-w2' });
    await h.afterCall.cases.submit('call-w1', c1, { idempotencyKey: 'k-w1-00001', form: form() });
    expect(await h.counsellors.get('c1')).toMatchObject({ status: 'wrap-up' });
    await h.afterCall.cases.submit('call-w2', c1, { idempotencyKey: 'k-w2-00001', form: form() });
    expect(await h.counsellors.get('c1')).toMatchObject({ status: 'available' });
  });
});
