import { describe, expect, it } from 'vitest';
import {
  elapsedSec,
  formatClock,
  formatDuration,
  formatOptionalDuration,
  formatPercent,
  maskForDisplay,
  remainingSec,
  tickedSec,
  toMs,
} from '../../../web/src/shared/format.ts';

describe('formatDuration', () => {
  it.each([
    [0, '00:00'],
    [5, '00:05'],
    [59.9, '00:59'],
    [60, '01:00'],
    [754, '12:34'],
    [3599, '59:59'],
    [3600, '1:00:00'],
    [36_061, '10:01:01'],
  ])('%s s reads %s', (sec, text) => expect(formatDuration(sec)).toBe(text));

  it('reads nonsense as zero', () => {
    for (const v of [-5, Number.NaN, Number.POSITIVE_INFINITY, null, undefined]) expect(formatDuration(v)).toBe('00:00');
  });
});

describe('clocks', () => {
  const now = 1_700_000_100_000;
  it('counts elapsed whole seconds, never negative', () => {
    expect(elapsedSec(now - 61_500, now)).toBe(61);
    expect(elapsedSec(now + 2_000, now)).toBe(0);
    expect(elapsedSec(null, now)).toBe(0);
  });
  it('ticks a fetched value on', () => {
    expect(tickedSec(42, now - 3_000, now)).toBe(45);
    expect(tickedSec(42, now + 3_000, now)).toBe(42);
  });
  it('counts down to an end time, rounding up', () => {
    expect(remainingSec(now + 29_100, now)).toBe(30);
    expect(remainingSec(now - 1, now)).toBe(0);
  });
  it('reads ISO strings and milliseconds', () => {
    expect(toMs(now)).toBe(now);
    expect(toMs(new Date(now).toISOString())).toBe(now);
    expect(formatClock('not a date')).toBe('--:--:--');
    expect(formatClock(now)).toMatch(/^\d{2}:\d{2}:\d{2}$/);
  });
});

describe('formatPercent and optional durations', () => {
  it('shows one decimal at most, a dash when unknown', () => {
    expect(formatPercent(0.853)).toBe('85.3%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(null)).toBe('—');
    expect(formatOptionalDuration(null)).toBe('—');
    expect(formatOptionalDuration(75)).toBe('01:15');
  });
});

describe('maskForDisplay', () => {
  it('passes numbers the service masked already', () => {
    expect(maskForDisplay('138******00', '未知')).toBe('138******00');
  });
  it('masks a raw number with the service rule (first 3, last 2)', () => {
    expect(maskForDisplay('13812345600', '未知')).toBe('138******00');
    expect(maskForDisplay('020 8888 1234', '未知')).toBe('020******34');
    expect(maskForDisplay('1234', '未知')).toBe('****');
  });
  it('never shows a raw digit run longer than five', () => {
    for (const n of ['13800138000', '8613800138000', '02012345678', '12345']) {
      expect(maskForDisplay(n, '?')).not.toMatch(/\d{6,}/);
      expect(maskForDisplay(n, '?').replace(/\*/g, '').length).toBeLessThanOrEqual(5);
    }
  });
  it('names a missing number', () => {
    expect(maskForDisplay(null, '未知号码')).toBe('未知号码');
    expect(maskForDisplay('', '未知号码')).toBe('未知号码');
  });
});
