import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handleOrderEvent, type OrderStep } from '../../../src/domain/work-orders/order-machine.ts';
import { DEADLINE_OF_STATUS, EVENT_RULES } from '../../../src/domain/work-orders/order-rules.ts';
import { ORDER_STATUSES, type OrderCommand, type OrderContext, type OrderEvent, type OrderStatus, type WorkOrderState } from '../../../src/domain/work-orders/order-types.ts';
import type { WorkOrderErrorCode } from '../../../src/domain/work-orders/order-errors.ts';
import {
  admin, atStep, counsellor, draft, gzStaff, PATH_TO, supervisor, system, szStaff, tianheStaff, type Ev,
} from './order-fixture.ts';

/** Every kind of thing that can happen to an order, from every kind of actor; timers aim at the running deadline or a stale one. */
const ALPHABET: Array<(s: WorkOrderState) => Ev> = [
  () => ({ type: 'dispatch', centreId: 'gz-tianhe', actor: counsellor }),
  () => ({ type: 'dispatch', centreId: 'gz', reason: '改派市中心', actor: supervisor }),
  () => ({ type: 'redispatch', centreId: 'gz', reason: '改派', actor: supervisor }),
  () => ({ type: 'redispatch', centreId: 'sz', reason: '改派', actor: counsellor }),
  () => ({ type: 'accept', actor: tianheStaff }),
  () => ({ type: 'accept', actor: gzStaff }),
  () => ({ type: 'accept', actor: szStaff }),
  () => ({ type: 'progress', note: '家访', actor: tianheStaff }),
  () => ({ type: 'reply', result: '已处理', actor: tianheStaff }),
  () => ({ type: 'reply', result: '已处理', actor: gzStaff }),
  () => ({ type: 'return', reason: '非本辖区', actor: tianheStaff }),
  () => ({ type: 'approve-reply', actor: supervisor }),
  () => ({ type: 'send-back', reason: '不完整', actor: supervisor }),
  () => ({ type: 'record-follow-up', outcome: 'resolved', note: '已解决', actor: supervisor }),
  () => ({ type: 'record-follow-up', outcome: 'not-resolved', note: '未解决', actor: supervisor }),
  () => ({ type: 'record-follow-up', outcome: 'unreachable', note: '未接', actor: supervisor }),
  () => ({ type: 'close', reason: '联系不上', actor: supervisor }),
  () => ({ type: 'close', reason: '联系不上', actor: admin }),
  () => ({ type: 'reopen', reason: '未解决', actor: supervisor }),
  () => ({ type: 'discard', reason: '误建', actor: counsellor }),
  (s) => ({ type: 'deadline-reminder', kind: s.deadline?.kind ?? 'accept', dueAt: s.deadline?.dueAt ?? '', actor: system }),
  (s) => ({ type: 'deadline-missed', kind: s.deadline?.kind ?? 'accept', dueAt: s.deadline?.dueAt ?? '', actor: system }),
  (s) => ({ type: 'second-level-supervision', kind: s.deadline?.kind ?? 'reply', dueAt: s.deadline?.dueAt ?? '', actor: system }),
  () => ({ type: 'deadline-missed', kind: 'accept', dueAt: '2020-01-01T00:00:00.000Z', actor: system }),
];

const CODES: WorkOrderErrorCode[] = [
  'order-illegal-transition', 'order-already-closed', 'order-role-forbidden', 'order-wrong-centre', 'order-text-required', 'order-centre-unknown', 'order-discard-forbidden',
];

/** Deadline arithmetic has its own tests; here a cheap plan keeps millions of steps fast. */
const ctx: OrderContext = {
  planDeadline: (kind, _grade, centreId, from) => {
    const due = from.getTime() + (kind === 'accept' ? 2 : 5) * 3_600_000 + centreId.length;
    return { kind, dueAt: new Date(due).toISOString(), remindAt: new Date(due - 1_800_000).toISOString(), secondLevelAt: new Date(due + 3_600_000).toISOString() };
  },
  centreExists: (id) => ['gz', 'gz-tianhe', 'sz'].includes(id),
};

/** expect() is too slow for millions of checks; a plain assertion that names the sequence. */
function assert(ok: boolean, label: () => string): void {
  if (!ok) throw new Error(label());
}

/** What the commands so far say about the order, to compare with its state. */
interface Ledger {
  /** Deadlines scheduled and not cancelled, as `kind@dueAt`. */
  running: Set<string>;
  closes: number;
  reopens: number;
  alerts: Set<string>;
  reminders: Set<string>;
}

const newLedger = (): Ledger => ({ running: new Set(), closes: 0, reopens: 0, alerts: new Set(), reminders: new Set() });
const copy = (l: Ledger): Ledger => ({ ...l, running: new Set(l.running), alerts: new Set(l.alerts), reminders: new Set(l.reminders) });

