/**
 * The work order's life as a pure state machine (分级跟办、闭环办理): draft → dispatched → accepted
 * → in progress → replied → awaiting follow-up → closed, with returns (退单), re-dispatch, reopening
 * (重新办理) and overdue marks from timers (催办、督办). Events in, state and commands out; an event
 * a person may not send is refused with a stable code, a stale timer changes nothing.
 */
import type { RiskGrade } from '../cases/risk-grade.ts';
import type { DeadlineKind } from './deadlines.ts';
import { WorkOrderError } from './order-errors.ts';
import { CREATOR_ROLES, EVENT_RULES } from './order-rules.ts';
import type {
  ActiveDeadline, OrderActor, OrderCommand, OrderContext, OrderEvent, OrderEventRecord, OrderStatus, WorkOrderState,
} from './order-types.ts';

export type OrderStep =
  | { ok: true; state: WorkOrderState; commands: OrderCommand[]; record: OrderEventRecord | null }
  | { ok: false; error: WorkOrderError };

const refuse = (code: WorkOrderError['code'], message: string, details?: Record<string, unknown>): OrderStep => ({
  ok: false, error: new WorkOrderError(code, message, details),
});

/** A new order, as a draft with the proposed centre; one the grade requires asks supervisors to confirm it. */
export function createOrder(input: { grade: RiskGrade; proposedCentreId: string | null; automatic: boolean; actor: OrderActor; at: string }): OrderStep {
  if (!CREATOR_ROLES.includes(input.actor.role)) return refuse('order-role-forbidden', `${input.actor.role} cannot create orders`, { role: input.actor.role });
  const state: WorkOrderState = {
    status: 'draft', grade: input.grade, centreId: null, proposedCentreId: input.proposedCentreId, automatic: input.automatic,
    deadline: null, overdue: { accept: 0, reply: 0 }, returnedBy: [], reopenCount: 0, followUpAttempts: 0, closedAt: null,
  };
  const record: OrderEventRecord = {
    type: 'create', actorId: input.actor.id, actorRole: input.actor.role, at: input.at, from: null, to: 'draft', text: null,
    data: { grade: input.grade, proposedCentreId: input.proposedCentreId, automatic: input.automatic },
  };
  return { ok: true, state, commands: input.automatic ? [{ type: 'notify-supervisors', reason: 'confirm-dispatch' }] : [], record };
}

function textOf(event: OrderEvent): string | null {
  switch (event.type) {
    case 'dispatch': return event.reason?.trim() || null;
    case 'progress': return event.note.trim();
    case 'reply': return event.result.trim();
    case 'record-follow-up': return event.note.trim();
    case 'redispatch': case 'return': case 'send-back': case 'close': case 'reopen': case 'discard': return event.reason.trim();
    default: return null;
  }
}

function dataOf(event: OrderEvent): Record<string, unknown> {
  switch (event.type) {
    case 'dispatch': case 'redispatch': return { centreId: event.centreId };
    case 'record-follow-up': return { outcome: event.outcome };
    case 'deadline-reminder': case 'deadline-missed': case 'second-level-supervision': return { kind: event.kind, dueAt: event.dueAt };
    default: return {};
  }
}

/** Events whose text is required (a reason, a note, a result); dispatch only when it changes the proposal. */
function needsText(state: WorkOrderState, event: OrderEvent): boolean {
  if (event.type === 'dispatch') return state.proposedCentreId !== null && event.centreId !== state.proposedCentreId;
  return ['redispatch', 'progress', 'reply', 'return', 'send-back', 'record-follow-up', 'close', 'reopen', 'discard'].includes(event.type);
}

/** Checks everything but the timers' staleness: role, state, centre scope, text, centre. */
function refusal(state: WorkOrderState, event: OrderEvent, ctx: OrderContext): OrderStep | null {
  const rule = EVENT_RULES[event.type];
  const { actor } = event;
  if (!rule.roles.includes(actor.role)) return refuse('order-role-forbidden', `${actor.role} cannot ${event.type}`, { role: actor.role, event: event.type });
  if (state.status === 'closed' && event.type !== 'reopen' && actor.role !== 'system') {
    return refuse('order-already-closed', 'the order is closed; only a supervisor can reopen it', { event: event.type });
  }
  if (!rule.from.includes(state.status)) {
    return refuse('order-illegal-transition', `cannot ${event.type} an order that is ${state.status}`, { status: state.status, event: event.type });
  }
  if (actor.role === 'centre' && actor.centreId !== state.centreId) {
    return refuse('order-wrong-centre', 'the order is assigned to another centre', { centreId: state.centreId });
  }
  if (needsText(state, event) && !textOf(event)) return refuse('order-text-required', `${event.type} needs a reason or note`, { event: event.type });
  if ((event.type === 'dispatch' || event.type === 'redispatch') && !ctx.centreExists(event.centreId)) {
    return refuse('order-centre-unknown', `no centre ${event.centreId}`, { centreId: event.centreId });
  }
  if (event.type === 'discard' && state.automatic && actor.role === 'counsellor') {
    return refuse('order-discard-forbidden', 'an order the grade requires can only be discarded by a supervisor');
  }
  return null;
}

function startDeadline(ctx: OrderContext, kind: DeadlineKind, state: WorkOrderState, centreId: string, at: string): { deadline: ActiveDeadline; command: OrderCommand } {
  const plan = ctx.planDeadline(kind, state.grade, centreId, new Date(at));
  return { deadline: { ...plan, reminded: false, supervision: 0 }, command: { type: 'schedule-deadline', deadline: plan } };
}

function cancelDeadline(state: WorkOrderState): OrderCommand[] {
  return state.deadline ? [{ type: 'cancel-deadline', kind: state.deadline.kind, dueAt: state.deadline.dueAt }] : [];
}

