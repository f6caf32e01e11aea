/**
 * Turns the aggregations into the labelled tables the page draws and the exports carry.
 * Rates are computed here (null when nothing was counted), one definition for page and files.
 */
import type { AnalyticsFilter, AnalyticsQueries } from '../../ports/analytics.ts';
import type { AnalyticsCell, AnalyticsColumn, AnalyticsTable, AnalyticsTableId } from '../../wire/analytics.ts';
import { FOLLOW_UP_OUTCOMES, labelOf, REACHED_OUTCOMES, WEEKDAYS, type AnalyticsLabels } from './analytics-labels.ts';

const rate = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);
const col = (key: string, label: string, kind: AnalyticsColumn['kind'] = 'count', base?: string): AnalyticsColumn =>
  base === undefined ? { key, label, kind } : { key, label, kind, base };
const CALLS = col('calls', '来电数');

export interface TableContext {
  queries: AnalyticsQueries;
  labels: AnalyticsLabels;
  filter: AnalyticsFilter;
  period: 'day' | 'month';
  serviceLevelSeconds: number;
}

type Builder = (c: TableContext) => Promise<{ title: string; columns: AnalyticsColumn[]; rows: AnalyticsCell[][] }>;

const BUILDERS: Record<AnalyticsTableId, Builder> = {
  category: async ({ queries, labels, filter }) => ({
    title: '来电问题类别',
    columns: [col('category', '类别', 'label'), col('level', '层级', 'label'), CALLS],
    rows: (await queries.byCategory(filter)).map((r) => [labelOf(labels.categories, r.category), r.category.includes('/') ? '二级' : '一级', r.calls]),
  }),
  grade: async ({ queries, labels, filter }) => ({
    title: '风险等级',
    columns: [col('grade', '风险等级', 'label'), CALLS],
    rows: (await queries.byGrade(filter)).map((r) => [labelOf(labels.grades, r.grade), r.calls]),
  }),
  line: async ({ queries, labels, filter }) => ({
    title: '线路与时段',
    columns: [col('line', '线路', 'label'), col('season', '时段', 'label'), CALLS],
    rows: (await queries.byLine(filter)).map((r) => [labelOf(labels.lines, r.line), labelOf(labels.seasons, r.season), r.calls]),
  }),
  hour: async ({ queries, filter }) => {
    const byHour = new Map((await queries.byHour(filter)).map((r) => [r.n, r.calls]));
    return { title: '来电时段（小时）', columns: [col('hour', '时段', 'label'), CALLS], rows: Array.from({ length: 24 }, (_, h) => [`${h}时`, byHour.get(h) ?? 0]) };
  },
  weekday: async ({ queries, filter }) => {
    const byDay = new Map((await queries.byWeekday(filter)).map((r) => [r.n, r.calls]));
    return { title: '星期分布', columns: [col('weekday', '星期', 'label'), CALLS], rows: [1, 2, 3, 4, 5, 6, 7].map((d) => [WEEKDAYS[d]!, byDay.get(d) ?? 0]) };
  },
  day: async ({ queries, filter }) => ({
    title: '每日来电', columns: [col('day', '日期', 'label'), CALLS], rows: (await queries.byDay(filter)).map((r) => [r.period, r.calls]),
  }),
  month: async ({ queries, filter }) => ({
    title: '每月来电', columns: [col('month', '月份', 'label'), CALLS], rows: (await queries.byMonth(filter)).map((r) => [r.period, r.calls]),
  }),
  area: async ({ queries, filter }) => ({
    title: '来电地区',
    columns: [col('city', '市', 'label'), col('county', '区县', 'label'), CALLS],
    rows: (await queries.byArea(filter)).map((r) => [r.city ?? '未提供', r.county ?? (r.city ? '未提供' : ''), r.calls]),
  }),
  answer: async ({ queries, filter, period, serviceLevelSeconds }) => ({
    title: '接听情况',
    columns: [
      col('period', period === 'day' ? '日期' : '月份', 'label'), col('offered', '进入排队'), col('answered', '接通'),
      col('answeredWithin', `${serviceLevelSeconds}秒内接通`), col('serviceLevel', '服务水平', 'rate', 'offered'),
      col('averageSpeedOfAnswerSec', '平均应答时长（秒）', 'seconds', 'answered'), col('abandoned', '放弃'),
      col('abandonRate', '放弃率', 'rate', 'offered'), col('callbacks', '请求回拨'),
    ],
    rows: (await queries.answerFigures(filter, period, serviceLevelSeconds)).map((r) => [
      r.period, r.offered, r.answered, r.answeredWithin, rate(r.answeredWithin, r.offered), r.averageSpeedOfAnswerSec,
      r.abandoned, rate(r.abandoned, r.offered), r.callbacks,
    ]),
  }),
  centres: async ({ queries, labels, filter }) => ({
    title: '工单办理（按服务中心）',
    columns: [
      col('centre', '服务中心', 'label'), col('orders', '工单数'), col('acceptDue', '应签收'), col('acceptedOnTime', '及时签收'),
      col('acceptRate', '签收及时率', 'rate', 'acceptDue'), col('replyDue', '应回复'), col('repliedOnTime', '及时回复'),
      col('replyRate', '回复及时率', 'rate', 'replyDue'), col('closed', '办结'), col('closeRate', '办结率', 'rate', 'orders'),
      col('followUpAnswered', '回访答复'), col('followUpSatisfied', '回访满意'), col('satisfactionRate', '回访满意率', 'rate', 'followUpAnswered'),
    ],
    rows: (await queries.ordersByCentre(filter)).map((r) => [
      labelOf(labels.centres, r.centreId), r.orders, r.acceptDue, r.acceptedOnTime, rate(r.acceptedOnTime, r.acceptDue), r.replyDue,
      r.repliedOnTime, rate(r.repliedOnTime, r.replyDue), r.closed, rate(r.closed, r.orders), r.followUpAnswered, r.followUpSatisfied,
      rate(r.followUpSatisfied, r.followUpAnswered),
    ]),
  }),
  'follow-ups': async ({ queries, filter }) => {
    const rows = await queries.followUps(filter);
    const total = rows.reduce((s, r) => s + r.attempts, 0);
    const reached = rows.filter((r) => REACHED_OUTCOMES.includes(r.outcome)).reduce((s, r) => s + r.attempts, 0);
    return {
      title: '回访结果',
      columns: [col('outcome', '结果', 'label'), col('attempts', '回访次数'), col('share', '占比', 'rate', 'attempts')],
      rows: [
        ...rows.map((r): AnalyticsCell[] => [FOLLOW_UP_OUTCOMES[r.outcome] ?? r.outcome, r.attempts, rate(r.attempts, total)]),
        ['已联系上（合计）', reached, rate(reached, total)],
        ['合计', total, total > 0 ? 1 : null],
      ],
    };
  },
};

export async function buildTable(id: AnalyticsTableId, c: TableContext): Promise<AnalyticsTable> {
  return { id, ...(await BUILDERS[id](c)) };
}
