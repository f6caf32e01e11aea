/** Pure formatting helpers: durations, clocks, percentages and caller-number masking. */

/** Whole seconds as `mm:ss` below an hour, `h:mm:ss` from an hour; negatives and NaN read 00:00. */
export function formatDuration(totalSec: number | null | undefined): string {
  if (totalSec === null || totalSec === undefined || !Number.isFinite(totalSec) || totalSec < 0) totalSec = 0;
  const s = Math.floor(totalSec);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(sec)}` : `${pad(m)}:${pad(sec)}`;
}

/** Seconds elapsed from `sinceMs` to `nowMs`, never negative (clocks may disagree slightly). */
export function elapsedSec(sinceMs: number | null | undefined, nowMs: number): number {
  if (sinceMs === null || sinceMs === undefined || !Number.isFinite(sinceMs)) return 0;
  return Math.max(0, Math.floor((nowMs - sinceMs) / 1000));
}

/** A value in seconds as of `fetchedAtMs`, advanced to `nowMs` (queue wait times tick locally). */
export function tickedSec(baseSec: number, fetchedAtMs: number, nowMs: number): number {
  return Math.max(0, Math.floor(baseSec + Math.max(0, nowMs - fetchedAtMs) / 1000));
}

/** Seconds left of a countdown that ends at `endMs`, never negative. */
export function remainingSec(endMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((endMs - nowMs) / 1000));
}

/** A ratio 0..1 as a percentage with at most one decimal; null reads as a dash. */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  const pct = Math.round(ratio * 1000) / 10;
  return `${pct}%`;
}

/** Seconds as a duration, or a dash when unknown. */
export function formatOptionalDuration(sec: number | null | undefined): string {
  return sec === null || sec === undefined || !Number.isFinite(sec) ? '—' : formatDuration(sec);
}

/** An ISO string or epoch milliseconds as milliseconds; NaN when unreadable. */
export function toMs(at: string | number): number {
  return typeof at === 'number' ? at : Date.parse(at);
}

/** Local wall-clock time `HH:MM:SS` (24 h). */
export function formatClock(at: string | number): string {
  const ms = toMs(at);
  if (!Number.isFinite(ms)) return '--:--:--';
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * A caller number fit for the screen. The service masks numbers already; this is a second guard
 * with the same rule (first 3 and last 2 digits kept), so a raw number is never shown.
 */
export function maskForDisplay(number: string | null | undefined, unknown: string): string {
  if (number === null || number === undefined) return unknown;
  const n = number.replace(/\s/g, '');
  if (n === '') return unknown;
  if (n.includes('*')) return n;
  if (n.length <= 4) return '*'.repeat(n.length);
  return n.slice(0, 3) + '*'.repeat(n.length - 5) + n.slice(-2);
}
