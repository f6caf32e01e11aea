import type { DeadlineRules } from '../../../src/domain/work-orders/deadlines.ts';
import { makeCalendar } from '../../../src/domain/work-orders/working-time.ts';
import { shanghai } from './calendar-fixture.ts';

/** 一级 the same day by the clock; the others in working time, as in config/cases.yaml. */
export const rules: DeadlineRules = {
  grades: {
    1: { accept: { minutes: 30 }, reply: { minutes: 24 * 60 }, secondLevelAfter: { minutes: 60 } },
    2: { accept: { workingHours: 2 }, reply: { workingDays: 1 }, secondLevelAfter: { workingHours: 2 } },
    3: { accept: { workingDays: 1 }, reply: { workingDays: 3 }, secondLevelAfter: { workingDays: 1 } },
    4: { accept: { workingDays: 2 }, reply: { workingDays: 13 }, secondLevelAfter: { workingDays: 1 } },
  },
  remindAtFraction: 0.75,
  calendarFor: (centreId) =>
    centreId === 'night-centre'
      ? makeCalendar({ utcOffsetMinutes: 480, periods: [{ from: '00:00', to: '24:00' }], everyDay: true })
      : shanghai,
};
