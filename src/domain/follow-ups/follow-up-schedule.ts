/**
 * When follow-up calls (回访) are due, from the case's grade: the first call a configured time
 * after the case was saved, each further attempt a configured time after the last one ended, at
 * most `maxAttempts` in all; a time inside the quiet hours moves to their end, except for 一级.
 * Pure: the policy comes from config (config/hotline.yaml `followUps`).
 */
import type { RiskGrade } from '../cases/risk-grade.ts';
import { afterQuietHours, inQuietHours, type QuietHours } from './quiet-hours.ts';

const MINUTE = 60_000;

export interface GradeFollowUp {
  /** Minutes from the case being saved to the first attempt. */
  firstAfterMinutes: number;
  /** Minutes from an attempt's end to the next; the n-th entry for attempt n+2, the last repeats. */
  retryAfterMinutes: readonly number[];
  maxAttempts: number;
}

export interface FollowUpPolicy {
  utcOffsetMinutes: number;
  quietHours: QuietHours | null;
  /** Grades that get a follow-up when the caller consented (a grade left out gets none). */
  grades: Partial<Record<RiskGrade, GradeFollowUp>>;
  /** Grades whose last failed attempt raises a supervisor alert instead of ending quietly. */
  alertGrades: readonly RiskGrade[];
}

/** What a saved case needs to know to get a follow-up. */
export interface FollowUpCandidate {
  grade: RiskGrade | null;
  consented: boolean;
  /** The call was escalated to 110: a 一级 case is followed up even without consent. */
  escalated: boolean;
}

/** Whether a saved case gets a follow-up: with consent and a configured grade, or escalated 一级. */
export function wantsFollowUp(c: FollowUpCandidate, policy: FollowUpPolicy): boolean {
  if (c.grade === null || !policy.grades[c.grade]) return false;
  return c.consented || (c.grade === 1 && c.escalated);
}

/** Quiet hours apply to every grade but 一级. */
function placed(at: Date, grade: RiskGrade, policy: FollowUpPolicy): Date {
  return grade === 1 ? at : afterQuietHours(at, policy.quietHours, policy.utcOffsetMinutes);
}

/** The first attempt's due time, or null when the grade gets no follow-up. */
export function firstDue(grade: RiskGrade, savedAt: Date, policy: FollowUpPolicy): Date | null {
  const g = policy.grades[grade];
  if (!g) return null;
  return placed(new Date(savedAt.getTime() + g.firstAfterMinutes * MINUTE), grade, policy);
}

/**
 * The next attempt after `attempt` ended at `endedAt`, or null when it was the last one. A series
 * started later in a case's life (a work order waiting for its follow-up) numbers its attempts on
 * from the earlier ones: `lastAttempt` is the series' last attempt number (default: the grade's
 * `maxAttempts`, a series starting at 1).
 */
export function nextDue(grade: RiskGrade, attempt: number, endedAt: Date, policy: FollowUpPolicy, lastAttempt?: number): { attempt: number; dueAt: Date } | null {
  const g = policy.grades[grade];
  const last = lastAttempt ?? g?.maxAttempts ?? 0;
  if (!g || attempt >= last) return null;
  const delays = g.retryAfterMinutes;
  const inSeries = Math.max(1, attempt - (last - g.maxAttempts));
  const minutes = delays[Math.min(inSeries - 1, delays.length - 1)] ?? g.firstAfterMinutes;
  return { attempt: attempt + 1, dueAt: placed(new Date(endedAt.getTime() + minutes * MINUTE), grade, policy) };
}

/** Whether a due attempt may be dialled at `now`: never in the quiet hours, except for 一级 (an attempt left waiting for a free counsellor waits for the morning). */
export function mayCallNow(grade: RiskGrade, now: Date, policy: FollowUpPolicy): boolean {
  return grade === 1 || !inQuietHours(now, policy.quietHours, policy.utcOffsetMinutes);
}

export function maxAttempts(grade: RiskGrade, policy: FollowUpPolicy): number {
  return policy.grades[grade]?.maxAttempts ?? 0;
}
