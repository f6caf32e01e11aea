/**
 * Reading the analytics filter from a request's query: dates are calendar days (Asia/Shanghai),
 * inclusive; values must be ones the hotline knows. Pure: "today" and the known values are given.
 */

/** Which calls (and their orders and follow-ups) are counted. Days are calendar days in the hotline's time zone. */
export interface AnalyticsFilter {
  /** First day, `YYYY-MM-DD`, inclusive. */
  from: string;
  /** Last day, `YYYY-MM-DD`, inclusive. */
  to: string;
  line?: string;
  team?: string;
  /** A top-level category (`mental-health`) or a subcategory (`mental-health/self-harm`). */
  category?: string;
  grade?: 1 | 2 | 3 | 4;
}

export const MAX_RANGE_DAYS = 731;
const KEYS = ['from', 'to', 'line', 'team', 'category', 'grade', 'period'] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const TEAM = /^[A-Za-z0-9_-]{1,64}$/;

export interface KnownValues {
  lines: readonly string[];
  categories: readonly string[];
}

export type FilterResult =
  | { ok: true; filter: AnalyticsFilter; period: 'day' | 'month' }
  | { ok: false; field: string; message: string };

/** A real calendar day `YYYY-MM-DD` (no 2026-02-30). */
export function isCalendarDay(s: string): boolean {
  if (!DAY.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** The first day of `today`'s month. */
export const monthStart = (today: string): string => `${today.slice(0, 8)}01`;

export function parseAnalyticsFilter(query: Record<string, unknown>, known: KnownValues, today: string): FilterResult {
  const fail = (field: string, message: string): FilterResult => ({ ok: false, field, message });
  for (const key of Object.keys(query)) if (!(KEYS as readonly string[]).includes(key)) return fail(key, 'unknown parameter');
  const text: Partial<Record<(typeof KEYS)[number], string>> = {};
  for (const key of KEYS) {
    const v = query[key];
    if (v === undefined || v === '') continue;
    if (typeof v !== 'string') return fail(key, 'must be given once');
    text[key] = v;
  }
  const from = text.from ?? monthStart(today);
  const to = text.to ?? today;
  if (!isCalendarDay(from)) return fail('from', 'must be a day, YYYY-MM-DD');
  if (!isCalendarDay(to)) return fail('to', 'must be a day, YYYY-MM-DD');
  if (from > to) return fail('from', 'must not be after to');
  if (daysBetween(from, to) > MAX_RANGE_DAYS) return fail('from', `at most ${MAX_RANGE_DAYS} days`);
  const filter: AnalyticsFilter = { from, to };
  if (text.line !== undefined) {
    if (!known.lines.includes(text.line)) return fail('line', 'unknown line');
    filter.line = text.line;
  }
  if (text.team !== undefined) {
    if (!TEAM.test(text.team)) return fail('team', 'must be a team id');
    filter.team = text.team;
  }
  if (text.category !== undefined) {
    if (!known.categories.includes(text.category)) return fail('category', 'unknown category');
    filter.category = text.category;
  }
  if (text.grade !== undefined) {
    if (!/^[1-4]$/.test(text.grade)) return fail('grade', 'must be 1, 2, 3 or 4');
    filter.grade = Number(text.grade) as 1 | 2 | 3 | 4;
  }
  if (text.period !== undefined && text.period !== 'day' && text.period !== 'month') return fail('period', 'must be day or month');
  return { ok: true, filter, period: text.period === 'month' ? 'month' : 'day' };
}
