/**
 * The dashboard's work orders (工单): the open orders, most urgent first with 督办 marks, and one
 * order's case, history and the platform's actions on it: dispatch to the proposed or another
 * centre (派单), re-dispatch a returned one, review the centre's reply, record the follow-up (回访)
 * and close (办结) or reopen (重新办理).
 */
import { errorMessage, type Api } from '../shared/api.ts';
import { byId, el, setText, show, syncRows, toast } from '../shared/dom.ts';
import { renderOrderCase, renderOrderEvents } from '../shared/order-detail.ts';
import { byUrgency, deadlineText, orderRow } from '../shared/work-orders.ts';
import type { CaseSettingsResponse } from '../../../src/wire/cases.ts';
import type {
  FollowUpOutcome, PlatformOrderAction, WorkOrderActionResponse, WorkOrderDetailResponse, WorkOrderListResponse, WorkOrderSummary,
} from '../../../src/wire/work-orders.ts';

const OPEN_STATUSES = 'draft,dispatched,accepted,in-progress,replied,awaiting-follow-up,returned,reopened';

/** Button text of each platform action. */
const ACTION_TEXT: Record<PlatformOrderAction['type'], string> = {
  dispatch: '派单', redispatch: '改派', 'approve-reply': '审核通过回复', 'send-back': '退回中心重办',
  'record-follow-up': '记录回访', close: '办结', reopen: '重新办理', discard: '作废',
};
/** Actions that need the text box (a reason or a note). */
const NEEDS_TEXT = new Set<PlatformOrderAction['type']>(['redispatch', 'send-back', 'record-follow-up', 'close', 'reopen', 'discard']);

export class OrdersPanel {
  private settings: CaseSettingsResponse | null = null;
  private orders: WorkOrderSummary[] = [];
  private open: WorkOrderDetailResponse | null = null;

  constructor(private readonly api: Api) {}

  async start(): Promise<void> {
    this.settings = await this.api.get<CaseSettingsResponse>('/api/cases/settings').catch(() => null);
    byId('orders-body').addEventListener('click', (ev) => {
      const id = (ev.target as HTMLElement).closest('[data-open]')?.getAttribute('data-open');
      if (id) void this.loadOrder(id).catch((e: unknown) => toast(errorMessage(e), 'error'));
    });
    byId('order-actions').addEventListener('click', (ev) => {
      const type = (ev.target as HTMLElement).closest('[data-action]')?.getAttribute('data-action') as PlatformOrderAction['type'] | null;
      if (type) void this.act(type);
    });
    await this.loadList();
    setInterval(() => void this.loadList().catch(() => undefined), 10_000);
    setInterval(() => this.renderList(), 1000);
  }

  async loadList(): Promise<void> {
    this.orders = (await this.api.get<WorkOrderListResponse>(`/api/work-orders?status=${OPEN_STATUSES}`)).orders;
    this.renderList();
  }

  private async loadOrder(id: string): Promise<void> {
    this.open = await this.api.get<WorkOrderDetailResponse>(`/api/work-orders/${encodeURIComponent(id)}`);
    this.renderOrder();
  }

  private renderList(): void {
    const now = Date.now();
    const rows = [...this.orders].sort(byUrgency).map((o) => orderRow(o, this.settings, now));
    setText(byId('orders-count'), String(rows.length));
    syncRows(byId('orders-body'), rows, (r) => r.id, 'data-order-id', (r) => el('tr', { 'data-order-id': r.id, class: r.supervised ? 'alarm' : null },
      el('td', {}, r.id), el('td', {}, r.grade), el('td', {}, r.status), el('td', {}, r.centre), el('td', { 'data-tone': r.tone }, r.deadline),
      el('td', {}, el('button', { type: 'button', 'data-open': r.id }, '查看'))));
    if (this.open) setText(byId('order-deadline'), deadlineText(this.open.order.deadline, now).text);
  }

  private renderOrder(): void {
    const d = this.open;
    show(byId('order-card'), d !== null);
    if (!d) return;
    setText(byId('order-id'), d.order.id);
    setText(byId('order-status'), this.settings?.labels.orderStatus[d.order.status] ?? d.order.status);
    byId('order-status').setAttribute('data-status', d.order.status);
    renderOrderCase(byId('order-case'), d, this.settings);
    renderOrderEvents(byId('order-events'), d, this.settings);
    const allowed = d.allowedActions.filter((a): a is PlatformOrderAction['type'] => a in ACTION_TEXT);
    // The proposal first (best candidate preselected), then every other centre of the directory.
    const proposed = d.candidates.map((c) => c.centreId);
    const others = (this.settings?.centres ?? []).map((c) => c.id).filter((id) => !proposed.includes(id));
    const name = (id: string) => this.settings?.centres.find((c) => c.id === id)?.name ?? id;
    byId('order-centre').replaceChildren(
      ...proposed.map((id, i) => el('option', { value: id, selected: i === 0 }, `${name(id)}${i === 0 ? '（建议）' : ''}`)),
      ...others.map((id) => el('option', { value: id }, name(id))));
    show(byId('order-centre-box'), allowed.includes('dispatch') || allowed.includes('redispatch'));
    show(byId('order-outcome-box'), allowed.includes('record-follow-up'));
    show(byId('order-text-box'), allowed.some((a) => NEEDS_TEXT.has(a)));
    byId('order-actions').replaceChildren(...allowed.map((a) => el('button', { type: 'button', 'data-action': a, class: a === 'dispatch' ? 'primary' : null }, ACTION_TEXT[a])));
  }

  private async act(type: PlatformOrderAction['type']): Promise<void> {
    const d = this.open;
    if (!d) return;
    const centreId = byId<HTMLSelectElement>('order-centre').value;
    const text = byId<HTMLTextAreaElement>('order-text').value.trim();
    if (NEEDS_TEXT.has(type) && !text) {
      toast('请填写说明或原因', 'error');
      return;
    }
    const outcome = byId<HTMLSelectElement>('order-outcome').value as FollowUpOutcome;
    const action: PlatformOrderAction =
      type === 'dispatch' ? { type, centreId, ...(text ? { reason: text } : {}) }
      : type === 'redispatch' ? { type, centreId, reason: text }
      : type === 'approve-reply' ? { type }
      : type === 'record-follow-up' ? { type, outcome, note: text }
      : { type, reason: text };
    try {
      await this.api.post<WorkOrderActionResponse>(`/api/work-orders/${encodeURIComponent(d.order.id)}/actions`, { ...action, version: d.order.version });
      toast(`${ACTION_TEXT[type]}：已完成`, 'info');
      byId<HTMLTextAreaElement>('order-text').value = '';
    } catch (e) {
      toast(`${ACTION_TEXT[type]}失败：${errorMessage(e)}`, 'error');
    }
    await Promise.all([this.loadOrder(d.order.id), this.loadList()]).catch(() => undefined);
  }
}
