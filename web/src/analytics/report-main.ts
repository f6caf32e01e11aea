/**
 * Entry of analytics-report.html: the monthly report (月报), laid out for printing to PDF from the
 * browser. Small cells are suppressed as in the exports, since a printed report travels.
 */
import { createApi, ensureSignedIn, initLocale } from '../shared/auth.ts';
import { byId, el, setText, show } from '../shared/dom.ts';
import { suppressSmallCells, SMALL_CELL_LIMIT } from '../../../src/wire/analytics-cells.ts';
import type { AnalyticsResponse } from '../../../src/wire/analytics.ts';
import { drawChart, resizeCharts } from './charts.ts';
import { monthRange, queryString } from './model.ts';
import { tableElement } from './tables-view.ts';

async function main(): Promise<void> {
  initLocale();
  const api = createApi();
  await ensureSignedIn(api, 'analytics');
  const requested = new URLSearchParams(location.search).get('month') ?? '';
  const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(requested) ? requested : new Date().toISOString().slice(0, 7);
  const { from, to } = monthRange(month);
  const res = await api.get<AnalyticsResponse>(`/api/analytics?${queryString({ from, to, period: 'day' })}`);
  const [y, m] = month.split('-');
  setText(byId('report-title'), `12355 青少年服务热线 ${y}年${Number(m)}月 统计报告`);
  setText(byId('report-period'), `统计期间：${from} 至 ${to}（北京时间）。少于${SMALL_CELL_LIMIT}人的单元格显示为“<${SMALL_CELL_LIMIT}”；本报告不含任何电话号码、姓名或文字记录。`);
  // Shown before the charts are drawn: ECharts takes its size from the laid-out container.
  show(byId('app'), true);
  const host = byId('report-sections');
  for (const t of res.tables) {
    const chart = el('div', { class: 'analytics-chart print-chart', 'data-chart': t.id });
    host.append(el('section', { class: 'report-section' }, el('h2', {}, t.title), chart, tableElement(t, suppressSmallCells(t))));
    drawChart(chart, t, false);
  }
  window.addEventListener('beforeprint', () => resizeCharts());
  window.addEventListener('afterprint', () => resizeCharts());
  byId('print').addEventListener('click', () => window.print());
  document.body.dataset.ready = 'true';
}

void main();
