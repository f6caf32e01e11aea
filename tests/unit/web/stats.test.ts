import { describe, expect, it } from 'vitest';
import { barChart, CHART_SIZE, statFigures } from '../../../web/src/supervisor/stats.ts';
import type { TodayStats } from '../../../src/wire/queue.ts';

const stats: TodayStats = {
  since: '2025-01-01T00:00:00+08:00',
  offered: 40,
  answered: 35,
  abandoned: 3,
  callbacks: 2,
  serviceLevel: 0.8125,
  averageSpeedOfAnswerSec: 14.2,
  longestWaitSec: 190,
  abandonRate: 0.075,
  byHour: [
    { hour: 9, offered: 10, answered: 9, averageWaitSec: 12 },
    { hour: 10, offered: 20, answered: 16, averageWaitSec: null },
  ],
  escalations: 1,
};

describe('statFigures', () => {
  it('formats every figure with its element id', () => {
    expect(Object.fromEntries(statFigures(stats).map((f) => [f.id, f.value]))).toEqual({
      offered: '40',
      answered: '35',
      abandoned: '3',
      callbacks: '2',
      'service-level': '81.3%',
      asa: '00:14',
      'longest-wait': '03:10',
      'abandon-rate': '7.5%',
      escalations: '1',
    });
  });
  it('shows dashes before the first fetch or for empty figures', () => {
    expect(statFigures(null).every((f) => f.value === '—')).toBe(true);
    const empty = statFigures({ ...stats, serviceLevel: null, averageSpeedOfAnswerSec: null });
    expect(empty.find((f) => f.id === 'service-level')?.value).toBe('—');
    expect(empty.find((f) => f.id === 'asa')?.value).toBe('—');
  });
});

describe('barChart', () => {
  it('draws 24 columns scaled to the busiest hour', () => {
    const m = barChart(stats.byHour);
    expect(m.columns).toHaveLength(24);
    expect(m.max).toBe(20);
    const baseline = CHART_SIZE.height - CHART_SIZE.axis;
    expect(m.baseline).toBe(baseline);
    const ten = m.columns[10];
    expect(ten?.offered.height).toBe(baseline);
    expect(ten?.offered.y).toBe(0);
    expect(ten?.answered.height).toBeCloseTo(baseline * 0.8, 1);
    expect(m.columns[3]?.offered.height).toBe(0);
    expect(ten?.title).toContain('呼入 20');
  });
  it('keeps bars inside the box and in hour order', () => {
    const m = barChart(stats.byHour);
    let lastX = -1;
    for (const c of m.columns) {
      for (const b of [c.offered, c.answered]) {
        expect(b.x).toBeGreaterThan(lastX);
        lastX = b.x;
        expect(b.x + b.width).toBeLessThanOrEqual(CHART_SIZE.width);
        expect(b.y + b.height).toBeCloseTo(m.baseline, 1);
      }
    }
    expect(m.columns.filter((c) => c.label !== null).map((c) => c.label)).toEqual(['0', '3', '6', '9', '12', '15', '18', '21']);
  });
  it('survives no data and ignores impossible hours', () => {
    const m = barChart([{ hour: 24, offered: 5, answered: 5, averageWaitSec: null }]);
    expect(m.max).toBe(1);
    expect(m.columns.every((c) => c.offered.height === 0)).toBe(true);
  });
});
