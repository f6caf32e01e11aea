import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../src/ports/auth.ts';
import { dialBackLegs } from '../../../src/services/callbacks/dial-back-service.ts';
import type { TestHotline } from '../../fakes/hotline-harness.ts';
import { hotlinePerTest } from './hotline-per-test.ts';

/**
 * Follow-up calls (回访) over memory stores and the fake PBX, with the repository's followUps
 * settings (二级: first call 48 h after saving, then 4 h and 24 h later, 3 attempts): planned from
 * the saved case, made through the dial-back path with the case's counsellor first, outcomes
 * applied to the work order as the system, a supervisor alert after the last failed attempt.
 */

let h: TestHotline;
hotlinePerTest((started) => void (h = started));

const NUMBER = '13800138000';
const c1: Principal = { userId: 'c1', name: '陈老师', role: 'counsellor', team: 'gz', level: 'city' };
const s1: Principal = { userId: 's1', name: '王督导', role: 'supervisor', team: 'gz', level: 'province' };
const tianhe: Principal = { userId: 'gz-tianhe-01', name: 'gz-tianhe', role: 'centre', team: 'gz-tianhe', level: 'county', centreId: 'gz-tianhe' };
const HOUR = 3600_000;

/** c1 takes call-1 and saves a 二级 case with consent; its order goes round to 回访. */
async function savedCase(o: { consent?: boolean; toFollowUp?: boolean } = {}): Promise<{ caseId: string; orderId: string }> {
  await h.online('1001');
  await h.callerInQueue('call-1', '0', { number: NUMBER });
  h.telephony.answerLeg(h.offerFor('call-1')?.channelId ?? '');
  await h.settle();
  h.telephony.remoteHangup('call-1');
  await h.settle();
  const saved = await h.afterCall.cases.submit('call-1', c1, {
    idempotencyKey: 'fu-test-1', form: {
      categories: ['legal/bullying'], grade: 2, summary: '在学校被同学欺负', area: { city: '广州市', county: '天河区' },
      consent: { followUpCall: o.consent ?? true, centreContact: false }, orderRequested: true,
    },
  });
  if (!saved.order) throw new Error('no order');
  const wo = h.afterCall.workOrders;
  if (o.toFollowUp ?? true) {
    await wo.act(saved.order.id, s1, { type: 'dispatch', centreId: 'gz-tianhe' });
    await wo.act(saved.order.id, tianhe, { type: 'accept' });
    await wo.act(saved.order.id, tianhe, { type: 'reply', result: '学校已介入' });
    await wo.act(saved.order.id, s1, { type: 'approve-reply' });
  }
  return { caseId: saved.case.id, orderId: saved.order.id };
}

/** Makes the attempt due (clock) and lets the dialler try it; the counsellor's ring, if any. */
async function due(id: string) {
  const f = await h.followUpStore.get(id);
  if (!f) throw new Error(`no follow-up ${id}`);
  h.clock.set(new Date(Date.parse(f.dueAt) + 1000));
  const before = h.telephony.dialled().length;
  await h.followUpDialler.dialIfDue(id);
  await h.settle();
  return h.telephony.dialled().slice(before)[0];
}

const legsOf = (ring: { channelId: string } | undefined) => dialBackLegs((ring?.channelId ?? '').replace('dialback-agent-', ''));
const alerts = () => h.published.filter((e) => e.type === 'alert' && e.code === 'follow-up-failed');

