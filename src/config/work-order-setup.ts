/**
 * Turns the validated cases and centres configs into what the pure domain asks for: the category
 * tree, centre profiles, working calendars, deadline rules and the order machine's context.
 */
import type { CallerArea, CaseRules } from '../domain/cases/case-form.ts';
import type { CategoryTree } from '../domain/cases/categories.ts';
import type { CallRiskFacts } from '../domain/cases/risk-grade.ts';
import type { CentreProfile } from '../domain/work-orders/centre-proposal.ts';
import { planDeadline, type DeadlineRules } from '../domain/work-orders/deadlines.ts';
import type { OrderContext } from '../domain/work-orders/order-types.ts';
import { makeCalendar, type WorkingCalendar } from '../domain/work-orders/working-time.ts';
import type { CasesConfig } from './cases-config.ts';
import type { CentresConfig } from './centres-config.ts';

/** Asia/Shanghai is UTC+8 all year (no daylight saving since 1991). */
const SHANGHAI_OFFSET_MINUTES = 480;

export function categoryTree(cases: CasesConfig): CategoryTree {
  return cases.categories.map((c) => ({ id: c.id, label: c.label, children: c.children.map((k) => ({ id: k.id, label: k.label })) }));
}

export function centreProfiles(centres: CentresConfig): CentreProfile[] {
  return centres.centres.map((c) => ({ id: c.id, level: c.level, city: c.city, county: c.county, categories: c.categories }));
}

export function isKnownArea(cases: CasesConfig): (area: CallerArea) => boolean {
  return (area) => {
    const counties = cases.areas[area.city];
    return counties !== undefined && (area.county === null || counties.includes(area.county));
  };
}

export function caseRules(cases: CasesConfig, facts: CallRiskFacts): CaseRules {
  return { categories: categoryTree(cases), facts, autoOrderGrades: cases.autoOrderGrades, summaryMaxLength: cases.summaryMaxLength, isKnownArea: isKnownArea(cases) };
}

/** One calendar per centre: its own hours (or the default), the shared holidays and make-up days. */
export function centreCalendars(cases: CasesConfig, centres: CentresConfig): Map<string, WorkingCalendar> {
  const shared = { utcOffsetMinutes: SHANGHAI_OFFSET_MINUTES, holidays: cases.workingTime.holidays, workdays: cases.workingTime.workdays };
  const calendars = new Map<string, WorkingCalendar>();
  for (const c of centres.centres) {
    calendars.set(c.id, makeCalendar({ ...shared, periods: c.workingHours?.periods ?? cases.workingTime.periods, everyDay: c.workingHours?.everyDay ?? false }));
  }
  return calendars;
}

export function deadlineRules(cases: CasesConfig, centres: CentresConfig): DeadlineRules {
  const calendars = centreCalendars(cases, centres);
  const fallback = makeCalendar({ utcOffsetMinutes: SHANGHAI_OFFSET_MINUTES, periods: cases.workingTime.periods, holidays: cases.workingTime.holidays, workdays: cases.workingTime.workdays });
  const g = cases.grades;
  return {
    grades: { 1: g[1], 2: g[2], 3: g[3], 4: g[4] },
    remindAtFraction: cases.reminders.atFraction,
    calendarFor: (centreId) => calendars.get(centreId) ?? fallback,
  };
}

export function orderContext(cases: CasesConfig, centres: CentresConfig): OrderContext {
  const rules = deadlineRules(cases, centres);
  const ids = new Set(centres.centres.map((c) => c.id));
  return { planDeadline: (kind, grade, centreId, from) => planDeadline(rules, kind, grade, centreId, from), centreExists: (id) => ids.has(id) };
}

/** The centre a staff account belongs to (role `centre` is scoped to it), or null. */
export function centreOfStaff(centres: CentresConfig, staffId: string): string | null {
  return centres.centres.find((c) => c.staff.includes(staffId))?.id ?? null;
}
