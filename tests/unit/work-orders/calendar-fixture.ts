import { makeCalendar } from '../../../src/domain/work-orders/working-time.ts';

/** Shanghai working time with a lunch break, the 2026 National Day holiday and its make-up days. */
export const shanghai = makeCalendar({
  utcOffsetMinutes: 480,
  periods: [{ from: '09:00', to: '12:00' }, { from: '13:30', to: '17:30' }],
  holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
  workdays: ['2026-09-20', '2026-10-10'],
});

/** A local Shanghai wall time `YYYY-MM-DDTHH:mm` as a Date. */
export const local = (wall: string): Date => new Date(`${wall}:00+08:00`);

/** A Date as Shanghai wall time `YYYY-MM-DDTHH:mm`. */
export const wall = (d: Date): string => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16);
