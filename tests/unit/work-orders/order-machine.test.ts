import { describe, expect, it } from 'vitest';
import { createOrder, handleOrderEvent } from '../../../src/domain/work-orders/order-machine.ts';
import { WorkOrderError } from '../../../src/domain/work-orders/order-errors.ts';
import type { OrderEvent, WorkOrderState } from '../../../src/domain/work-orders/order-types.ts';
import { HotlineError } from '../../../src/errors.ts';
import {
  admin, atStep, counsellor, ctx, draft, gzStaff, PATH_TO, run, supervisor, system, szStaff, through, tianheStaff, type Ev,
} from './order-fixture.ts';

const types = (r: { commands: Array<Array<{ type: string }>> }) => r.commands.map((cs) => cs.map((c) => c.type));
const refusedCode = (events: Ev[], from?: WorkOrderState) => {
  const last = run(events, from).steps.at(-1);
  return last && !last.ok ? last.error.code : 'accepted';
};

describe('creating an order', () => {
  it('starts as a draft with the proposed centre; one the grade requires asks supervisors to confirm it', () => {
    const byHand = createOrder({ grade: 3, proposedCentreId: 'gz', automatic: false, actor: counsellor, at: atStep(0) });
    expect(byHand).toMatchObject({ ok: true, commands: [], state: { status: 'draft', centreId: null, proposedCentreId: 'gz', deadline: null } });
    expect(byHand.ok && byHand.record).toMatchObject({ type: 'create', actorId: 'c1', actorRole: 'counsellor', from: null, to: 'draft' });
    const auto = createOrder({ grade: 1, proposedCentreId: null, automatic: true, actor: system, at: atStep(0) });
    expect(auto).toMatchObject({ ok: true, commands: [{ type: 'notify-supervisors', reason: 'confirm-dispatch' }], state: { automatic: true } });
  });

  it('is refused to centre staff and admins', () => {
    for (const actor of [tianheStaff, admin]) {
      const step = createOrder({ grade: 3, proposedCentreId: 'gz', automatic: false, actor, at: atStep(0) });
      expect(step.ok ? null : step.error.code).toBe('order-role-forbidden');
    }
  });
});

