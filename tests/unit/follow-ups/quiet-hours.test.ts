import { describe, expect, it } from 'vitest';
import { afterQuietHours, inQuietHours } from '../../../src/domain/follow-ups/quiet-hours.ts';

const SH = 480; // Asia/Shanghai, UTC+8, no daylight saving
const night = { start: 21 * 60 + 30, end: 8 * 60 + 30 }; // 21:30–08:30, across midnight
const lunch = { start: 12 * 60, end: 13 * 60 + 30 }; // within one day
const local = (s: string) => new Date(`${s}+08:00`);

describe('quiet hours in the hotline time zone', () => {
  it('a window across midnight: start inclusive, end exclusive, both sides of midnight', () => {
    expect(inQuietHours(local('2026-06-01T21:29:59'), night, SH)).toBe(false);
    expect(inQuietHours(local('2026-06-01T21:30:00'), night, SH)).toBe(true);
    expect(inQuietHours(local('2026-06-01T23:59:00'), night, SH)).toBe(true);
    expect(inQuietHours(local('2026-06-02T00:00:00'), night, SH)).toBe(true);
    expect(inQuietHours(local('2026-06-02T08:29:00'), night, SH)).toBe(true);
    expect(inQuietHours(local('2026-06-02T08:30:00'), night, SH)).toBe(false);
    expect(inQuietHours(local('2026-06-02T12:00:00'), night, SH)).toBe(false);
  });

  it('a due time in the evening moves to the next morning, one after midnight to the same morning', () => {
    expect(afterQuietHours(local('2026-06-01T22:15:00'), night, SH).toISOString()).toBe(local('2026-06-02T08:30:00').toISOString());
    expect(afterQuietHours(local('2026-06-02T03:00:00'), night, SH).toISOString()).toBe(local('2026-06-02T08:30:00').toISOString());
    expect(afterQuietHours(local('2026-06-01T21:30:00'), night, SH).toISOString()).toBe(local('2026-06-02T08:30:00').toISOString());
  });

  it('the local date, not the UTC date, decides: 00:30 Shanghai is 16:30 UTC the day before', () => {
    const at = new Date('2026-05-31T16:30:00Z'); // 2026-06-01 00:30 in Shanghai
    expect(afterQuietHours(at, night, SH).toISOString()).toBe('2026-06-01T00:30:00.000Z'); // 08:30 Shanghai
  });

  it('across the end of a month and a year', () => {
    expect(afterQuietHours(local('2026-12-31T23:00:00'), night, SH).toISOString()).toBe(local('2027-01-01T08:30:00').toISOString());
    expect(afterQuietHours(local('2028-02-28T22:00:00'), night, SH).toISOString()).toBe(local('2028-02-29T08:30:00').toISOString());
  });

  it('outside the window, or with none, the time stays', () => {
    const at = local('2026-06-01T10:00:00');
    expect(afterQuietHours(at, night, SH)).toBe(at);
    expect(afterQuietHours(local('2026-06-01T22:00:00'), null, SH).toISOString()).toBe(local('2026-06-01T22:00:00').toISOString());
    expect(inQuietHours(at, { start: 600, end: 600 }, SH)).toBe(false);
  });

  it('a window within one day', () => {
    expect(inQuietHours(local('2026-06-01T11:59:00'), lunch, SH)).toBe(false);
    expect(afterQuietHours(local('2026-06-01T12:40:00'), lunch, SH).toISOString()).toBe(local('2026-06-01T13:30:00').toISOString());
    expect(inQuietHours(local('2026-06-01T13:30:00'), lunch, SH)).toBe(false);
  });
});
