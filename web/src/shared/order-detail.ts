/** An order's case and history as the centre page and the dashboard show them (DOM). */
import type { CaseSettingsResponse } from '../../../src/wire/cases.ts';
import type { WorkOrderDetailResponse } from '../../../src/wire/work-orders.ts';
import { el } from './dom.ts';
import { categoryText, gradeText } from './work-orders.ts';

export function renderOrderCase(dl: HTMLElement, d: WorkOrderDetailResponse, settings: CaseSettingsResponse | null): void {
  const c = d.case;
  const area = c.area ? `${c.area.city}${c.area.county ? ` ${c.area.county}` : ''}` : '未说明';
  const consent = c.consent
    ? `${c.consent.followUpCall ? '同意' : '不同意'}回访，${c.consent.centreContact ? '同意' : '不同意'}中心联系`
    : '—';
  const rows: Array<[string, string]> = [
    ['风险等级', gradeText(c.grade, settings ?? undefined)],
    ['分类', categoryText(c.categories, settings)],
    ['摘要', c.summary ?? '（已删除）'],
    ['地区', area],
    ['来电者意愿', consent],
    ['派往', d.order.centreName ?? d.order.centreId ?? '未派单'],
  ];
  dl.replaceChildren(...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

export function renderOrderEvents(ol: HTMLElement, d: WorkOrderDetailResponse, settings: CaseSettingsResponse | null): void {
  ol.replaceChildren(...d.events.map((e) => {
    const what = settings?.labels.orderEvent[e.type] ?? e.type;
    const to = settings?.labels.orderStatus[e.to] ?? e.to;
    const when = new Date(e.at).toLocaleString('zh-CN', { hour12: false });
    return el('li', { 'data-event': e.type }, `${when} ${what} → ${to}（${e.actorId}）${e.text ? `：${e.text}` : ''}`);
  }));
}
