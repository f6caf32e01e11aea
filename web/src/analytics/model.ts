/** Pure helpers of the analytics pages: query strings, cell formatting, chart options per table. */
import type { AnalyticsColumn, AnalyticsQuery, AnalyticsTable } from '../../../src/wire/analytics.ts';

export function queryString(q: AnalyticsQuery, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...q, ...extra })) if (v !== undefined && v !== '') params.set(k, String(v));
  return params.toString();
}

/** A cell for the page: rates as percentages, seconds with one decimal, empty as a dash. */
export function formatCell(column: AnalyticsColumn, value: string | number | null): string {
  if (value === null || value === '') return '—';
  if (typeof value === 'string') return value;
  if (column.kind === 'rate') return `${(Math.round(value * 1000) / 10).toFixed(1)}%`;
  if (column.kind === 'seconds') return value.toFixed(1);
  return value.toLocaleString('zh-CN');
}

/** First and last day of a `YYYY-MM` month. */
export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

const column = (t: AnalyticsTable, key: string): number => t.columns.findIndex((c) => c.key === key);
/** A row's name for an axis: its label cells joined (a category's level is left out: its name says it). */
const labels = (t: AnalyticsTable): string[] =>
  t.id === 'category' ? t.rows.map((r) => String(r[0] ?? '')) : t.rows.map((r) => t.columns.map((c, i) => (c.kind === 'label' ? String(r[i] ?? '') : null)).filter((x): x is string => x !== null && x !== '').join(' · '));
const values = (t: AnalyticsTable, key: string): Array<number | null> => t.rows.map((r) => {
  const v = r[column(t, key)];
  return typeof v === 'number' ? v : null;
});

/** The ECharts option for a table (plain data: no functions, so it is testable and printable). */
export function chartOption(t: AnalyticsTable, animation = true): Record<string, unknown> {
  const base = { animation, tooltip: { trigger: 'axis' }, grid: { left: 48, right: 24, top: 36, bottom: 40, containLabel: true } };
  const bar = (key: string, name: string, horizontal = false) => ({
    ...base,
    xAxis: horizontal ? { type: 'value' } : { type: 'category', data: labels(t), axisLabel: { interval: 0, rotate: labels(t).length > 8 ? 40 : 0 } },
    yAxis: horizontal ? { type: 'category', data: labels(t), inverse: true } : { type: 'value' },
    series: [{ type: 'bar', name, data: values(t, key) }],
  });
  switch (t.id) {
    case 'grade':
    case 'follow-ups': {
      const key = t.id === 'grade' ? 'calls' : 'attempts';
      const rows = t.id === 'follow-ups' ? t.rows.slice(0, -2) : t.rows;
      return {
        animation, tooltip: { trigger: 'item' }, legend: { bottom: 0 },
        series: [{ type: 'pie', radius: ['35%', '65%'], data: rows.map((r) => ({ name: String(r[0]), value: r[column(t, key)] })) }],
      };
    }
    case 'category':
    case 'area':
      return bar('calls', '来电数', true);
    case 'day':
    case 'month':
      return { ...bar('calls', '来电数'), series: [{ type: t.id === 'day' ? 'line' : 'bar', name: '来电数', data: values(t, 'calls'), smooth: true }] };
    case 'answer':
      return {
        ...base, legend: { top: 0 },
        xAxis: { type: 'category', data: labels(t) },
        yAxis: [{ type: 'value', name: '来电' }, { type: 'value', name: '比率', max: 1, axisLabel: { formatter: '{value}' } }],
        series: [
          { type: 'bar', name: '进入排队', data: values(t, 'offered') },
          { type: 'line', name: '服务水平', yAxisIndex: 1, data: values(t, 'serviceLevel') },
          { type: 'line', name: '放弃率', yAxisIndex: 1, data: values(t, 'abandonRate') },
        ],
      };
    case 'centres':
      return {
        ...base, legend: { top: 0 },
        xAxis: { type: 'category', data: labels(t), axisLabel: { interval: 0, rotate: 30 } },
        yAxis: { type: 'value', max: 1 },
        series: [
          { type: 'bar', name: '签收及时率', data: values(t, 'acceptRate') },
          { type: 'bar', name: '回复及时率', data: values(t, 'replyRate') },
          { type: 'bar', name: '办结率', data: values(t, 'closeRate') },
          { type: 'bar', name: '回访满意率', data: values(t, 'satisfactionRate') },
        ],
      };
    default:
      return bar('calls', '来电数');
  }
}
