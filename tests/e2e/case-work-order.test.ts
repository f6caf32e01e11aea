import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AriInspector } from './support/ari-inspector.ts';
import { bridgeWith, hotlineConfigWith, sipPhone, startCaller, webPassword } from './support/peers.ts';
import { startService, type RunningService } from './support/service.ts';
import { waitFor } from './support/wait.ts';

/**
 * After the call, on the real stack (service process, PostgreSQL, Redis, Asterisk, SIPp): a caller
 * answered by counsellor 1001's SIP phone gets a case; the counsellor saves the form (二级, 广州市
 * 天河区) over the API; the grade opens an order proposed to 天河区's centre; the dispatcher
 * confirms; the centre accepts (sees the number, audited) and replies; the supervisor records the
 * follow-up and the order closes. A caller who hung up while waiting gets a case without form,
 * whose order a centre returns and the supervisor re-dispatches. Another centre gets 404, a
 * counsellor closing gets 403, a double submit makes one case and one order.
 */

const ari = new AriInspector();
// A one-word privacy notice, so that a queued caller reaches the counsellor at once.
const config = hotlineConfigWith((c) => void (c.ivr!.privacyNotice = 'digit_0'));

interface ApiError { error: { code: string; message: string } }
interface Order { id: string; caseId: string; version: number; status: string; centreId: string | null; proposedCentreId: string | null; automatic: boolean;
  deadline: { kind: string; dueAt: string } | null; returnedBy: string[] }
interface CaseView { id: string; callId: string; kind: string; status: string; summary: string | null; grade: number | null; unansweredReason: string | null; callerNumber: string | null }
interface CallCase { case: CaseView | null; gradeFloor: number; orders: Order[] }
interface Submitted { case: CaseView; order: Order | null; created: boolean }
interface Detail { order: Order; case: { callerNumber: string | null; numberRevealable: boolean; summary: string | null }; events: Array<{ type: string; actorId: string; actorRole: string; to: string; text: string | null }> }

let service: RunningService;
const peers: Array<{ stop(): Promise<unknown> }> = [];
const tokens: Record<string, string> = {};

beforeAll(async () => {
  service = await startService({ env: { HOTLINE_CONFIG: config } });
  for (const user of ['c1001', 's2001', 'gz-tianhe-01', 'gz-yuexiu-01']) tokens[user] = await service.login(user, webPassword(user));
}, 60_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') console.error(`service log (tail):\n${service.logs().split('\n').slice(-40).join('\n')}`);
  await Promise.allSettled(peers.splice(0).map((p) => p.stop()));
});

afterAll(async () => {
  await service?.stop();
  await ari.clear();
});

const api = <T>(user: string, path: string, init: { method?: string; body?: unknown } = {}) =>
  service.api<T>(path, tokens[user], { method: init.method ?? 'GET', ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) });

const act = (user: string, path: string, body: unknown) => api<{ order: Order } & ApiError>(user, path, { method: 'POST', body });

