/**
 * What a waiting caller hears between stretches of hold music: their position and an
 * estimated wait, as a list of prompt ids. Pure, so every wording branch is a unit test.
 */

/** Prompt ids that speak a number from 0 to 99 in Chinese (二十三 = 2, 10, 3). */
export function numberPrompts(n: number): string[] {
  const v = Math.max(0, Math.min(99, Math.floor(n)));
  if (v < 10) return [`digit_${v}`];
  const tens = Math.floor(v / 10);
  const ones = v % 10;
  return [...(tens > 1 ? [`digit_${tens}`] : []), 'digit_10', ...(ones > 0 ? [`digit_${ones}`] : [])];
}

/**
 * Minutes a caller at `position` (1 = next) can expect to wait: the callers ahead of them share
 * the counsellors who can take them, each call lasting about `averageHandleMs`.
 */
export function estimateWaitMinutes(position: number, staffed: number, averageHandleMs: number): number {
  const ahead = Math.max(0, position - 1);
  const minutes = Math.ceil(((ahead + 1) * averageHandleMs) / Math.max(1, staffed) / 60_000);
  return Math.max(1, minutes);
}

export function positionAnnouncement(position: number, staffed: number, averageHandleMs: number): string[] {
  const ahead = Math.max(0, position - 1);
  return [
    'queue_position_prefix', ...numberPrompts(ahead), 'queue_position_suffix',
    'queue_wait_minutes', ...numberPrompts(estimateWaitMinutes(position, staffed, averageHandleMs)), 'queue_wait_minutes_suffix',
  ];
}
