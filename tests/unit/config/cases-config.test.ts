import { join } from 'node:path';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { loadCasesConfig, parseCasesConfig, type CasesConfigSchema } from '../../../src/config/cases-config.ts';
import { ConfigError } from '../../../src/config/config-error.ts';
import { leafCodes } from '../../../src/domain/cases/categories.ts';
import { ORDER_STATUSES } from '../../../src/domain/work-orders/order-types.ts';
import { EVENT_RULES } from '../../../src/domain/work-orders/order-rules.ts';

const PATH = join(import.meta.dirname, '../../../config/cases.yaml');
type Raw = z.input<typeof CasesConfigSchema>;
const raw = () => parse(readFileSync(PATH, 'utf8')) as Raw;

function settingOf(mutate: (r: Raw) => void): string {
  const r = raw();
  mutate(r);
  try {
    parseCasesConfig(r);
  } catch (err) {
    if (err instanceof ConfigError) return err.setting;
    throw err;
  }
  return 'accepted';
}

describe('config/cases.yaml', () => {
  const cases = loadCasesConfig(PATH);

  it('loads the category tree of the issue, in Chinese', () => {
    expect(cases.categories.map((c) => c.label)).toEqual(['人际关系', '恋爱情感', '就业创业', '学业与考试压力', '家庭关系', '心理健康', '法律权益', '生活困难', '其他']);
    expect(leafCodes(cases.categories)).toContain('mental-health/self-harm');
    expect(leafCodes(cases.categories)).toContain('legal/bullying');
  });

  it('has four grades with deadlines, 一级 by the clock, and orders for 一级 and 二级', () => {
    expect(cases.grades[1]).toMatchObject({ label: '一级（紧急危险）', accept: { minutes: 30 } });
    expect(cases.grades[3].reply).toEqual({ workingDays: 3 });
    expect(cases.grades[4].reply).toEqual({ workingDays: 13 });
    expect(cases.autoOrderGrades).toEqual([1, 2]);
  });

  it('knows the 2026 holidays and make-up days', () => {
    const { holidays, workdays } = cases.workingTime;
    for (const d of ['2026-01-01', '2026-02-17', '2026-04-06', '2026-05-05', '2026-06-19', '2026-09-25', '2026-10-07']) expect(holidays).toContain(d);
    expect(workdays.filter((d) => d.startsWith('2026'))).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    expect(holidays.some((d) => d.startsWith('2027'))).toBe(true);
  });

  it('labels every order status and event in Chinese', () => {
    expect(Object.keys(cases.labels.orderStatus)).toEqual([...ORDER_STATUSES]);
    expect(Object.keys(cases.labels.orderEvent).sort()).toEqual(['create', ...Object.keys(EVENT_RULES)].sort());
    expect(cases.labels.orderStatus.closed).toBe('已办结');
  });

  it.each([
    ['another time zone', (r: Raw) => { r.timezone = 'Europe/Paris' as never; }, 'timezone'],
    ['a bad time of day', (r: Raw) => { r.workingTime.periods[0]!.from = '9:00'; }, 'workingTime.periods.0.from'],
    ['overlapping periods', (r: Raw) => { r.workingTime.periods[1]!.from = '11:00'; }, 'workingTime.periods'],
    ['a make-up day on a weekday', (r: Raw) => { r.workingTime.workdays?.push('2026-03-11'); }, 'workingTime.workdays.11'],
    ['a date that does not exist', (r: Raw) => { r.workingTime.holidays?.splice(0, 1, '2026-02-30'); }, 'workingTime.holidays.0'],
    ['a duplicate category', (r: Raw) => { r.categories.push({ id: 'romance', label: 'x' }); }, 'categories.9.id'],
    ['a grade without a reply time', (r: Raw) => { delete (r.grades[2] as { reply?: unknown }).reply; }, 'grades.2.reply'],
    ['a time in weeks', (r: Raw) => { r.grades[3].accept = { weeks: 1 } as never; }, 'grades.3.accept'],
    ['一级 without an automatic order', (r: Raw) => { r.autoOrderGrades = [2]; }, 'autoOrderGrades'],
    ['a reminder after the deadline', (r: Raw) => { r.reminders.atFraction = 1.2; }, 'reminders.atFraction'],
    ['a status without a label', (r: Raw) => { delete (r.labels.orderStatus as Partial<Record<string, string>>).reopened; }, 'labels.orderStatus.reopened'],
    ['an unknown setting', (r: Raw) => { Object.assign(r, { grade: {} }); }, ''],
  ])('refuses %s, naming the setting', (_name, mutate, setting) => {
    expect(settingOf(mutate)).toBe(setting);
  });

  it('names an unreadable file', () => {
    expect(() => loadCasesConfig('/nonexistent/cases.yaml')).toThrow(/cannot read/);
  });
});
