import { describe, expect, it } from 'vitest';
import { MAX_RANGE_DAYS, parseAnalyticsFilter } from '../../../src/domain/analytics/filter.ts';

const known = { lines: ['main', 'exam'], categories: ['mental-health', 'mental-health/self-harm', 'romance'] };
const TODAY = '2026-03-17';
const parse = (q: Record<string, unknown>) => parseAnalyticsFilter(q, known, TODAY);

describe('the analytics filter', () => {
  it('defaults to this month so far, answer figures per day', () => {
    expect(parse({})).toEqual({ ok: true, filter: { from: '2026-03-01', to: '2026-03-17' }, period: 'day' });
  });

  it('takes every filter', () => {
    expect(parse({ from: '2026-01-01', to: '2026-02-28', line: 'exam', team: 'gz-1', category: 'mental-health/self-harm', grade: '2', period: 'month' })).toEqual({
      ok: true, filter: { from: '2026-01-01', to: '2026-02-28', line: 'exam', team: 'gz-1', category: 'mental-health/self-harm', grade: 2 }, period: 'month',
    });
  });

  it('treats an empty value as not given', () => {
    expect(parse({ line: '', grade: '' })).toMatchObject({ ok: true, filter: { from: '2026-03-01', to: '2026-03-17' } });
  });

  it.each([
    [{ from: '2026-02-30' }, 'from'],
    [{ from: '2026-3-1' }, 'from'],
    [{ to: 'today' }, 'to'],
    [{ from: '2026-03-10', to: '2026-03-09' }, 'from'],
    [{ from: '2020-01-01', to: '2026-01-01' }, 'from'],
    [{ line: 'other' }, 'line'],
    [{ team: 'a b' }, 'team'],
    [{ team: 'x'.repeat(65) }, 'team'],
    [{ category: 'mental' }, 'category'],
    [{ grade: '5' }, 'grade'],
    [{ grade: '1.0' }, 'grade'],
    [{ period: 'week' }, 'period'],
    [{ line: ['main', 'exam'] }, 'line'],
    [{ caller: '13800138000' }, 'caller'],
  ])('refuses %j (%s)', (query, field) => {
    expect(parse(query)).toMatchObject({ ok: false, field });
  });

  it(`allows up to ${MAX_RANGE_DAYS} days`, () => {
    expect(parse({ from: '2025-01-01', to: '2026-12-31' })).toMatchObject({ ok: true });
    expect(parse({ from: '2025-01-01', to: '2027-01-02' })).toMatchObject({ ok: false, field: 'from' });
  });
});
