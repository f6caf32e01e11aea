/**
 * Deadlines of a work order (时限): each grade has a time to accept (签收) and a time to reply
 * (回复). A reminder (催办) goes out when a share of the time is used up, a missed deadline raises
 * a supervision alert (督办), and a second level follows after a further interval. Pure.
 */
import type { RiskGrade } from '../cases/risk-grade.ts';
import { addWorkingMinutes, workingDayMinutes, type WorkingCalendar } from './working-time.ts';

export type DeadlineKind = 'accept' | 'reply';

/** Elapsed minutes (emergencies: the clock never stops), or working time. */
export type TimeAllowed = { minutes: number } | { workingHours: number } | { workingDays: number };

export interface GradeDeadlines {
  accept: TimeAllowed;
  reply: TimeAllowed;
  /** From a missed deadline to the second level of supervision (an emergency's is short). */
  secondLevelAfter: TimeAllowed;
}

export interface DeadlineRules {
  grades: Record<RiskGrade, GradeDeadlines>;
  /** Share of the time allowed after which the reminder goes out (0.75: three quarters used). */
  remindAtFraction: number;
  /** The working calendar of a centre (its own working hours, the shared holidays). */
  calendarFor(centreId: string): WorkingCalendar;
}

/** One deadline as planned: all instants are UTC ISO strings. */
export interface DeadlinePlan {
  kind: DeadlineKind;
  dueAt: string;
  remindAt: string;
  secondLevelAt: string;
}

function add(from: Date, allowed: TimeAllowed, fraction: number, cal: WorkingCalendar): Date {
  if ('minutes' in allowed) return new Date(from.getTime() + Math.round(allowed.minutes * fraction * 60_000));
  const minutes = 'workingHours' in allowed ? allowed.workingHours * 60 : allowed.workingDays * workingDayMinutes(cal);
  return addWorkingMinutes(from, minutes * fraction, cal);
}

/** The deadline of `kind` for an order of `grade` at `centreId`, starting `from`. */
export function planDeadline(rules: DeadlineRules, kind: DeadlineKind, grade: RiskGrade, centreId: string, from: Date): DeadlinePlan {
  const cal = rules.calendarFor(centreId);
  const { [kind]: allowed, secondLevelAfter } = rules.grades[grade];
  const due = add(from, allowed, 1, cal);
  return {
    kind,
    dueAt: due.toISOString(),
    remindAt: add(from, allowed, rules.remindAtFraction, cal).toISOString(),
    secondLevelAt: add(due, secondLevelAfter, 1, cal).toISOString(),
  };
}
