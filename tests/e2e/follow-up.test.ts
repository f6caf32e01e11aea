import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AriInspector } from './support/ari-inspector.ts';
import { openBrowser, signIn } from './support/browser.ts';
import { bridgeWith, hotlineConfigWith, sipPhone, startCaller, webPassword } from './support/peers.ts';
import { e2eDatabaseUrl, forgetFutureQueueEvents, startService, type RunningService } from './support/service.ts';
import { callerPhoneUas, type Peer } from './support/sipp.ts';
import { waitFor } from './support/wait.ts';

/**
 * Follow-up calls (回访) on the real stack (service process, PostgreSQL, Redis/BullMQ, Asterisk,
 * SIPp), with the service's clock injected (HOTLINE_NOW):
 * 1. A caller answered by counsellor 1001 gets a 二级 case saved with consent to a follow-up; its
 *    order goes to the centre and back to 回访 (awaiting follow-up). The service is restarted with
 *    its clock a day later: the follow-up, planned in the database and due by its BullMQ job, is
 *    made by itself: 1001's phone rings first (the case is readable while it rings and nobody else
 *    is rung), then the person's number on the carrier trunk from 12355. The counsellor records
 *    reached-safe and satisfied; the order closes (办结) by the system's follow-up event.
 * 2. A 一级 case whose person does not answer (busy): tried again by the schedule, and after the
 *    last attempt a supervisor alert (follow-up-failed) is raised and the attempt marked alerted.
 */

const ari = new AriInspector();
const T0 = '2026-12-08T02:00:00.000Z'; // 10:00 in Shanghai: outside the quiet hours
const DAY_LATER = new Date(Date.parse(T0) + 24 * 3600_000 + 10 * 60_000).toISOString();
const config = hotlineConfigWith((c) => {
  c.ivr!.privacyNotice = 'digit_0';
  c.queue!.wrapUpMs = 1000;
  c.followUps = {
    quietHours: { start: '21:30', end: '08:30' },
    grades: {
      1: { firstAfterMinutes: 0, retryAfterMinutes: [0], maxAttempts: 2 },
      2: { firstAfterMinutes: 1440, retryAfterMinutes: [60], maxAttempts: 3 },
    },
    alertGrades: [1, 2],
    sweepEveryMs: 1000,
  };
});

interface Order { id: string; status: string }
interface FollowUp { id: string; caseId: string; attempt: number; maxAttempts: number; grade: number; dueAt: string; counsellorId: string | null;
  dialResult: string | null; outcome: string | null; satisfied: boolean | null; alertedAt: string | null; orderId: string | null }
interface FollowUps { open: FollowUp[]; recent: FollowUp[] }

let service: RunningService;
let db: pg.Pool;
const tokens: Record<string, string> = {};
const peers: Array<{ stop(): Promise<unknown> }> = [];
const track = <T extends { stop(): Promise<unknown> }>(p: T): T => (peers.push(p), p);

const api = <T>(user: string, path: string, init: { method?: string; body?: unknown } = {}) =>
  service.api<T>(path, tokens[user], { method: init.method ?? 'GET', ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) });
const act = (user: string, path: string, body: unknown) => api<{ order: Order }>(user, path, { method: 'POST', body });
const followUps = async () => (await api<FollowUps>('s2001', '/api/follow-ups')).body;

beforeAll(async () => {
  db = new pg.Pool({ connectionString: e2eDatabaseUrl(), max: 2 });
  service = await startService({ env: { HOTLINE_CONFIG: config, HOTLINE_NOW: T0 } });
  // Only this file's cases may be followed up (a day later, every consenting case of earlier files would be due).
  await db.query('TRUNCATE follow_ups, work_order_deliveries, work_order_outbox, work_order_events, work_orders, cases RESTART IDENTITY');
  for (const user of ['c1001', 's2001', 'gz-tianhe-01']) tokens[user] = await service.login(user, webPassword(user));
}, 60_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') console.error(`service log (tail):\n${service.logs().split('\n').slice(-60).join('\n')}`);
});

afterAll(async () => {
  await Promise.allSettled(peers.splice(0).map((p) => p.stop()));
  await service?.stop();
  await ari.clear();
  if (db) await forgetFutureQueueEvents(db);
  await db?.end();
});

