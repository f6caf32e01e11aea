import { z } from 'zod';
import type { RiskGrade } from '../domain/cases/risk-grade.ts';
import type { FollowUpPolicy, GradeFollowUp } from '../domain/follow-ups/follow-up-schedule.ts';
import { parseClock } from '../domain/work-orders/working-time.ts';

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:mm');
const minutes = z.number().min(0).max(60 * 24 * 60);

const GradeSchema = z
  .object({
    /** Minutes from the case being saved to the first attempt. */
    firstAfterMinutes: minutes,
    /** Minutes from a failed attempt to the next; the n-th for attempt n+2, the last repeats. */
    retryAfterMinutes: z.array(minutes).min(1),
    maxAttempts: z.number().int().min(1).max(10),
  })
  .strict();

/**
 * Follow-up calls (回访), config/hotline.yaml `followUps`: per grade the first call's delay, the
 * retries and the attempts; the quiet hours (no calls then, except 一级); which grades raise a
 * supervisor alert when the last attempt fails; how often due follow-ups are looked for.
 */
export const FollowUpsSettingsSchema = z
  .object({
    quietHours: z.object({ start: HHMM, end: HHMM }).strict().nullable().default({ start: '21:30', end: '08:30' }),
    grades: z.record(z.enum(['1', '2', '3', '4']), GradeSchema).default({
      1: { firstAfterMinutes: 24 * 60, retryAfterMinutes: [60, 180], maxAttempts: 5 },
      2: { firstAfterMinutes: 48 * 60, retryAfterMinutes: [240, 24 * 60], maxAttempts: 3 },
      3: { firstAfterMinutes: 48 * 60, retryAfterMinutes: [24 * 60], maxAttempts: 2 },
    }),
    alertGrades: z.array(z.number().int().min(1).max(4)).default([1, 2]),
    /** How often due follow-ups are looked for (and their timers rebuilt from the database). */
    sweepEveryMs: z.number().int().min(200).max(3_600_000).default(30_000),
    /** How long one attempt holds its follow-up while it is dialled (a restart: the hold lapses). */
    leaseMs: z.number().int().min(10_000).max(3_600_000).default(10 * 60_000),
  })
  .strict();

export type FollowUpsSettings = z.output<typeof FollowUpsSettingsSchema>;

/** Asia/Shanghai: UTC+8 all year (no daylight saving since 1991). */
const OFFSETS: Record<string, number> = { 'Asia/Shanghai': 480, 'Asia/Hong_Kong': 480, 'Asia/Macau': 480, 'Asia/Taipei': 480, UTC: 0 };

/** The domain's policy from the settings and the hotline's time zone. */
export function followUpPolicy(s: FollowUpsSettings, timezone: string): FollowUpPolicy {
  const offset = OFFSETS[timezone];
  if (offset === undefined) throw new Error(`followUps: time zone ${timezone} is not a fixed-offset zone this service knows`);
  const grades: Partial<Record<RiskGrade, GradeFollowUp>> = {};
  for (const [k, g] of Object.entries(s.grades)) if (g) grades[Number(k) as RiskGrade] = g;
  return {
    utcOffsetMinutes: offset,
    quietHours: s.quietHours ? { start: parseClock(s.quietHours.start), end: parseClock(s.quietHours.end) } : null,
    grades,
    alertGrades: s.alertGrades as RiskGrade[],
  };
}
