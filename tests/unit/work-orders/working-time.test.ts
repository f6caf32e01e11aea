import { describe, expect, it } from 'vitest';
import {
  addWorkingMinutes, isWorkingDate, makeCalendar, NoWorkingTimeError, parseClock, workingDayMinutes, workingMinutesBetween,
} from '../../../src/domain/work-orders/working-time.ts';
import { local, shanghai, wall } from './calendar-fixture.ts';

const add = (from: string, minutes: number) => wall(addWorkingMinutes(local(from), minutes, shanghai));

describe('working days', () => {
  it('counts weekdays, skips weekends and holidays, and works on make-up days', () => {
    expect(isWorkingDate('2026-09-18', shanghai)).toBe(true); // Friday
    expect(isWorkingDate('2026-09-19', shanghai)).toBe(false); // Saturday
    expect(isWorkingDate('2026-09-20', shanghai)).toBe(true); // Sunday, make-up day
    expect(isWorkingDate('2026-10-01', shanghai)).toBe(false); // Thursday, holiday
    expect(isWorkingDate('2026-10-10', shanghai)).toBe(true); // Saturday, make-up day
    expect(isWorkingDate('2026-10-11', shanghai)).toBe(false);
    expect(workingDayMinutes(shanghai)).toBe(420);
  });
});

describe('adding working minutes (Asia/Shanghai)', () => {
  it('reads instants in Shanghai wall time, whatever the UTC date', () => {
    // 2026-03-09T01:30Z is Monday 09:30 in Shanghai.
    expect(addWorkingMinutes(new Date('2026-03-09T01:30:00Z'), 60, shanghai).toISOString()).toBe('2026-03-09T02:30:00.000Z');
    // Sunday 20:00 UTC is Monday 04:00 in Shanghai: counting starts at Monday's opening.
    expect(addWorkingMinutes(new Date('2026-03-08T20:00:00Z'), 30, shanghai).toISOString()).toBe('2026-03-09T01:30:00.000Z');
  });

  it.each([
    ['within a period', '2026-03-09T10:00', 60, '2026-03-09T11:00'],
    ['across the lunch break', '2026-03-09T11:30', 60, '2026-03-09T14:00'],
    ['starting in the lunch break', '2026-03-09T12:30', 30, '2026-03-09T14:00'],
    ['ending exactly at closing', '2026-03-09T16:30', 60, '2026-03-09T17:30'],
    ['past closing, into the next morning', '2026-03-09T17:00', 60, '2026-03-10T09:30'],
    ['after hours', '2026-03-09T20:00', 30, '2026-03-10T09:30'],
    ['before opening', '2026-03-09T06:00', 30, '2026-03-09T09:30'],
    ['across midnight', '2026-03-09T23:59', 1, '2026-03-10T09:01'],
    ['Friday evening to Monday', '2026-03-13T17:00', 60, '2026-03-16T09:30'],
    ['from a Saturday', '2026-03-14T10:00', 10, '2026-03-16T09:10'],
    ['one working day', '2026-03-09T10:00', 420, '2026-03-10T10:00'],
    ['three working days over a weekend', '2026-03-12T15:00', 3 * 420, '2026-03-17T15:00'],
    ['into a make-up Sunday', '2026-09-18T17:00', 60, '2026-09-20T09:30'],
    ['over the National Day holiday', '2026-09-30T17:00', 60, '2026-10-08T09:30'],
    ['through the holiday to the make-up Saturday', '2026-10-09T17:00', 60, '2026-10-10T09:30'],
    ['zero minutes, in hours', '2026-03-09T10:00', 0, '2026-03-09T10:00'],
    ['zero minutes, out of hours', '2026-03-14T10:00', 0, '2026-03-14T10:00'],
  ])('%s', (_name, from, minutes, expected) => {
    expect(add(from, minutes)).toBe(expected);
  });

  it('lands exactly on the working time asked for, and not a minute later than needed (every quarter hour of three weeks, many amounts)', { timeout: 30_000 }, () => {
    const start = local('2026-09-17T00:00').getTime();
    for (let t = start; t < start + 24 * 86_400_000; t += 15 * 60_000) {
      const from = new Date(t);
      for (const minutes of [1, 29, 30, 150, 180, 181, 419, 420, 421, 840, 1260, 2100]) {
        const due = addWorkingMinutes(from, minutes, shanghai);
        expect(workingMinutesBetween(from, due, shanghai), `${wall(from)} + ${minutes}`).toBe(minutes);
        // Minimal: a minute earlier there was not enough working time yet.
        expect(workingMinutesBetween(from, new Date(due.getTime() - 60_000), shanghai)).toBe(minutes - 1);
        expect(due.getTime()).toBeGreaterThan(t);
      }
    }
  });

  it('keeps seconds', () => {
    expect(addWorkingMinutes(new Date('2026-03-09T02:00:30Z'), 0.5, shanghai).toISOString()).toBe('2026-03-09T02:01:00.000Z');
  });

  it('fails with a code when the calendar has no working time', () => {
    const never = makeCalendar({ utcOffsetMinutes: 480, periods: [{ from: '09:00', to: '17:00' }], holidays: [] });
    const allHolidays = { ...never, holidays: new Set(Array.from({ length: 1200 }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10))) };
    expect(() => addWorkingMinutes(local('2026-01-01T10:00'), 10, allHolidays)).toThrow(NoWorkingTimeError);
  });
});

