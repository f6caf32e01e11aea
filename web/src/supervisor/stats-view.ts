/** Today's figures, the by-hour chart (plain SVG), the alert list and the critical banner. */
import { byId, el, setText, show } from '../shared/dom.ts';
import { formatClock } from '../shared/format.ts';
import { t } from '../shared/i18n.ts';
import type { TodayStats } from '../../../src/wire/queue.ts';
import { alertKey, sortAlerts, type SeenAlert } from './model.ts';
import { barChart, CHART_SIZE, statFigures } from './stats.ts';

const SVG_NS = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, ...children: Array<Node | string>): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  node.append(...children);
  return node;
}

export function renderStats(stats: TodayStats | null): void {
  for (const f of statFigures(stats)) {
    const node = document.getElementById(`stats-${f.id}`);
    if (node) setText(node, f.value);
  }
  const host = byId('stats-chart');
  const sig = JSON.stringify(stats?.byHour ?? []);
  if (host.dataset.sig === sig) return;
  host.dataset.sig = sig;
  const model = barChart(stats?.byHour ?? []);
  const chart = svg('svg', {
    viewBox: `0 0 ${CHART_SIZE.width} ${CHART_SIZE.height}`,
    role: 'img',
    'aria-label': t('chartTitle'),
    class: 'chart',
  });
  chart.append(svg('line', { x1: 0, x2: CHART_SIZE.width, y1: model.baseline, y2: model.baseline, class: 'axis' }));
  for (const c of model.columns) {
    const g = svg('g', { 'data-hour': c.hour }, svg('title', {}, c.title));
    for (const [bar, cls] of [
      [c.offered, 'bar-offered'],
      [c.answered, 'bar-answered'],
    ] as const) {
      if (bar.height > 0) g.append(svg('rect', { x: bar.x, y: bar.y, width: bar.width, height: bar.height, class: cls }));
    }
    if (c.label !== null) {
      g.append(svg('text', { x: c.labelX, y: CHART_SIZE.height - 3, 'text-anchor': 'middle', class: 'axis-label' }, c.label));
    }
    chart.append(g);
  }
  chart.append(svg('text', { x: 2, y: 10, class: 'axis-label' }, String(model.max)));
  host.replaceChildren(chart);
}

export function renderAlerts(alerts: readonly SeenAlert[], banner: SeenAlert | null): void {
  const list = byId('alerts');
  const sorted = sortAlerts(alerts);
  const sig = JSON.stringify(sorted.map(alertKey));
  if (list.dataset.sig !== sig) {
    list.dataset.sig = sig;
    list.replaceChildren(
      ...(sorted.length === 0
        ? [el('li', { class: 'empty' }, t('noAlerts'))]
        : sorted.map((a) =>
            el(
              'li',
              { class: `alert alert-${a.severity}`, 'data-code': a.code, 'data-call-id': a.callId ?? null },
              el('time', {}, formatClock(a.at)),
              ' ',
              el('span', { class: 'message' }, a.message),
            ),
          )),
    );
  }
  const box = byId('alert-banner');
  show(box, banner !== null);
  if (banner) {
    setText(byId('alert-banner-text'), `${formatClock(banner.at)} ${banner.message}`);
    box.dataset.key = alertKey(banner);
  }
}
