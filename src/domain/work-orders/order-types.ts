/**
 * The work order (工单) that carries a case to a local centre, as data: its states, the events
 * people and timers send it, and the commands the machine returns for services to carry out.
 */
import type { RiskGrade } from '../cases/risk-grade.ts';
import type { DeadlineKind, DeadlinePlan } from './deadlines.ts';

export const ORDER_STATUSES = [
  'draft', // created, centre proposed, not yet confirmed by a person
  'dispatched', // 派单: waiting for the centre to accept
  'accepted', // 签收
  'in-progress', // 办理: the centre has added notes
  'replied', // 回复: the centre reported its result; a supervisor reviews it
  'awaiting-follow-up', // reply approved; waiting for the follow-up (回访)
  'closed', // 办结
  'returned', // 退单: the centre says it is not theirs; waiting for re-dispatch
  'reopened', // 重新办理: the young person was not helped; back to the centre to accept again
  'discarded', // a draft that should not have been an order
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Who may act on orders. `centre` is centre staff, scoped to their own centre. */
export type OrderRole = 'counsellor' | 'supervisor' | 'admin' | 'centre' | 'system';

export interface OrderActor {
  id: string;
  role: OrderRole;
  /** The centre a `centre` actor belongs to. */
  centreId?: string;
}

/** The deadline the order is running against (one at a time: accept, then reply). */
export interface ActiveDeadline extends DeadlinePlan {
  reminded: boolean;
  /** 0: not missed; 1: missed, supervision alert (督办); 2: second level raised. */
  supervision: 0 | 1 | 2;
}

export interface WorkOrderState {
  status: OrderStatus;
  grade: RiskGrade;
  /** The centre the order is assigned to; null while a draft. */
  centreId: string | null;
  /** The centre the system proposed when the order was created. */
  proposedCentreId: string | null;
  /** Created by the system because of the grade (not by a person). */
  automatic: boolean;
  deadline: ActiveDeadline | null;
  /** Highest supervision level each kind of deadline reached over the order's life (overdue marks). */
  overdue: Record<DeadlineKind, 0 | 1 | 2>;
  /** Centres that returned the order (退单), oldest first. */
  returnedBy: string[];
  reopenCount: number;
  followUpAttempts: number;
  closedAt: string | null;
}

export type FollowUpOutcome =
  | 'resolved' // the young person was helped: close
  | 'not-resolved' // not helped: reopen (重新办理)
  | 'unreachable' // no answer: try again later
  | 'declined'; // declined the follow-up (or never consented): close

interface Base {
  actor: OrderActor;
  /** When it happened, UTC ISO. */
  at: string;
}

export type OrderEvent = Base &
  (
    | { type: 'dispatch'; centreId: string; reason?: string }
    | { type: 'redispatch'; centreId: string; reason: string }
    | { type: 'accept' }
    | { type: 'progress'; note: string }
    | { type: 'reply'; result: string }
    | { type: 'return'; reason: string }
    | { type: 'approve-reply' }
    | { type: 'send-back'; reason: string }
    | { type: 'record-follow-up'; outcome: FollowUpOutcome; note: string }
    | { type: 'close'; reason: string }
    | { type: 'reopen'; reason: string }
    | { type: 'discard'; reason: string }
    /** Timer events (system): they name the deadline they were set for; a stale one changes nothing. */
    | { type: 'deadline-reminder'; kind: DeadlineKind; dueAt: string }
    | { type: 'deadline-missed'; kind: DeadlineKind; dueAt: string }
    | { type: 'second-level-supervision'; kind: DeadlineKind; dueAt: string }
  );
export type OrderEventType = OrderEvent['type'];

export type NotifyCentreReason = 'dispatched' | 'reopened' | 'sent-back' | 'withdrawn' | 'reminder';
export type NotifySupervisorsReason = 'confirm-dispatch' | 'returned' | 'replied' | 'follow-up-due';

export type OrderCommand =
  /** Tell a centre's staff (through the outbox). */
  | { type: 'notify-centre'; centreId: string; reason: NotifyCentreReason }
  | { type: 'notify-supervisors'; reason: NotifySupervisorsReason }
  /** Set timers for the reminder, the deadline and the second level of supervision. */
  | { type: 'schedule-deadline'; deadline: DeadlinePlan }
  | { type: 'cancel-deadline'; kind: DeadlineKind; dueAt: string }
  /** 督办: a deadline was missed (level 1) or stayed missed (level 2). */
  | { type: 'raise-supervision-alert'; level: 1 | 2; kind: DeadlineKind; dueAt: string; centreId: string }
  /** Put the follow-up call (回访) on the list. */
  | { type: 'schedule-follow-up' };

/** What the machine needs to know about the world; pure functions. */
export interface OrderContext {
  planDeadline(kind: DeadlineKind, grade: RiskGrade, centreId: string, from: Date): DeadlinePlan;
  centreExists(centreId: string): boolean;
}

/** The event as it is stored with the order: who, when, why, and the move it made. */
export interface OrderEventRecord {
  type: OrderEventType | 'create';
  actorId: string;
  actorRole: OrderRole;
  at: string;
  from: OrderStatus | null;
  to: OrderStatus;
  /** Why (a reason, a note, the reply's result), when the event has one. */
  text: string | null;
  data: Record<string, unknown>;
}
