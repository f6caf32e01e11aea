import { describe, expect, it } from 'vitest';
import { splitRange } from '../../../src/domain/analytics/range-split.ts';

const rolled = new Set(['2026-01-01', '2026-02-01', '2026-03-01']);

describe('splitRange', () => {
  it('reads whole rolled-up months from the rollups and the rest from the facts', () => {
    expect(splitRange('2026-01-30', '2026-03-02', rolled)).toEqual({ months: ['2026-02-01'], days: ['2026-01-30', '2026-01-31', '2026-03-01', '2026-03-02'] });
  });

  it('reads a month the rollups do not hold (the current one) day by day', () => {
    const s = splitRange('2026-03-01', '2026-04-30', rolled);
    expect(s.months).toEqual(['2026-03-01']);
    expect(s.days).toHaveLength(30);
    expect(s.days[0]).toBe('2026-04-01');
    expect(s.days.at(-1)).toBe('2026-04-30');
  });

  it('covers every day of the range exactly once, across a leap February', () => {
    const s = splitRange('2027-12-15', '2028-03-31', new Set(['2028-01-01', '2028-02-01']));
    expect(s.months).toEqual(['2028-01-01', '2028-02-01']);
    expect(s.days).toHaveLength(17 + 31);
    expect(s.days).toContain('2027-12-31');
    expect(s.days).not.toContain('2028-02-29');
  });

  it('gives one day for a one-day range', () => {
    expect(splitRange('2026-02-01', '2026-02-01', rolled)).toEqual({ months: [], days: ['2026-02-01'] });
  });
});
