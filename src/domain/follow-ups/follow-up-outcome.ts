/**
 * What an attempt's outcome does (回访结果): to the follow-up series, the case's work order and
 * the supervisors. Pure: the outcome, the attempt and the order's status in, commands out; the
 * follow-up service carries them out (orders only through the work-order service).
 *
 * - reached-safe: the series ends; an order awaiting its follow-up closes (办结) when the young
 *   person is satisfied, and is reopened (重新办理) when not.
 * - needs-help: the series ends; an order awaiting its follow-up or closed is reopened, and a case
 *   with no open order gets a new one.
 * - not-reached: the next attempt by the schedule; after the last one, 一级/二级 raise a supervisor
 *   alert instead of giving up silently.
 * - declined: the series ends, no call is ever made again; an order awaiting it closes.
 * - wrong-number: the series ends (the number cannot reach the person); 一级/二级 raise an alert.
 */
import type { RiskGrade } from '../cases/risk-grade.ts';
import type { FollowUpOutcome as OrderFollowUpOutcome, OrderStatus } from '../work-orders/order-types.ts';
import { nextDue, type FollowUpPolicy } from './follow-up-schedule.ts';

export const FOLLOW_UP_OUTCOMES = ['reached-safe', 'needs-help', 'not-reached', 'declined', 'wrong-number'] as const;
export type AttemptOutcome = (typeof FOLLOW_UP_OUTCOMES)[number];

export type FollowUpAlertReason = 'attempts-exhausted' | 'wrong-number';

export type FollowUpCommand =
  | { type: 'schedule-attempt'; attempt: number; dueAt: string }
  /** The work-order machine's `record-follow-up` (closes, reopens, or counts an unreachable try). */
  | { type: 'record-on-order'; outcome: OrderFollowUpOutcome }
  /** 重新办理 of a closed order. */
  | { type: 'reopen-order' }
  /** A case with no open order, whose young person needs more help. */
  | { type: 'open-order' }
  | { type: 'alert-supervisors'; reason: FollowUpAlertReason };

export interface OutcomeInput {
  grade: RiskGrade;
  attempt: number;
  /** The series' last attempt number (see `nextDue`); default the grade's maxAttempts. */
  lastAttempt?: number;
  outcome: AttemptOutcome;
  /** Asked when the person was reached: were they satisfied with how the case was handled. */
  satisfied: boolean | null;
  endedAt: Date;
  /** The case's latest order, if any (null: none, or only discarded ones). */
  orderStatus: OrderStatus | null;
}

const OPEN: readonly OrderStatus[] = ['draft', 'dispatched', 'accepted', 'in-progress', 'replied', 'returned', 'reopened'];

export function decideOutcome(input: OutcomeInput, policy: FollowUpPolicy): FollowUpCommand[] {
  const awaiting = input.orderStatus === 'awaiting-follow-up';
  const alert = (reason: FollowUpAlertReason): FollowUpCommand[] => (policy.alertGrades.includes(input.grade) ? [{ type: 'alert-supervisors', reason }] : []);
  switch (input.outcome) {
    case 'reached-safe':
      if (!awaiting) return [];
      return [{ type: 'record-on-order', outcome: input.satisfied === false ? 'not-resolved' : 'resolved' }];
    case 'needs-help':
      if (awaiting) return [{ type: 'record-on-order', outcome: 'not-resolved' }];
      if (input.orderStatus === 'closed') return [{ type: 'reopen-order' }];
      if (input.orderStatus !== null && OPEN.includes(input.orderStatus)) return []; // a centre is on it already
      return [{ type: 'open-order' }];
    case 'not-reached': {
      const next = nextDue(input.grade, input.attempt, input.endedAt, policy, input.lastAttempt);
      if (next) return [{ type: 'schedule-attempt', attempt: next.attempt, dueAt: next.dueAt.toISOString() }];
      return [...(awaiting ? [{ type: 'record-on-order' as const, outcome: 'unreachable' as const }] : []), ...alert('attempts-exhausted')];
    }
    case 'declined':
      return awaiting ? [{ type: 'record-on-order', outcome: 'declined' }] : [];
    case 'wrong-number':
      return [...(awaiting ? [{ type: 'record-on-order' as const, outcome: 'unreachable' as const }] : []), ...alert('wrong-number')];
  }
}

/** Outcomes after which no further attempt is ever made. */
export function endsSeries(outcome: AttemptOutcome): boolean {
  return outcome !== 'not-reached';
}