describe('working minutes between two instants', () => {
  it('counts only working periods on working days', () => {
    expect(workingMinutesBetween(local('2026-03-09T08:00'), local('2026-03-09T18:00'), shanghai)).toBe(420);
    expect(workingMinutesBetween(local('2026-03-13T17:00'), local('2026-03-16T09:30'), shanghai)).toBe(60);
    expect(workingMinutesBetween(local('2026-09-30T00:00'), local('2026-10-09T00:00'), shanghai)).toBe(2 * 420);
    expect(workingMinutesBetween(local('2026-03-09T11:00'), local('2026-03-09T10:00'), shanghai)).toBe(0);
  });
});

describe('calendar set-up', () => {
  it('parses times of day and refuses bad ones', () => {
    expect(parseClock('00:00')).toBe(0);
    expect(parseClock('13:30')).toBe(810);
    expect(parseClock('24:00')).toBe(1440);
    for (const bad of ['9:00', '24:30', '12:60', 'noon']) expect(() => parseClock(bad)).toThrow();
  });

  it('refuses overlapping or empty periods and sorts the rest', () => {
    expect(() => makeCalendar({ utcOffsetMinutes: 480, periods: [{ from: '09:00', to: '12:00' }, { from: '11:00', to: '14:00' }] })).toThrow(/overlap/);
    expect(() => makeCalendar({ utcOffsetMinutes: 480, periods: [{ from: '12:00', to: '12:00' }] })).toThrow(/end after/);
    const cal = makeCalendar({ utcOffsetMinutes: 480, periods: [{ from: '14:00', to: '18:00' }, { from: '08:00', to: '12:00' }] });
    expect(cal.periods).toEqual([{ from: 480, to: 720 }, { from: 840, to: 1080 }]);
  });

  it('a round-the-clock calendar open every day counts every minute, weekends and holidays included', () => {
    const always = makeCalendar({ utcOffsetMinutes: 480, periods: [{ from: '00:00', to: '24:00' }], holidays: ['2026-10-01'], everyDay: true });
    expect(wall(addWorkingMinutes(local('2026-03-13T23:00'), 24 * 60, always))).toBe('2026-03-14T23:00');
    expect(wall(addWorkingMinutes(local('2026-09-30T23:00'), 120, always))).toBe('2026-10-01T01:00');
    const weekdaysOnly = makeCalendar({ utcOffsetMinutes: 480, periods: [{ from: '00:00', to: '24:00' }] });
    expect(wall(addWorkingMinutes(local('2026-03-13T23:00'), 120, weekdaysOnly))).toBe('2026-03-16T01:00');
  });
});
