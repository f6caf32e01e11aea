/**
 * The timers of one running deadline (催办 → 督办 → 二级督办) as jobs with deterministic ids, so
 * that scheduling the same deadline twice (a retried outbox message, a reconcile after Redis lost
 * its data) never makes a second job. Pure.
 */
import type { DeadlineKind, DeadlinePlan } from './deadlines.ts';

export type TimerEventType = 'deadline-reminder' | 'deadline-missed' | 'second-level-supervision';

/** What a timer sends to its order when it fires: it names the deadline it was set for. */
export interface TimerFiring {
  orderId: string;
  type: TimerEventType;
  kind: DeadlineKind;
  dueAt: string;
}

export interface TimerJob {
  /** `wo-<order>-<kind>-<due ms>-<step>`: the same deadline always gives the same ids. */
  id: string;
  fireAt: string;
  firing: TimerFiring;
}

/** How far the deadline got already (as on the order): steps done are not scheduled again. */
export interface DeadlineProgress {
  reminded?: boolean;
  supervision?: 0 | 1 | 2;
}

const STEPS: ReadonlyArray<{ type: TimerEventType; step: string; at: (d: DeadlinePlan) => string }> = [
  { type: 'deadline-reminder', step: 'remind', at: (d) => d.remindAt },
  { type: 'deadline-missed', step: 'missed', at: (d) => d.dueAt },
  { type: 'second-level-supervision', step: 'second', at: (d) => d.secondLevelAt },
];

/** BullMQ ids may not contain ':' and must not be plain integers; order ids are free text. */
function safe(part: string): string {
  return part.replace(/[^A-Za-z0-9_.-]/g, (c) => `_${c.charCodeAt(0).toString(16)}`);
}

export function timerJobId(orderId: string, kind: DeadlineKind, dueAt: string, type: TimerEventType): string {
  const step = STEPS.find((s) => s.type === type)?.step ?? type;
  return `wo-${safe(orderId)}-${kind}-${new Date(dueAt).getTime()}-${step}`;
}

/** The jobs still to come for `deadline`, skipping the steps the order has already taken. */
export function timerJobs(orderId: string, deadline: DeadlinePlan & DeadlineProgress): TimerJob[] {
  const supervision = deadline.supervision ?? 0;
  const done = (type: TimerEventType) =>
    (type === 'deadline-reminder' && (deadline.reminded === true || supervision > 0))
    || (type === 'deadline-missed' && supervision >= 1)
    || (type === 'second-level-supervision' && supervision >= 2);
  return STEPS.filter((s) => !done(s.type)).map((s) => ({
    id: timerJobId(orderId, deadline.kind, deadline.dueAt, s.type),
    fireAt: s.at(deadline),
    firing: { orderId, type: s.type, kind: deadline.kind, dueAt: deadline.dueAt },
  }));
}

/** Every job id a deadline can have (to cancel it). */
export function allTimerJobIds(orderId: string, kind: DeadlineKind, dueAt: string): string[] {
  return STEPS.map((s) => timerJobId(orderId, kind, dueAt, s.type));
}

/** Milliseconds until `fireAt` (0 when due or past). */
export function delayUntil(fireAt: string, now: Date): number {
  return Math.max(0, new Date(fireAt).getTime() - now.getTime());
}
