/** One card per analytics table: title, export links, chart and the table itself. */
import { el } from '../shared/dom.ts';
import type { AnalyticsCell, AnalyticsTable } from '../../../src/wire/analytics.ts';
import { drawChart } from './charts.ts';
import { formatCell } from './model.ts';

export function tableElement(t: AnalyticsTable, rows: AnalyticsCell[][] = t.rows): HTMLTableElement {
  return el('table', { class: 'grid', 'data-table': t.id },
    el('thead', {}, el('tr', {}, ...t.columns.map((c) => el('th', {}, c.label)))),
    el('tbody', {}, ...(rows.length === 0
      ? [el('tr', { class: 'empty' }, el('td', { colspan: t.columns.length }, '无数据'))]
      : rows.map((r) => el('tr', {}, ...t.columns.map((c, i) => el('td', { class: c.kind === 'label' ? '' : 'num' }, formatCell(c, r[i] ?? null))))))),
  );
}

/** Renders every table into `host`; `exportHref` gives a table's export link for a format. */
export function renderTables(host: HTMLElement, tables: readonly AnalyticsTable[], exportHref: (id: string, format: 'csv' | 'xlsx') => string): void {
  host.replaceChildren();
  for (const t of tables) {
    const chart = el('div', { class: 'analytics-chart', 'data-chart': t.id, role: 'img', 'aria-label': t.title });
    const card = el('section', { class: `card analytics-card${t.id === 'answer' || t.id === 'centres' || t.id === 'day' ? ' wide' : ''}`, id: `table-${t.id}` },
      el('h2', {}, t.title,
        el('span', { class: 'exports' },
          el('a', { href: exportHref(t.id, 'csv'), download: '', 'data-export': `${t.id}-csv` }, 'CSV'),
          el('a', { href: exportHref(t.id, 'xlsx'), download: '', 'data-export': `${t.id}-xlsx` }, 'XLSX'))),
      chart,
      el('details', {}, el('summary', {}, '数据表'), tableElement(t)),
    );
    host.append(card);
    drawChart(chart, t);
  }
}
