/**
 * Seasons as local date-time windows. Pure: the clock and time zone are arguments.
 * Windows are written in the hotline's wall time (e.g. Asia/Shanghai) because that is how
 * operators think about exam dates; we compare wall-time strings, so no date library is needed.
 */

/** A local date-time window, `YYYY-MM-DDTHH:mm`; `from` inclusive, `to` exclusive. */
export interface DateWindow {
  from: string;
  to: string;
}

/** Formatters are costly to build; one per time zone is enough. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23', // avoid "24:00" at midnight
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** `now` as wall time in `timeZone`, formatted `YYYY-MM-DDTHH:mm:ss` (sortable as a string). */
export function localDateTime(now: Date, timeZone: string): string {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(now)) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

/** Pads `YYYY-MM-DDTHH:mm` to seconds so it compares with `localDateTime` output. */
function withSeconds(local: string): string {
  return local.length === 16 ? `${local}:00` : local;
}

/** True when `now`, seen in `timeZone`, falls in any window (from inclusive, to exclusive). */
export function isInWindow(windows: readonly DateWindow[], now: Date, timeZone: string): boolean {
  const local = localDateTime(now, timeZone);
  return windows.some((w) => withSeconds(w.from) <= local && local < withSeconds(w.to));
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