function check(before: WorkOrderState, step: OrderStep, ledger: Ledger, label: () => string): WorkOrderState {
  if (!step.ok) {
    assert(CODES.includes(step.error.code), () => `${label()}: unknown code ${step.error.code}`);
    return before;
  }
  const s = step.state;
  const commands: OrderCommand[] = step.commands;
  for (const c of commands) {
    if (c.type === 'schedule-deadline') {
      assert(ledger.running.size === 0, () => `${label()}: a second deadline scheduled`);
      ledger.running.add(`${c.deadline.kind}@${c.deadline.dueAt}`);
    }
    if (c.type === 'cancel-deadline') assert(ledger.running.delete(`${c.kind}@${c.dueAt}`), () => `${label()}: cancelled an unknown deadline`);
    if (c.type === 'raise-supervision-alert') {
      const key = `${c.level}:${c.kind}@${c.dueAt}`;
      assert(!ledger.alerts.has(key), () => `${label()}: alert raised twice`);
      ledger.alerts.add(key);
    }
    if (c.type === 'notify-centre' && c.reason === 'reminder') {
      const key = `${before.deadline?.kind}@${before.deadline?.dueAt}`;
      assert(!ledger.reminders.has(key), () => `${label()}: reminded twice`);
      ledger.reminders.add(key);
    }
  }
  if (step.record) {
    assert(step.record.from === before.status && step.record.to === s.status, () => `${label()}: record does not match the move`);
    if (s.status === 'closed' && before.status !== 'closed') ledger.closes++;
    if (s.status === 'reopened' && before.status !== 'reopened') ledger.reopens++;
    assert(!(before.status === 'closed' && s.status === 'closed'), () => `${label()}: closed twice`);
  } else {
    assert(s === before && commands.length === 0, () => `${label()}: no record but something changed`);
  }
  // The state is legal.
  assert(ORDER_STATUSES.includes(s.status), () => `${label()}: unknown status ${s.status}`);
  assert(s.deadline?.kind === DEADLINE_OF_STATUS[s.status], () => `${label()}: wrong deadline for ${s.status}`);
  const running = s.deadline ? `${s.deadline.kind}@${s.deadline.dueAt}` : null;
  assert(running === null ? ledger.running.size === 0 : ledger.running.size === 1 && ledger.running.has(running), () => `${label()}: timers and state disagree`);
  assert((s.centreId === null) === (s.status === 'draft' || s.status === 'discarded'), () => `${label()}: centre of a ${s.status} order`);
  assert((s.closedAt !== null) === (s.status === 'closed'), () => `${label()}: closedAt of a ${s.status} order`);
  assert(ledger.closes <= ledger.reopens + 1, () => `${label()}: closed more often than reopened`);
  assert(s.reopenCount === ledger.reopens, () => `${label()}: reopen count`);
  assert(s.overdue.accept >= before.overdue.accept && s.overdue.reply >= before.overdue.reply, () => `${label()}: overdue mark lost`);
  return s;
}

/** The state and ledger after the canonical path to `status`. */
function startAt(status: OrderStatus): { state: WorkOrderState; ledger: Ledger } {
  let state = draft();
  const ledger = newLedger();
  PATH_TO[status].forEach((e, i) => {
    const before = state;
    state = check(before, handleOrderEvent(before, { ...e, at: atStep(i) } as OrderEvent, ctx), ledger, () => `path to ${status}`);
  });
  expect(state.status).toBe(status);
  return { state, ledger };
}

describe('the order machine, exhaustively', () => {
  it('every sequence of up to 4 events from every state ends in a legal state; nothing is closed twice', { timeout: 120_000 }, () => {
    let sequences = 0;
    const trail: string[] = [];
    const label = () => trail.join(' → ');
    const walk = (state: WorkOrderState, ledger: Ledger, depth: number, offset: number) => {
      sequences++;
      if (depth === 4) return;
      for (const make of ALPHABET) {
        const e = make(state);
        trail.push(`${e.type}/${e.actor.id}`);
        const step = handleOrderEvent(state, { ...e, at: atStep(offset + depth) } as OrderEvent, ctx);
        // A refusal changes neither the order nor the ledger: no copy needed.
        const nextLedger = step.ok ? copy(ledger) : ledger;
        const next = check(state, step, nextLedger, label);
        walk(next, nextLedger, depth + 1, offset);
        trail.pop();
      }
    };
    // Most steps are refusals, and a refusal builds an Error: without stack traces they cost little.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      for (const status of ORDER_STATUSES) {
        const { state, ledger } = startAt(status);
        trail.push(status);
        walk(state, ledger, 0, PATH_TO[status].length);
        trail.pop();
      }
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    expect(sequences).toBe(ORDER_STATUSES.length * (1 + 24 + 24 ** 2 + 24 ** 3 + 24 ** 4));
  });

  it('long random sequences keep every invariant', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(ALPHABET.length - 1), { maxLength: 60 }), (picks) => {
        let { state, ledger } = startAt('draft');
        picks.forEach((p, i) => {
          const e = (ALPHABET[p] as (s: WorkOrderState) => Ev)(state);
          state = check(state, handleOrderEvent(state, { ...e, at: atStep(i) } as OrderEvent, ctx), ledger, () => `pick ${i}`);
        });
        ledger = newLedger();
      }),
      { numRuns: 400 },
    );
  });

  it('each event is accepted exactly in the states and from the roles its rule names', () => {
    for (const status of ORDER_STATUSES) {
      const { state } = startAt(status);
      for (const make of ALPHABET) {
        const e = make(state);
        const step = handleOrderEvent(state, { ...e, at: atStep(20) } as OrderEvent, ctx);
        const rule = EVENT_RULES[e.type];
        const label = `${status} + ${e.type} by ${e.actor.id}`;
        if (!rule.roles.includes(e.actor.role)) expect(step.ok ? 'ok' : step.error.code, label).toBe('order-role-forbidden');
        else if (!rule.from.includes(status)) expect(step.ok ? 'ok' : step.error.code, label).toMatch(/^order-(illegal-transition|already-closed)$/);
        else if (e.actor.role === 'centre' && e.actor.centreId !== state.centreId) expect(step.ok ? 'ok' : step.error.code, label).toBe('order-wrong-centre');
        else expect(step.ok, label).toBe(true);
      }
    }
  });
});
