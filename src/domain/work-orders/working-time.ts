/**
 * Working-time arithmetic for deadlines (时限): weekends, public holidays, make-up working days
 * (调休) and working periods within a day (e.g. 09:00–12:00 and 13:30–17:30). Pure.
 *
 * Local time is UTC plus a fixed offset: the hotline runs on Asia/Shanghai, which has had no
 * daylight saving since 1991, so wall time is exactly UTC+8 and no time-zone library is needed.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;
/** A calendar with no working time at all would loop forever; three years is more than any deadline. */
const MAX_DAYS = 3 * 366;

/** `HH:mm`–`HH:mm` of one working period, as minutes after local midnight; `to` exclusive. */
export interface WorkingPeriod {
  from: number;
  to: number;
}

export interface WorkingCalendar {
  utcOffsetMinutes: number;
  /** Sorted, non-overlapping periods of a working day. */
  periods: readonly WorkingPeriod[];
  /** Local dates (`YYYY-MM-DD`) that are days off although they are weekdays (holidays). */
  holidays: ReadonlySet<string>;
  /** Local dates that are working days although they fall on a weekend (调休 make-up days). */
  workdays: ReadonlySet<string>;
  /** Open every day of the year (a 24/7 duty desk): weekends and holidays count. */
  everyDay: boolean;
}

export class NoWorkingTimeError extends Error {
  readonly code = 'no-working-time';
  constructor() {
    super('the working calendar has no working time in the next three years');
  }
}

/** `HH:mm` → minutes after midnight (`24:00` allowed as the end of the day). */
export function parseClock(hhmm: string): number {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(hhmm);
  if (!m || (m[1] === '24' && m[2] !== '00')) throw new Error(`not a time of day: ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export function makeCalendar(input: {
  utcOffsetMinutes: number;
  periods: ReadonlyArray<{ from: string; to: string }>;
  holidays?: readonly string[];
  workdays?: readonly string[];
  everyDay?: boolean;
}): WorkingCalendar {
  const periods = input.periods.map((p) => ({ from: parseClock(p.from), to: parseClock(p.to) })).sort((a, b) => a.from - b.from);
  periods.forEach((p, i) => {
    const prev = periods[i - 1];
    if (p.to <= p.from) throw new Error('a working period must end after it starts');
    if (prev && p.from < prev.to) throw new Error('working periods overlap');
  });
  return {
    utcOffsetMinutes: input.utcOffsetMinutes, periods, holidays: new Set(input.holidays ?? []), workdays: new Set(input.workdays ?? []),
    everyDay: input.everyDay ?? false,
  };
}

const dayIndexOf = (localMs: number) => Math.floor(localMs / DAY);
const dateOf = (dayIndex: number) => new Date(dayIndex * DAY).toISOString().slice(0, 10);

/** True when the local date `YYYY-MM-DD` is a working day in `cal`. */
export function isWorkingDate(date: string, cal: WorkingCalendar): boolean {
  if (cal.everyDay || cal.workdays.has(date)) return true;
  if (cal.holidays.has(date)) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

function isWorkingDay(dayIndex: number, cal: WorkingCalendar): boolean {
  return isWorkingDate(dateOf(dayIndex), cal);
}

/**
 * The instant `minutes` of working time after `from`. Time before opening, after closing, on
 * weekends and holidays does not count; a deadline that uses up a period exactly ends at the
 * period's close (17:30), not at the next opening. Zero minutes is `from` itself.
 */
export function addWorkingMinutes(from: Date, minutes: number, cal: WorkingCalendar): Date {
  const offset = cal.utcOffsetMinutes * MINUTE;
  let remaining = Math.round(minutes * MINUTE);
  if (remaining <= 0) return new Date(from.getTime());
  const local = from.getTime() + offset;
  let day = dayIndexOf(local);
  let cursor = local - day * DAY;
  for (let i = 0; i < MAX_DAYS; i++, day++, cursor = 0) {
    if (!isWorkingDay(day, cal)) continue;
    for (const p of cal.periods) {
      const start = Math.max(p.from * MINUTE, cursor);
      const end = p.to * MINUTE;
      if (start >= end) continue;
      if (remaining <= end - start) return new Date(day * DAY + start + remaining - offset);
      remaining -= end - start;
    }
  }
  throw new NoWorkingTimeError();
}

/** Working minutes in [from, to); 0 when `to` is not after `from`. */
export function workingMinutesBetween(from: Date, to: Date, cal: WorkingCalendar): number {
  const offset = cal.utcOffsetMinutes * MINUTE;
  const a = from.getTime() + offset;
  const b = to.getTime() + offset;
  if (b <= a) return 0;
  let total = 0;
  for (let day = dayIndexOf(a); day * DAY < b; day++) {
    if (!isWorkingDay(day, cal)) continue;
    for (const p of cal.periods) {
      const start = Math.max(day * DAY + p.from * MINUTE, a);
      const end = Math.min(day * DAY + p.to * MINUTE, b);
      if (end > start) total += end - start;
    }
  }
  return total / MINUTE;
}

/** Working minutes in one full working day of `cal`. */
export function workingDayMinutes(cal: WorkingCalendar): number {
  return cal.periods.reduce((sum, p) => sum + p.to - p.from, 0);
}