describe('the order\'s life', () => {
  it('goes draft → dispatched → accepted → in progress → replied → awaiting follow-up → closed, with deadlines and notices', () => {
    const r = run(PATH_TO.closed);
    expect(r.steps.every((s) => s.ok)).toBe(true);
    expect(types(r)).toEqual([
      ['notify-centre', 'schedule-deadline'],
      ['cancel-deadline', 'schedule-deadline'],
      [],
      ['cancel-deadline', 'notify-supervisors'],
      ['schedule-follow-up'],
      [],
    ]);
    expect(r.commands[0]).toEqual([
      { type: 'notify-centre', centreId: 'gz-tianhe', reason: 'dispatched' },
      { type: 'schedule-deadline', deadline: { kind: 'accept', dueAt: '2026-03-10T02:00:00.000Z', remindAt: '2026-03-09T08:45:00.000Z', secondLevelAt: '2026-03-11T02:00:00.000Z' } },
    ]);
    expect(r.commands[1]?.[1]).toMatchObject({ type: 'schedule-deadline', deadline: { kind: 'reply' } });
    expect(r.state).toMatchObject({ status: 'closed', centreId: 'gz-tianhe', deadline: null, closedAt: atStep(5), followUpAttempts: 1 });
  });

  it('records who, when and why for every change', () => {
    const r = run(PATH_TO.returned);
    const last = r.steps[1];
    expect(last?.ok && last.record).toEqual({
      type: 'return', actorId: 'th1', actorRole: 'centre', at: atStep(1), from: 'dispatched', to: 'returned', text: '不属本中心辖区', data: {},
    });
  });

  it('asks why when a person dispatches to another centre than the proposed one', () => {
    expect(refusedCode([{ type: 'dispatch', centreId: 'gz', actor: counsellor }])).toBe('order-text-required');
    expect(refusedCode([{ type: 'dispatch', centreId: 'gz', reason: '  ', actor: counsellor }])).toBe('order-text-required');
    const ok = run([{ type: 'dispatch', centreId: 'gz', reason: '来电者在市区就读', actor: counsellor }]);
    expect(ok.state).toMatchObject({ status: 'dispatched', centreId: 'gz' });
    expect(refusedCode([{ type: 'dispatch', centreId: 'nowhere', reason: 'x', actor: counsellor }])).toBe('order-centre-unknown');
  });

  it('a returned order (退单) waits for a supervisor to dispatch it again', () => {
    const returned = through(PATH_TO.returned);
    expect(returned).toMatchObject({ status: 'returned', deadline: null, returnedBy: ['gz-tianhe'] });
    expect(refusedCode([{ type: 'redispatch', centreId: 'gz', reason: '转市中心', actor: counsellor }], returned)).toBe('order-role-forbidden');
    const r = run([{ type: 'redispatch', centreId: 'gz', reason: '转市中心', actor: supervisor }], returned);
    expect(r.state).toMatchObject({ status: 'dispatched', centreId: 'gz', deadline: { kind: 'accept' } });
    expect(types(r)).toEqual([['notify-centre', 'schedule-deadline']]);
    expect(refusedCode([{ type: 'accept', actor: tianheStaff }], r.state)).toBe('order-wrong-centre');
    expect(run([{ type: 'accept', actor: gzStaff }], r.state).state.status).toBe('accepted');
  });

  it('a centre may also return an order it accepted, but not one it is working on', () => {
    expect(through([...PATH_TO.accepted, { type: 'return', reason: '非本辖区', actor: tianheStaff }]).status).toBe('returned');
    expect(refusedCode([...PATH_TO['in-progress'], { type: 'return', reason: '非本辖区', actor: tianheStaff }])).toBe('order-illegal-transition');
  });

  it('re-dispatching before acceptance withdraws the order from the first centre', () => {
    const r = run([...PATH_TO.dispatched, { type: 'redispatch', centreId: 'sz', reason: '来电者在深圳', actor: supervisor }]);
    expect(r.commands[1]?.map((c) => c.type === 'notify-centre' ? `${c.type}:${c.centreId}:${c.reason}` : c.type)).toEqual([
      'cancel-deadline', 'notify-centre:gz-tianhe:withdrawn', 'notify-centre:sz:dispatched', 'schedule-deadline',
    ]);
  });

  it('only staff of the assigned centre accept, add notes, reply or return', () => {
    const dispatched = through(PATH_TO.dispatched);
    expect(refusedCode([{ type: 'accept', actor: szStaff }], dispatched)).toBe('order-wrong-centre');
    expect(refusedCode([{ type: 'accept', actor: supervisor }], dispatched)).toBe('order-role-forbidden');
    expect(refusedCode([{ type: 'accept', actor: counsellor }], dispatched)).toBe('order-role-forbidden');
    const accepted = through([{ type: 'accept', actor: tianheStaff }], dispatched);
    expect(refusedCode([{ type: 'reply', result: '完成', actor: szStaff }], accepted)).toBe('order-wrong-centre');
    expect(refusedCode([{ type: 'progress', note: '', actor: tianheStaff }], accepted)).toBe('order-text-required');
    expect(refusedCode([{ type: 'reply', result: ' ', actor: tianheStaff }], accepted)).toBe('order-text-required');
    expect(through([{ type: 'reply', result: '已处理', actor: tianheStaff }], accepted).status).toBe('replied');
  });

  it('a supervisor approves the reply or sends it back with a fresh reply deadline', () => {
    const replied = through(PATH_TO.replied);
    const back = run([{ type: 'send-back', reason: '回复不完整', actor: supervisor }], replied);
    expect(back.state).toMatchObject({ status: 'in-progress', deadline: { kind: 'reply', dueAt: '2026-03-12T02:00:00.000Z' } });
    expect(types(back)).toEqual([['notify-centre', 'schedule-deadline']]);
    expect(refusedCode([{ type: 'approve-reply', actor: tianheStaff }], replied)).toBe('order-role-forbidden');
  });

  it('the follow-up closes, reopens or waits for another try', () => {
    const awaiting = through(PATH_TO['awaiting-follow-up']);
    const unreachable = through([{ type: 'record-follow-up', outcome: 'unreachable', note: '无人接听', actor: supervisor }], awaiting);
    expect(unreachable).toMatchObject({ status: 'awaiting-follow-up', followUpAttempts: 1 });
    const declined = through([{ type: 'record-follow-up', outcome: 'declined', note: '不愿回访', actor: supervisor }], unreachable);
    expect(declined).toMatchObject({ status: 'closed', followUpAttempts: 2 });
    const reopened = run([{ type: 'record-follow-up', outcome: 'not-resolved', note: '仍受欺凌', actor: supervisor }], awaiting);
    expect(reopened.state).toMatchObject({ status: 'reopened', reopenCount: 1, centreId: 'gz-tianhe', deadline: { kind: 'accept' } });
    expect(reopened.commands[0]).toContainEqual({ type: 'notify-centre', centreId: 'gz-tianhe', reason: 'reopened' });
    expect(through([{ type: 'close', reason: '三次未能联系', actor: supervisor }], unreachable).status).toBe('closed');
    expect(refusedCode([{ type: 'record-follow-up', outcome: 'resolved', note: 'ok', actor: tianheStaff }], awaiting)).toBe('order-role-forbidden');
  });

  it('nothing is closed twice; a closed order can only be reopened by a supervisor', () => {
    const closed = through(PATH_TO.closed);
    expect(refusedCode([{ type: 'close', reason: '再次办结', actor: supervisor }], closed)).toBe('order-already-closed');
    expect(refusedCode([{ type: 'record-follow-up', outcome: 'resolved', note: 'x', actor: supervisor }], closed)).toBe('order-already-closed');
    expect(refusedCode([{ type: 'reopen', reason: '回访未解决', actor: counsellor }], closed)).toBe('order-role-forbidden');
    const reopened = through([{ type: 'reopen', reason: '回访未解决', actor: supervisor }], closed);
    expect(reopened).toMatchObject({ status: 'reopened', closedAt: null, reopenCount: 1 });
    expect(through([{ type: 'accept', actor: tianheStaff }], reopened).status).toBe('accepted');
  });

  it('a counsellor may discard their own draft, but not one the grade requires', () => {
    expect(through(PATH_TO.discarded).status).toBe('discarded');
    const auto = draft(1, true);
    expect(refusedCode([{ type: 'discard', reason: '误建', actor: counsellor }], auto)).toBe('order-discard-forbidden');
    expect(through([{ type: 'discard', reason: '重复工单', actor: supervisor }], auto).status).toBe('discarded');
    expect(refusedCode([...PATH_TO.dispatched, { type: 'discard', reason: 'x', actor: supervisor }])).toBe('order-illegal-transition');
  });
});

