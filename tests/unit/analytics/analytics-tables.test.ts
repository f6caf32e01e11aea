import { describe, expect, it } from 'vitest';
import { buildTable, type TableContext } from '../../../src/services/analytics/analytics-tables.ts';
import { categoryLabels } from '../../../src/services/analytics/analytics-labels.ts';
import type { AnalyticsQueries } from '../../../src/ports/analytics.ts';
import { EmptyAnalytics } from '../../fakes/memory-analytics.ts';

const labels = {
  categories: categoryLabels([{ id: 'mental-health', label: '心理健康', children: [{ id: 'self-harm', label: '自伤或自杀念头' }] }]),
  grades: new Map([[1, '一级（紧急危险）']]),
  lines: new Map([['main', '主热线（12355）']]),
  seasons: new Map([['', '平时'], ['exam', '考试季']]),
  centres: new Map([['gz-tianhe', '天河区12355青少年服务站']]),
  teams: [],
};

function context(queries: Partial<AnalyticsQueries>): TableContext {
  const all: AnalyticsQueries = { ...new EmptyAnalytics(), ...queries };
  return { queries: all, labels, filter: { from: '2026-03-01', to: '2026-03-31' }, period: 'day', serviceLevelSeconds: 20 };
}

describe('analytics tables', () => {
  it('labels categories of both levels and grades, and names what was not filled in', async () => {
    const c = context({
      byCategory: async () => [{ category: 'mental-health', calls: 9 }, { category: 'mental-health/self-harm', calls: 4 }],
      byGrade: async () => [{ grade: 1, calls: 4 }, { grade: null, calls: 7 }],
    });
    expect((await buildTable('category', c)).rows).toEqual([['心理健康', '一级', 9], ['心理健康 › 自伤或自杀念头', '二级', 4]]);
    expect((await buildTable('grade', c)).rows).toEqual([['一级（紧急危险）', 4], ['未填写', 7]]);
  });

  it('computes the rates of answer figures over offered calls, none when nothing was offered', async () => {
    const t = await buildTable('answer', context({
      answerFigures: async () => [
        { period: '2026-03-02', offered: 8, answered: 6, answeredWithin: 5, abandoned: 2, callbacks: 1, averageSpeedOfAnswerSec: 12.3 },
        { period: '2026-03-03', offered: 0, answered: 0, answeredWithin: 0, abandoned: 0, callbacks: 0, averageSpeedOfAnswerSec: null },
      ],
    }));
    expect(t.columns.map((col) => col.key)).toEqual(['period', 'offered', 'answered', 'answeredWithin', 'serviceLevel', 'averageSpeedOfAnswerSec', 'abandoned', 'abandonRate', 'callbacks']);
    expect(t.columns[3]!.label).toBe('20秒内接通');
    expect(t.rows).toEqual([['2026-03-02', 8, 6, 5, 0.625, 12.3, 2, 0.25, 1], ['2026-03-03', 0, 0, 0, null, null, 0, null, 0]]);
  });

  it('gives the on-time, closure and satisfaction rates of each centre by name', async () => {
    const t = await buildTable('centres', context({
      ordersByCentre: async () => [{ centreId: 'gz-tianhe', orders: 10, acceptDue: 8, acceptedOnTime: 6, replyDue: 4, repliedOnTime: 4, closed: 5, followUpAnswered: 0, followUpSatisfied: 0 }],
    }));
    expect(t.rows).toEqual([['天河区12355青少年服务站', 10, 8, 6, 0.75, 4, 4, 1, 5, 0.5, 0, 0, null]]);
  });

  it('has a row for every hour and weekday, zero where nobody called', async () => {
    const c = context({ byHour: async () => [{ n: 3, calls: 2 }], byWeekday: async () => [{ n: 7, calls: 1 }] });
    const hours = await buildTable('hour', c);
    expect(hours.rows).toHaveLength(24);
    expect(hours.rows[3]).toEqual(['3时', 2]);
    expect(hours.rows[4]).toEqual(['4时', 0]);
    expect((await buildTable('weekday', c)).rows).toEqual([['周一', 0], ['周二', 0], ['周三', 0], ['周四', 0], ['周五', 0], ['周六', 0], ['周日', 1]]);
  });

  it('sums the follow-ups reached (safe or needing more help)', async () => {
    const t = await buildTable('follow-ups', context({
      followUps: async () => [{ outcome: 'needs-help', attempts: 2 }, { outcome: 'not-reached', attempts: 5 }, { outcome: 'reached-safe', attempts: 3 }],
    }));
    expect(t.rows).toEqual([
      ['已联系·需进一步帮助', 2, 0.2], ['未联系上', 5, 0.5], ['已联系·安全', 3, 0.3], ['已联系上（合计）', 5, 0.5], ['合计', 10, 1],
    ]);
  });
});