describe('follow-up calls (回访) made by the service', () => {
  let phone: Peer;

  it('a case saved with consent is followed up a day later: counsellor first, then the person; satisfied closes the order', async () => {
    const callerNumber = '13800135601';
    // 1001's phone rings 1.5 s before it answers: long enough to see that nobody else rings first.
    phone = track(await sipPhone({ sipUser: '1001', talkMs: 60_000, ringMs: 1500 }));
    const caller = track(await startCaller({ callerNumber, keys: [{ key: '1', afterMs: 1000 }, { key: '1', afterMs: 1000 }], holdMs: 6_000, hangup: 'caller' }));
    const callId = (await waitFor('the caller in Stasis', () => ari.channelOf(callerNumber), 10_000)).id;
    await waitFor('caller and counsellor in one bridge', async () => {
      const b = await bridgeWith(ari, callId);
      return b && b.channels.length === 2 ? b : undefined;
    }, 20_000);
    await caller.done;
    await waitFor('the call over', async () => ((await ari.channels()).some((c) => c.id === callId) ? undefined : true), 30_000);

    const submitted = await api<{ case: { id: string }; order: Order }>('c1001', `/api/cases/by-call/${encodeURIComponent(callId)}/submit`, { method: 'POST', body: {
      idempotencyKey: `e2e-fu-${callId}`, form: {
        categories: ['study'], grade: 2, summary: '考试焦虑，同意回访', area: { city: '广州市', county: '天河区' },
        consent: { followUpCall: true, centreContact: false }, orderRequested: false,
      },
    } });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    const caseId = submitted.body.case.id;
    const orderId = submitted.body.order.id;
    // The order's loop up to 回访: dispatched, accepted, replied, approved.
    expect((await act('s2001', `/api/work-orders/${orderId}/actions`, { type: 'dispatch', centreId: 'gz-tianhe' })).body.order.status).toBe('dispatched');
    expect((await act('gz-tianhe-01', `/api/centre/orders/${orderId}/actions`, { type: 'accept' })).body.order.status).toBe('accepted');
    expect((await act('gz-tianhe-01', `/api/centre/orders/${orderId}/actions`, { type: 'reply', result: '已联系学校心理老师' })).body.order.status).toBe('replied');
    expect((await act('s2001', `/api/work-orders/${orderId}/actions`, { type: 'approve-reply' })).body.order.status).toBe('awaiting-follow-up');

    // Planned in the database from the grade: attempt 1 of 3, due a day after the case was saved.
    const planned = await waitFor('the follow-up planned', async () => (await followUps()).open.find((f) => f.caseId === caseId), 10_000);
    expect(planned).toMatchObject({ attempt: 1, maxAttempts: 3, grade: 2, outcome: null, counsellorId: null });
    const savedAt = Date.parse(planned.dueAt) - 24 * 3600_000;
    expect(Math.abs(savedAt - Date.parse(T0))).toBeLessThan(10 * 60_000);
    const invitesBefore = phone.invites().length;

    // A day later (the clock injected at restart): the timer, rebuilt from the database, makes the call.
    const person = track(await callerPhoneUas({ mode: 'answer', talkMs: 8000, ringMs: 500 }));
    await service.stop();
    service = await startService({ env: { HOTLINE_CONFIG: config, HOTLINE_NOW: DAY_LATER, REDIS_PREFIX: service.env.REDIS_PREFIX }, timeoutMs: 60_000 });

    const ring = await waitFor('the counsellor\'s phone rung for the follow-up', async () => phone.invites()[invitesBefore], 30_000);
    expect(person.invites()).toEqual([]); // the person is not rung before the counsellor answers
    expect(ring.headers['x-hotline-follow-up']).toBe(planned.id);
    expect(ring.headers.from).toContain('12355');
    // What the console shows while it rings: the case, attempt 1 of 3.
    const detail = await api<{ followUp: FollowUp; case: { grade: number; categories: string[]; summary: string; callerNumber: string } }>('c1001', `/api/follow-ups/${planned.id}`);
    expect(detail.status, JSON.stringify(detail.body)).toBe(200);
    expect(detail.body.case).toMatchObject({ grade: 2, categories: ['study'], summary: '考试焦虑，同意回访', callerNumber: '138******01' });
    expect(detail.body.followUp).toMatchObject({ attempt: 1, maxAttempts: 3, counsellorId: 'c1001' });

    // Then the person's number through the carrier trunk, from 12355.
    const invite = await waitFor('the INVITE at the person\'s phone', async () => person.invites()[0], 20_000);
    expect(invite.firstLine).toMatch(new RegExp(`^INVITE sip:${callerNumber}@127\\.0\\.0\\.2`));
    expect(invite.headers.from).toContain('12355');
    const connected = await waitFor('the follow-up connected', async () => (await followUps()).open.find((f) => f.id === planned.id && f.dialResult === 'connected'), 20_000);
    expect(connected.counsellorId).toBe('c1001');

    // The counsellor records the outcome: reached, safe, satisfied. The order closes (办结).
    const recorded = await api<{ followUp: FollowUp }>('c1001', `/api/follow-ups/${planned.id}/outcome`, { method: 'POST', body: { outcome: 'reached-safe', satisfied: true, note: '睡眠好转' } });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(200);
    expect(recorded.body.followUp).toMatchObject({ outcome: 'reached-safe', satisfied: true, orderId });
    const again = await api<{ error: { code: string } }>('c1001', `/api/follow-ups/${planned.id}/outcome`, { method: 'POST', body: { outcome: 'declined' } });
    expect([again.status, again.body.error.code]).toEqual([409, 'follow-up-recorded']);
    const order = await api<{ order: Order; events: Array<{ type: string; actorId: string; to: string; text: string | null }> }>('s2001', `/api/work-orders/${orderId}`);
    expect(order.body.order.status).toBe('closed');
    expect(order.body.events.at(-1)).toMatchObject({ type: 'record-follow-up', actorId: 'system', to: 'closed' });
    const row = (await db.query('SELECT outcome, satisfied, order_id, counsellor_id, call_id, started_at, ended_at FROM follow_ups WHERE id = $1', [planned.id])).rows[0];
    expect(row).toMatchObject({ outcome: 'reached-safe', satisfied: true, order_id: orderId, counsellor_id: 'c1001' });
    expect(row.call_id).toMatch(/^dialback-/);
    // No second attempt after a reached person.
    expect((await followUps()).open.filter((f) => f.caseId === caseId)).toEqual([]);
  }, 240_000);

  it('a person who does not answer is tried again; after the last attempt supervisors are alerted', async () => {
    await waitFor('1001 available again', async () => {
      const { body } = await api<{ counsellor: { status: string } }>('c1001', '/api/counsellors/me');
      return body.counsellor?.status === 'available' ? true : undefined;
    }, 30_000);
    await Promise.allSettled(peers.filter((p) => p !== phone).map((p) => p.stop()));
    const busy = track(await callerPhoneUas({ mode: 'busy' }));
    const now = new Date(Date.parse(DAY_LATER)).toISOString();
    // A saved 一级 case with consent (written as the case service stores it; 一级: first call at once, 2 attempts).
    await db.query(
      `INSERT INTO cases (id, call_id, idempotency_key, kind, status, counsellor_id, categories, grade, summary, consent, caller_number, created_at, updated_at, saved_at)
       VALUES ('fu-e2e-case-2', 'fu-e2e-call-2', 'fu-e2e-2', 'counselled', 'saved', 'c1001', '{study}', 1, '自伤风险，同意回访',
               '{"followUpCall": true, "centreContact": false}', '13800135602', $1, $1, $1)`,
      [now],
    );
    const failed = await waitFor('both attempts not reached', async () => {
      const attempts = (await followUps()).recent.filter((f) => f.caseId === 'fu-e2e-case-2');
      return attempts.length === 2 ? attempts : undefined;
    }, 150_000);
    expect(failed.map((f) => [f.attempt, f.outcome, f.dialResult]).sort()).toEqual([[1, 'not-reached', 'caller-no-answer'], [2, 'not-reached', 'caller-no-answer']]);
    expect(busy.invites().length).toBe(2);
    expect(busy.invites().every((i) => i.firstLine.includes('sip:13800135602@'))).toBe(true);
    const last = failed.find((f) => f.attempt === 2);
    expect(last?.alertedAt).not.toBeNull();
    expect(failed.find((f) => f.attempt === 1)?.alertedAt).toBeNull();
    const alerts = (await api<{ alerts: Array<{ code: string; severity: string; message: string }> }>('s2001', '/api/alerts')).body.alerts;
    expect(alerts.filter((a) => a.code === 'follow-up-failed')).toEqual([
      expect.objectContaining({ severity: 'critical', message: expect.stringContaining('fu-e2e-case-2') }),
    ]);
    // Nothing more is tried.
    expect((await followUps()).open.filter((f) => f.caseId === 'fu-e2e-case-2')).toEqual([]);

    // The supervisors' dashboard shows the failed attempt with its alert mark.
    const session = await openBrowser(service.url);
    try {
      await signIn(session.page, '/supervisor.html', 's2001', webPassword('s2001'));
      const row = session.page.locator(`#follow-ups-recent tr[data-follow-up-id="${last!.id}"]`);
      await row.waitFor({ timeout: 20_000 });
      expect(await row.getAttribute('class')).toBe('alarm');
      expect(await row.locator('td').allTextContents()).toEqual(['fu-e2e-case-2', '一级', '2/2', '未接通（已告警督导）', expect.stringMatching(/^12\/09 \d\d:\d\d$/), 'c1001']);
    } finally {
      await session.close();
    }
  }, 240_000);
});