/** Moves to `status` at `centreId` with a fresh accept deadline, telling the centre why. */
function sendToCentre(
  state: WorkOrderState, status: OrderStatus, centreId: string, at: string, ctx: OrderContext, reason: 'dispatched' | 'reopened',
): { state: WorkOrderState; commands: OrderCommand[] } {
  const { deadline, command } = startDeadline(ctx, 'accept', state, centreId, at);
  const withdrawn: OrderCommand[] = state.centreId && state.centreId !== centreId && (state.status === 'dispatched' || state.status === 'reopened')
    ? [{ type: 'notify-centre', centreId: state.centreId, reason: 'withdrawn' }] : [];
  return {
    state: { ...state, status, centreId, deadline },
    commands: [...cancelDeadline(state), ...withdrawn, { type: 'notify-centre', centreId, reason }, command],
  };
}

type Move = { state: WorkOrderState; commands: OrderCommand[] } | null;

function timerMove(state: WorkOrderState, event: Extract<OrderEvent, { kind: DeadlineKind }>): Move {
  const d = state.deadline;
  if (!d || d.kind !== event.kind || d.dueAt !== event.dueAt || !state.centreId) return null;
  const centreId = state.centreId;
  switch (event.type) {
    case 'deadline-reminder':
      if (d.reminded || d.supervision > 0) return null;
      return { state: { ...state, deadline: { ...d, reminded: true } }, commands: [{ type: 'notify-centre', centreId, reason: 'reminder' }] };
    case 'deadline-missed':
      if (d.supervision > 0) return null;
      return {
        state: { ...state, deadline: { ...d, supervision: 1 }, overdue: { ...state.overdue, [d.kind]: Math.max(state.overdue[d.kind], 1) } },
        commands: [{ type: 'raise-supervision-alert', level: 1, kind: d.kind, dueAt: d.dueAt, centreId }],
      };
    case 'second-level-supervision':
      // Also when the level-1 timer was lost: the order is overdue either way.
      if (d.supervision === 2) return null;
      return {
        state: { ...state, deadline: { ...d, supervision: 2 }, overdue: { ...state.overdue, [d.kind]: 2 } },
        commands: [{ type: 'raise-supervision-alert', level: 2, kind: d.kind, dueAt: d.dueAt, centreId }],
      };
  }
}

function move(state: WorkOrderState, event: OrderEvent, ctx: OrderContext): Move {
  const centre = state.centreId ?? '';
  switch (event.type) {
    case 'dispatch':
    case 'redispatch':
      return sendToCentre(state, 'dispatched', event.centreId, event.at, ctx, 'dispatched');
    case 'accept': {
      const { deadline, command } = startDeadline(ctx, 'reply', state, centre, event.at);
      return { state: { ...state, status: 'accepted', deadline }, commands: [...cancelDeadline(state), command] };
    }
    case 'progress':
      return { state: { ...state, status: 'in-progress' }, commands: [] };
    case 'reply':
      return { state: { ...state, status: 'replied', deadline: null }, commands: [...cancelDeadline(state), { type: 'notify-supervisors', reason: 'replied' }] };
    case 'return':
      return {
        state: { ...state, status: 'returned', deadline: null, returnedBy: [...state.returnedBy, centre] },
        commands: [...cancelDeadline(state), { type: 'notify-supervisors', reason: 'returned' }],
      };
    case 'approve-reply':
      return { state: { ...state, status: 'awaiting-follow-up' }, commands: [{ type: 'schedule-follow-up' }] };
    case 'send-back': {
      const { deadline, command } = startDeadline(ctx, 'reply', state, centre, event.at);
      return { state: { ...state, status: 'in-progress', deadline }, commands: [{ type: 'notify-centre', centreId: centre, reason: 'sent-back' }, command] };
    }
    case 'record-follow-up': {
      const counted = { ...state, followUpAttempts: state.followUpAttempts + 1 };
      if (event.outcome === 'unreachable') return { state: counted, commands: [] };
      if (event.outcome === 'not-resolved') return reopen(counted, event.at, ctx);
      return { state: { ...counted, status: 'closed', closedAt: event.at }, commands: [] };
    }
    case 'close':
      return { state: { ...state, status: 'closed', closedAt: event.at }, commands: [] };
    case 'reopen':
      return reopen(state, event.at, ctx);
    case 'discard':
      return { state: { ...state, status: 'discarded' }, commands: [] };
    case 'deadline-reminder':
    case 'deadline-missed':
    case 'second-level-supervision':
      return timerMove(state, event);
  }
}

/** 重新办理: back to the same centre, which accepts it again against a fresh deadline. */
function reopen(state: WorkOrderState, at: string, ctx: OrderContext): { state: WorkOrderState; commands: OrderCommand[] } {
  return sendToCentre({ ...state, reopenCount: state.reopenCount + 1, closedAt: null }, 'reopened', state.centreId ?? '', at, ctx, 'reopened');
}

/** Applies `event` to `state`. Refused events return a typed error and leave the order as it was. */
export function handleOrderEvent(state: WorkOrderState, event: OrderEvent, ctx: OrderContext): OrderStep {
  const refused = refusal(state, event, ctx);
  if (refused) return refused;
  const moved = move(state, event, ctx);
  if (!moved) return { ok: true, state, commands: [], record: null };
  const record: OrderEventRecord = {
    type: event.type, actorId: event.actor.id, actorRole: event.actor.role, at: event.at, from: state.status, to: moved.state.status,
    text: textOf(event), data: dataOf(event),
  };
  return { ok: true, state: moved.state, commands: moved.commands, record };
}