describe('deadlines, reminders and supervision (催办、督办)', () => {
  const dispatched = through(PATH_TO.dispatched);
  const due = dispatched.deadline?.dueAt ?? '';
  const timer = (type: 'deadline-reminder' | 'deadline-missed' | 'second-level-supervision', dueAt = due, kind: 'accept' | 'reply' = 'accept'): Ev => ({ type, kind, dueAt, actor: system });

  it('reminds once, raises a supervision alert when missed, then a second level, and keeps the overdue marks', () => {
    const r = run([timer('deadline-reminder'), timer('deadline-reminder'), timer('deadline-missed'), timer('deadline-missed'), timer('second-level-supervision'), timer('second-level-supervision')], dispatched);
    expect(r.commands).toEqual([
      [{ type: 'notify-centre', centreId: 'gz-tianhe', reason: 'reminder' }],
      [],
      [{ type: 'raise-supervision-alert', level: 1, kind: 'accept', dueAt: due, centreId: 'gz-tianhe' }],
      [],
      [{ type: 'raise-supervision-alert', level: 2, kind: 'accept', dueAt: due, centreId: 'gz-tianhe' }],
      [],
    ]);
    expect(r.steps.map((s) => s.ok && s.record !== null)).toEqual([true, false, true, false, true, false]);
    const accepted = through([{ type: 'accept', actor: tianheStaff }], r.state);
    expect(accepted).toMatchObject({ overdue: { accept: 2, reply: 0 }, deadline: { kind: 'reply', supervision: 0, reminded: false } });
  });

  it('ignores timers of a deadline that is no longer running', () => {
    const accepted = through([{ type: 'accept', actor: tianheStaff }], dispatched);
    for (const t of [timer('deadline-missed'), timer('deadline-reminder'), timer('second-level-supervision', due, 'reply'), timer('deadline-missed', '2026-01-01T00:00:00.000Z', 'reply')]) {
      expect(run([t], accepted)).toMatchObject({ state: accepted, commands: [[]] });
    }
    expect(run([timer('deadline-missed')], through(PATH_TO.closed)).commands).toEqual([[]]);
  });

  it('a late reminder after the deadline was missed is not sent', () => {
    expect(run([timer('deadline-missed'), timer('deadline-reminder')], dispatched).commands[1]).toEqual([]);
  });

  it('only the system sends timer events', () => {
    expect(refusedCode([{ ...timer('deadline-missed'), actor: supervisor } as Ev], dispatched)).toBe('order-role-forbidden');
  });
});

describe('errors', () => {
  it('are HotlineErrors with a stable code and an HTTP status', () => {
    const step = handleOrderEvent(draft(), { type: 'accept', actor: tianheStaff, at: atStep(0) } as OrderEvent, ctx);
    expect(step.ok).toBe(false);
    if (step.ok) return;
    expect(step.error).toBeInstanceOf(WorkOrderError);
    expect(step.error).toBeInstanceOf(HotlineError);
    expect(step.error).toMatchObject({ code: 'order-illegal-transition', httpStatus: 409, details: { status: 'draft', event: 'accept' } });
    expect(new WorkOrderError('order-wrong-centre', 'x').httpStatus).toBe(403);
    expect(new WorkOrderError('order-text-required', 'x').httpStatus).toBe(400);
  });
});
