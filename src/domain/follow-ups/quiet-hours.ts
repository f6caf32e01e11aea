/**
 * Quiet hours (e.g. 21:30–08:30 local): no follow-up call (回访) is made then, except for 一级
 * cases. Pure arithmetic on a fixed UTC offset: the hotline runs on Asia/Shanghai, which has no
 * daylight saving, so local wall time is exactly UTC+8 (see working-time.ts).
 */

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Start and end as minutes after local midnight; `start > end` crosses midnight. Equal: none. */
export interface QuietHours {
  start: number;
  end: number;
}

/** Minutes after local midnight of `at`. */
function localMinute(at: Date, utcOffsetMinutes: number): number {
  const local = at.getTime() + utcOffsetMinutes * MINUTE;
  return Math.floor((((local % DAY) + DAY) % DAY) / MINUTE);
}

/** Whether `at` falls inside the quiet hours (start inclusive, end exclusive). */
export function inQuietHours(at: Date, quiet: QuietHours | null, utcOffsetMinutes: number): boolean {
  if (!quiet || quiet.start === quiet.end) return false;
  const m = localMinute(at, utcOffsetMinutes);
  return quiet.start < quiet.end ? m >= quiet.start && m < quiet.end : m >= quiet.start || m < quiet.end;
}

/** `at` itself when outside the quiet hours, else the end of the quiet period it falls in. */
export function afterQuietHours(at: Date, quiet: QuietHours | null, utcOffsetMinutes: number): Date {
  if (!quiet || !inQuietHours(at, quiet, utcOffsetMinutes)) return at;
  const local = at.getTime() + utcOffsetMinutes * MINUTE;
  const midnight = local - (((local % DAY) + DAY) % DAY);
  const m = localMinute(at, utcOffsetMinutes);
  // Before the end on this local day (the morning part, or a same-day window): it ends today; else tomorrow.
  const endDay = m < quiet.end ? midnight : midnight + DAY;
  return new Date(endDay + quiet.end * MINUTE - utcOffsetMinutes * MINUTE);
}
