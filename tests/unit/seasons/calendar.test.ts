import { describe, expect, it } from 'vitest';
import { isInWindow, isValidTimeZone, localDateTime } from '../../../src/domain/seasons/calendar.ts';

const SH = 'Asia/Shanghai';
const exam = [{ from: '2026-05-25T00:00', to: '2026-06-12T00:00' }];

describe('localDateTime', () => {
  it('gives Shanghai wall time (UTC+8)', () => {
    expect(localDateTime(new Date('2026-05-24T16:00:00Z'), SH)).toBe('2026-05-25T00:00:00');
  });

  it('writes midnight as 00, never 24', () => {
    expect(localDateTime(new Date('2026-01-01T00:00:00Z'), 'UTC')).toBe('2026-01-01T00:00:00');
  });
});

describe('isInWindow', () => {
  it.each([
    ['2026-05-25T00:00:00+08:00', true], // from is inclusive
    ['2026-05-24T23:59:59.999+08:00', false],
    ['2026-06-01T12:00:00+08:00', true],
    ['2026-06-11T23:59:59.999+08:00', true],
    ['2026-06-12T00:00:00+08:00', false], // to is exclusive
    ['2026-06-12T00:00:00.500+08:00', false],
  ])('%s in Shanghai -> %s', (iso, expected) => {
    expect(isInWindow(exam, new Date(iso), SH)).toBe(expected);
  });

  it('reads the window in the given time zone', () => {
    const now = new Date('2026-05-24T20:00:00Z'); // 25 May 04:00 in Shanghai, 24 May in UTC
    expect(isInWindow(exam, now, SH)).toBe(true);
    expect(isInWindow(exam, now, 'UTC')).toBe(false);
  });

  it('matches any of several windows and none of an empty list', () => {
    const windows = [...exam, { from: '2027-05-25T00:00', to: '2027-06-12T00:00' }];
    expect(isInWindow(windows, new Date('2027-06-01T00:00:00+08:00'), SH)).toBe(true);
    expect(isInWindow(windows, new Date('2026-12-01T00:00:00+08:00'), SH)).toBe(false);
    expect(isInWindow([], new Date(), SH)).toBe(false);
  });

  it('handles minute edges', () => {
    const w = [{ from: '2026-06-07T09:00', to: '2026-06-07T11:30' }];
    expect(isInWindow(w, new Date('2026-06-07T08:59:59+08:00'), SH)).toBe(false);
    expect(isInWindow(w, new Date('2026-06-07T11:29:59+08:00'), SH)).toBe(true);
    expect(isInWindow(w, new Date('2026-06-07T11:30:00+08:00'), SH)).toBe(false);
  });
});

describe('isValidTimeZone', () => {
  it('knows IANA zones and rejects nonsense', () => {
    expect(isValidTimeZone(SH)).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});