describe('the after-call loop on the real stack', () => {
  it('case → order → centre → reply → follow-up → closed, with scoping, roles and idempotency', async () => {
    const callerNumber = '13800135501';
    peers.push(await sipPhone({ sipUser: '1001', talkMs: 60_000 }));
    const caller = await startCaller({ callerNumber, keys: [{ key: '1', afterMs: 1000 }, { key: '1', afterMs: 1000 }], holdMs: 9_000, hangup: 'caller' });
    peers.push(caller);
    const callId = (await waitFor('the caller in Stasis', () => ari.channelOf(callerNumber), 10_000)).id;
    await waitFor('caller and counsellor in one bridge', async () => {
      const b = await bridgeWith(ari, callId);
      return b && b.channels.length === 2 ? b : undefined;
    }, 20_000);

    // During the call: the form is empty, the floor is 四级; a draft is kept.
    const during = await api<CallCase>('c1001', `/api/cases/by-call/${encodeURIComponent(callId)}`);
    expect(during.status).toBe(200);
    expect(during.body).toMatchObject({ case: null, gradeFloor: 4, orders: [] });
    const draft = await api<{ case: CaseView }>('c1001', `/api/cases/by-call/${encodeURIComponent(callId)}/draft`, { method: 'PUT', body: { summary: '考试前焦虑，失眠' } });
    expect(draft.status, JSON.stringify(draft.body)).toBe(200);
    expect(draft.body.case).toMatchObject({ status: 'draft', summary: '考试前焦虑，失眠', callerNumber: '138******01' });
    // Another counsellor's view of this call does not exist (c1002 is not signed in: use the centre user to show roles).
    expect((await api<ApiError>('gz-tianhe-01', `/api/cases/by-call/${encodeURIComponent(callId)}`)).status).toBe(403);

    // The caller hangs up: the case stays a draft (wrap-up), the draft's text kept.
    await waitFor('the call over', async () => ((await ari.channels()).some((c) => c.id === callId) ? undefined : true), 30_000);
    const after = await waitFor('the case after the call', async () => {
      const r = await api<CallCase>('c1001', `/api/cases/by-call/${encodeURIComponent(callId)}`);
      return r.body.case?.status === 'draft' ? r.body.case : undefined;
    }, 10_000);
    expect(after.summary).toBe('考试前焦虑，失眠');
    expect((await api<{ linkable: boolean; previousCases: number }>('c1001', `/api/cases/by-call/${encodeURIComponent(callId)}/repeat-caller`)).body)
      .toMatchObject({ linkable: true });

    // A double click: one case, one order, proposed to 天河区's centre (the grade opens it).
    const submit = { idempotencyKey: `e2e-${callId}`, form: {
      categories: ['study', 'mental-health/anxiety'], grade: 2, summary: '考试前焦虑，失眠，情绪低落', area: { city: '广州市', county: '天河区' },
      consent: { followUpCall: true, centreContact: true }, orderRequested: false,
    } };
    const path = `/api/cases/by-call/${encodeURIComponent(callId)}/submit`;
    const both = await Promise.all([api<Submitted>('c1001', path, { method: 'POST', body: submit }), api<Submitted>('c1001', path, { method: 'POST', body: submit })]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 201]);
    const [first, second] = both.map((r) => r.body) as [Submitted, Submitted];
    expect(second.case.id).toBe(first.case.id);
    expect(second.order?.id).toBe(first.order?.id);
    const order = first.order as Order;
    expect(order).toMatchObject({ status: 'draft', automatic: true, proposedCentreId: 'gz-tianhe' });
    expect((await api<{ orders: Order[] }>('c1001', `/api/cases/${first.case.id}`)).body.orders).toHaveLength(1);

    // The dispatcher confirms the proposal.
    const drafts = await api<{ orders: Order[] }>('s2001', '/api/work-orders?status=draft');
    expect(drafts.body.orders.map((o) => o.id)).toContain(order.id);
    const dispatched = await act('s2001', `/api/work-orders/${order.id}/actions`, { type: 'dispatch', centreId: 'gz-tianhe' });
    expect(dispatched.status, JSON.stringify(dispatched.body)).toBe(200);
    expect(dispatched.body.order).toMatchObject({ status: 'dispatched', centreId: 'gz-tianhe', deadline: { kind: 'accept' } });

    // The centre: its list, accept (签收), the number (audited), reply (回复). Another centre: 404.
    const inbox = await api<{ orders: Order[] }>('gz-tianhe-01', '/api/centre/orders');
    expect(inbox.body.orders.map((o) => o.id)).toContain(order.id);
    expect((await api<ApiError>('gz-yuexiu-01', `/api/centre/orders/${order.id}`)).body.error.code).toBe('order-not-found');
    const foreign = await act('gz-yuexiu-01', `/api/centre/orders/${order.id}/actions`, { type: 'accept' });
    expect([foreign.status, foreign.body.error?.code]).toEqual([404, 'order-not-found']);
    expect((await api<ApiError>('gz-tianhe-01', `/api/work-orders/${order.id}`)).status).toBe(403);
    expect((await act('gz-tianhe-01', `/api/centre/orders/${order.id}/actions`, { type: 'accept' })).body.order.status).toBe('accepted');
    const seen = await api<Detail>('gz-tianhe-01', `/api/centre/orders/${order.id}`);
    expect(seen.body.case).toMatchObject({ callerNumber: '138******01', numberRevealable: true, summary: '考试前焦虑，失眠，情绪低落' });
    const revealed = await api<{ callerNumber: string }>('gz-tianhe-01', `/api/centre/orders/${order.id}/reveal-number`, { method: 'POST', body: {} });
    expect(revealed.body.callerNumber).toBe(callerNumber);
    expect((await act('gz-tianhe-01', `/api/centre/orders/${order.id}/actions`, { type: 'reply', result: '已联系学校心理老师，每周辅导一次' })).body.order.status).toBe('replied');

    // The supervisor reviews; a counsellor may not close (403); the follow-up closes it.
    expect((await act('s2001', `/api/work-orders/${order.id}/actions`, { type: 'approve-reply' })).body.order.status).toBe('awaiting-follow-up');
    const close = await act('c1001', `/api/work-orders/${order.id}/actions`, { type: 'close', reason: '结案' });
    expect([close.status, close.body.error?.code]).toEqual([403, 'order-role-forbidden']);
    const followUp = await act('s2001', `/api/work-orders/${order.id}/actions`, { type: 'record-follow-up', outcome: 'resolved', note: '回访：睡眠好转' });
    expect(followUp.body.order.status).toBe('closed');

    const history = await api<Detail>('s2001', `/api/work-orders/${order.id}`);
    expect(history.body.events.map((e) => [e.type, e.actorId, e.to])).toEqual([
      ['create', 'system', 'draft'], ['dispatch', 's2001', 'dispatched'], ['accept', 'gz-tianhe-01', 'accepted'], ['reply', 'gz-tianhe-01', 'replied'],
      ['approve-reply', 's2001', 'awaiting-follow-up'], ['record-follow-up', 's2001', 'closed'],
    ]);
    const audit = (await api<{ entries: Array<{ actor: string; action: string; target?: string }> }>('s2001', '/api/audit?limit=200')).body.entries;
    const actions = audit.filter((a) => a.target === order.id).map((a) => `${a.actor}:${a.action}`);
    expect(actions).toEqual(expect.arrayContaining([
      'system:order-create', 's2001:order-dispatch', 'gz-tianhe-01:order-accept', 'gz-tianhe-01:centre-reveal-number', 'gz-tianhe-01:order-reply',
      's2001:order-approve-reply', 's2001:order-record-follow-up',
    ]));
    expect(audit.filter((a) => a.action === 'case-save' && a.target === first.case.id)).toHaveLength(1);
  }, 120_000);

  it('gives a caller who hung up while waiting a case without form; its order, returned by a centre, is re-dispatched', async () => {
    // Nobody is signed in to answer: the caller waits, then hangs up.
    const callerNumber = '13800135502';
    peers.push(await startCaller({ callerNumber, keys: [{ key: '1', afterMs: 1000 }, { key: '1', afterMs: 1000 }], holdMs: 4_000, hangup: 'caller' }));
    const callId = (await waitFor('the caller in Stasis', () => ari.channelOf(callerNumber), 10_000)).id;
    const unanswered = await waitFor('the case of the abandoned call', async () => {
      const r = await api<CallCase>('s2001', `/api/cases/by-call/${encodeURIComponent(callId)}`);
      return r.status === 200 && r.body.case ? r.body.case : undefined;
    }, 30_000);
    expect(unanswered).toMatchObject({ kind: 'unanswered', status: 'saved', unansweredReason: 'abandoned', grade: null });

    const created = await api<{ order: Order; created: boolean }>('s2001', `/api/cases/${unanswered.id}/orders`, { method: 'POST' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const orderId = created.body.order.id;
    expect(created.body.order).toMatchObject({ status: 'draft', automatic: false, proposedCentreId: 'gd-province' });
    // Dispatched to 天河区 instead of the proposal: a reason is needed.
    const noReason = await act('s2001', `/api/work-orders/${orderId}/actions`, { type: 'dispatch', centreId: 'gz-tianhe' });
    expect([noReason.status, noReason.body.error?.code]).toEqual([400, 'order-text-required']);
    await act('s2001', `/api/work-orders/${orderId}/actions`, { type: 'dispatch', centreId: 'gz-tianhe', reason: '来电号码归属天河' });
    // Without consent the centre sees no number at all.
    expect((await api<Detail>('gz-tianhe-01', `/api/centre/orders/${orderId}`)).body.case).toMatchObject({ callerNumber: null, numberRevealable: false });
    const returned = await act('gz-tianhe-01', `/api/centre/orders/${orderId}/actions`, { type: 'return', reason: '不属于本站服务范围' });
    expect(returned.body.order).toMatchObject({ status: 'returned', returnedBy: ['gz-tianhe'] });
    expect((await api<{ orders: Order[] }>('s2001', '/api/work-orders?status=returned')).body.orders.map((o) => o.id)).toContain(orderId);
    const again = await act('s2001', `/api/work-orders/${orderId}/actions`, { type: 'redispatch', centreId: 'gz-yuexiu', reason: '改派越秀区' });
    expect(again.body.order).toMatchObject({ status: 'dispatched', centreId: 'gz-yuexiu' });
    expect((await api<ApiError>('gz-tianhe-01', `/api/centre/orders/${orderId}`)).status).toBe(404);
    expect((await act('gz-yuexiu-01', `/api/centre/orders/${orderId}/actions`, { type: 'accept' })).body.order.status).toBe('accepted');
  }, 90_000);
});