describe('follow-up calls (回访)', () => {
  it('plans the first call from the grade, only for consent', async () => {
    const { caseId } = await savedCase();
    const savedAt = h.clock.now().getTime();
    expect(await h.followUps.planNew()).toBe(1);
    expect(await h.followUps.planNew()).toBe(0); // once
    const [f] = await h.followUpStore.open(10);
    expect(f).toMatchObject({ id: `${caseId}-1`, attempt: 1, maxAttempts: 3, grade: 2 });
    // 48 h later; a due time in the quiet hours would move to 08:30 (the test clock decides which).
    expect(Date.parse(f?.dueAt ?? '')).toBeGreaterThanOrEqual(savedAt + 48 * HOUR);
    expect(Date.parse(f?.dueAt ?? '')).toBeLessThan(savedAt + 48 * HOUR + 12 * HOUR);
  });

  it('no follow-up without consent', async () => {
    await savedCase({ consent: false });
    expect(await h.followUps.planNew()).toBe(0);
  });

  it('rings the case\'s counsellor first with the case, then the person from 12355; satisfied closes the order as the system', async () => {
    const { caseId, orderId } = await savedCase();
    await h.followUps.planNew();
    await h.counsellors.apply('c1', { type: 'resume' }, true).catch(() => undefined);
    const id = `${caseId}-1`;
    expect(await due(id)).toMatchObject({ kind: 'phone', phone: '1001', callerId: { name: '回访 二级 第1/3次', number: '12355' }, call: { followUpId: id, callbackOf: 'call-1' } });
    expect(h.published).toContainEqual({ type: 'follow-up', followUpId: id, caseId, counsellorId: 'c1', change: 'ringing' });
    await h.writes.flush();
    expect(await h.stores.audit.list(50)).toContainEqual(expect.objectContaining({ actor: 'system', action: 'follow-up-dial', callId: 'call-1', target: id }));
    expect(h.telephony.dialled().filter((d) => d.kind === 'out')).toEqual([]); // the person only after the counsellor answers
    expect((await h.followUps.detail(id, c1)).case).toMatchObject({ grade: 2, categories: ['legal/bullying'], summary: '在学校被同学欺负', callerNumber: '138******00' });
    // Never twice at once: a second due signal while it is dialled does nothing.
    const before = h.telephony.dialled().length;
    await h.followUpDialler.dialIfDue(id);
    expect(h.telephony.dialled()).toHaveLength(before);

    const legs = legsOf(h.telephony.dialled().find((d) => d.kind === 'phone' && d.channelId.startsWith('dialback-agent-')));
    h.telephony.answerLeg(legs.counsellorLeg);
    await h.settle();
    expect(h.telephony.dialled().at(-1)).toMatchObject({ kind: 'out', channelId: legs.callId, route: `PJSIP/${NUMBER}@carrier-out`, callerId: { number: '12355' } });
    h.telephony.answerLeg(legs.callId);
    await h.settle();
    expect(await h.followUpStore.get(id)).toMatchObject({ dialResult: 'connected', counsellorId: 'c1', callId: legs.callId });
    expect((await h.stores.records.get(legs.callId))?.dialled).toBe('follow-up');

    const recorded = await h.followUps.record(id, c1, { outcome: 'reached-safe', satisfied: true, note: '情况好转' });
    expect(recorded).toMatchObject({ outcome: 'reached-safe', satisfied: true, orderId });
    const events = await h.stores.cases.orders.events(orderId);
    expect(events.at(-1)).toMatchObject({ type: 'record-follow-up', actorId: 'system', to: 'closed', data: { outcome: 'resolved' } });
    expect(await h.followUpStore.open(10)).toEqual([]);
    await expect(h.followUps.record(id, c1, { outcome: 'declined' })).rejects.toMatchObject({ code: 'follow-up-recorded' });
  });

  it('not satisfied reopens the order (重新办理); needs-help without an order opens one', async () => {
    const { caseId, orderId } = await savedCase();
    await h.followUps.planNew();
    const id = `${caseId}-1`;
    h.clock.set(new Date(Date.parse((await h.followUpStore.get(id))?.dueAt ?? '') + 1000));
    await h.followUps.record(id, s1, { outcome: 'reached-safe', satisfied: false });
    expect((await h.stores.cases.orders.get(orderId))?.state.status).toBe('reopened');
  });

  it('a person who does not answer is tried again by the schedule; after the last attempt supervisors are alerted', async () => {
    const { caseId } = await savedCase();
    await h.followUps.planNew();
    for (const attempt of [1, 2, 3]) {
      await h.counsellors.apply('c1', { type: 'resume' }, true).catch(() => undefined);
      const legs = legsOf(await due(`${caseId}-${attempt}`));
      h.telephony.answerLeg(legs.counsellorLeg);
      await h.settle();
      h.telephony.failLeg(legs.callId, 17, 'User busy');
      await h.settle();
      h.telephony.finishPlaybacksOn(legs.counsellorLeg);
      await h.settle();
      expect(await h.followUpStore.get(`${caseId}-${attempt}`)).toMatchObject({ outcome: 'not-reached', dialResult: 'caller-no-answer', recordedBy: 'system' });
      if (attempt < 3) expect(alerts()).toEqual([]);
    }
    const attempts = await h.followUpStore.attemptsOf(caseId);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    // The retries' delays: 4 h, then 24 h after the attempt ended (moved out of the quiet hours if need be).
    expect(Date.parse(attempts[1]?.dueAt ?? '') - Date.parse(attempts[0]?.endedAt ?? '')).toBeGreaterThanOrEqual(4 * HOUR);
    expect(alerts()).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringContaining(caseId) })]);
    expect(attempts[2]?.alertedAt).not.toBeNull();
    expect(await h.followUpStore.open(10)).toEqual([]);
    // The order stays with the supervisor (unreachable counted): no new series for it.
    expect(await h.followUps.planNew()).toBe(0);
  });

  it('an order that begins waiting for its follow-up after the first one was made gets its own, which closes it', async () => {
    const { caseId, orderId } = await savedCase({ toFollowUp: false });
    await h.followUps.planNew();
    h.clock.set(new Date(Date.parse((await h.followUpStore.get(`${caseId}-1`))?.dueAt ?? '') + 1000));
    await h.followUps.record(`${caseId}-1`, s1, { outcome: 'reached-safe', satisfied: true });
    expect((await h.stores.cases.orders.get(orderId))?.state.status).toBe('draft'); // nothing to close yet
    const wo = h.afterCall.workOrders;
    await wo.act(orderId, s1, { type: 'dispatch', centreId: 'gz-tianhe' });
    await wo.act(orderId, tianhe, { type: 'accept' });
    await wo.act(orderId, tianhe, { type: 'reply', result: '学校已介入' });
    h.clock.advance(60_000);
    await wo.act(orderId, s1, { type: 'approve-reply' });
    expect(await h.followUps.planNew()).toBe(1);
    expect(await h.followUps.planNew()).toBe(0);
    const second = await h.followUpStore.get(`${caseId}-2`);
    expect(second).toMatchObject({ attempt: 2, maxAttempts: 4, orderId, outcome: null });
    h.clock.set(new Date(Date.parse(second?.dueAt ?? '') + 1000));
    await h.followUps.record(`${caseId}-2`, s1, { outcome: 'reached-safe', satisfied: true });
    expect((await h.stores.cases.orders.get(orderId))?.state.status).toBe('closed');
    expect(await h.followUps.planNew()).toBe(0);
  });

  it('never after the person declined', async () => {
    const { caseId } = await savedCase();
    await h.followUps.planNew();
    await h.counsellors.apply('c1', { type: 'resume' }, true).catch(() => undefined);
    const first = `${caseId}-1`;
    h.clock.set(new Date(Date.parse((await h.followUpStore.get(first))?.dueAt ?? '') + 1000));
    await h.followUps.record(first, s1, { outcome: 'declined' });
    expect(await h.followUpStore.open(10)).toEqual([]); // no next attempt
    // Even an attempt that got into the store (a race, a tool) is never dialled after a decline.
    await h.followUpStore.add({ id: `${caseId}-2`, caseId, attempt: 2, maxAttempts: 3, grade: 2, dueAt: h.clock.now().toISOString(), createdAt: h.clock.now().toISOString() });
    expect(await due(`${caseId}-2`)).toBeUndefined();
  });

  it('an attempt still waiting when the quiet hours begin waits for the morning (二级)', async () => {
    const { caseId } = await savedCase();
    await h.counsellors.apply('c1', { type: 'resume' }, true).catch(() => undefined);
    const id = `${caseId}-1`;
    await h.followUpStore.add({ id, caseId, attempt: 1, maxAttempts: 3, grade: 2, dueAt: '2026-06-02T12:00:00.000Z', createdAt: h.clock.now().toISOString() }); // 20:00 in Shanghai
    h.clock.set(new Date('2026-06-02T14:00:00.000Z')); // 22:00
    const before = h.telephony.dialled().length;
    await h.followUpDialler.dialIfDue(id);
    await h.settle();
    expect(h.telephony.dialled()).toHaveLength(before);
    h.clock.set(new Date('2026-06-03T00:31:00.000Z')); // 08:31
    await h.followUpDialler.dialIfDue(id);
    await h.settle();
    expect(h.telephony.dialled().slice(before)).toEqual([expect.objectContaining({ kind: 'phone', phone: '1001' })]);
  });

  it('a counsellor who does not answer gives the attempt back: it stays due for the next free counsellor', async () => {
    const { caseId } = await savedCase();
    await h.followUps.planNew();
    await h.counsellors.apply('c1', { type: 'resume' }, true).catch(() => undefined);
    const id = `${caseId}-1`;
    const legs = legsOf(await due(id));
    h.telephony.failLeg(legs.counsellorLeg, 19, 'No Answer');
    await h.settle();
    expect(h.published).toContainEqual({ type: 'follow-up', followUpId: id, caseId, counsellorId: 'c1', change: 'given-back' });
    expect(await h.followUpStore.get(id)).toMatchObject({ outcome: null, dialResult: 'counsellor-no-answer', leaseUntil: null });
    expect(h.telephony.dialled().filter((d) => d.kind === 'out')).toEqual([]);
    expect(await h.followUpStore.take(id, 'c2', h.clock.now().toISOString(), h.clock.now().toISOString())).not.toBeNull();
  });

  it('never once the person\'s data was erased', async () => {
    const { caseId } = await savedCase();
    await h.followUps.planNew();
    await h.counsellors.apply('c1', { type: 'resume' }, true).catch(() => undefined);
    await h.afterCall.personalData.eraseCases([caseId], h.clock.now().toISOString());
    expect(await due(`${caseId}-1`)).toBeUndefined();
  });
});
