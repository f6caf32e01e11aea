/**
 * Entry of centre.html: a local centre's staff see their centre's work orders, accept (签收), add
 * progress (办理), reply (回复) or return (退单) them, and may look up the caller's number where the
 * caller agreed to be contacted (each look is audited by the service).
 */
import { errorMessage } from '../shared/api.ts';
import { createApi, ensureSignedIn, initLocale, onSessionLost, signOut } from '../shared/auth.ts';
import { byId, el, setText, show, syncRows, toast } from '../shared/dom.ts';
import { renderOrderCase, renderOrderEvents } from '../shared/order-detail.ts';
import { byUrgency, deadlineText, orderRow } from '../shared/work-orders.ts';
import type { CaseSettingsResponse } from '../../../src/wire/cases.ts';
import type {
  CentreOrderAction, RevealOrderNumberResponse, WorkOrderActionResponse, WorkOrderDetailResponse, WorkOrderListResponse, WorkOrderSummary,
} from '../../../src/wire/work-orders.ts';

const REFRESH_MS = 10_000;

async function main(): Promise<void> {
  initLocale();
  const api = createApi();
  const user = await ensureSignedIn(api, 'centre');
  show(byId('app'), true);
  setText(byId('user-name'), user.name);
  const settings = await api.get<CaseSettingsResponse>('/api/cases/settings').catch(() => null);
  let orders: WorkOrderSummary[] = [];
  let open: WorkOrderDetailResponse | null = null;

  const renderList = (): void => {
    const now = Date.now();
    const rows = [...orders].sort(byUrgency).map((o) => orderRow(o, settings, now));
    setText(byId('orders-count'), String(rows.length));
    syncRows(byId('orders-body'), rows, (r) => r.id, 'data-order-id', (r) => el('tr', { 'data-order-id': r.id, class: r.supervised ? 'alarm' : null },
      el('td', {}, r.id), el('td', {}, r.grade), el('td', {}, r.status), el('td', { 'data-tone': r.tone }, r.deadline),
      el('td', {}, el('button', { type: 'button', 'data-open': r.id }, '查看'))));
    if (open) {
      const d = deadlineText(open.order.deadline, now);
      setText(byId('order-deadline'), d.text);
      byId('order-deadline').setAttribute('data-tone', d.tone);
    }
  };

  const renderOrder = (): void => {
    show(byId('order-card'), open !== null);
    if (!open) return;
    setText(byId('order-id'), open.order.id);
    setText(byId('order-status'), settings?.labels.orderStatus[open.order.status] ?? open.order.status);
    byId('order-status').setAttribute('data-status', open.order.status);
    renderOrderCase(byId('order-case'), open, settings);
    renderOrderEvents(byId('order-events'), open, settings);
    setText(byId('order-number'), `来电号码：${open.case.callerNumber ?? '—'}`);
    show(byId('order-reveal'), open.case.numberRevealable);
    const allowed = new Set<string>(open.allowedActions);
    show(byId('order-accept'), allowed.has('accept'));
    for (const box of Array.from(document.querySelectorAll<HTMLElement>('.order-action'))) show(box, allowed.has(box.dataset.action ?? ''));
    renderList();
  };

  const loadList = async (): Promise<void> => {
    orders = (await api.get<WorkOrderListResponse>('/api/centre/orders')).orders;
    renderList();
  };
  const loadOrder = async (id: string): Promise<void> => {
    open = await api.get<WorkOrderDetailResponse>(`/api/centre/orders/${encodeURIComponent(id)}`);
    renderOrder();
  };
  const act = async (action: CentreOrderAction, done: string): Promise<void> => {
    if (!open) return;
    try {
      await api.post<WorkOrderActionResponse>(`/api/centre/orders/${encodeURIComponent(open.order.id)}/actions`, { ...action, version: open.order.version });
      toast(done, 'info');
      await Promise.all([loadOrder(open.order.id), loadList()]);
    } catch (e) {
      toast(`操作失败：${errorMessage(e)}`, 'error');
      if (open) await loadOrder(open.order.id).catch(() => undefined);
    }
  };
  /** The text of a box, or null (and a hint) when it is empty. */
  const text = (id: string, what: string): string | null => {
    const v = byId<HTMLTextAreaElement>(id).value.trim();
    if (!v) toast(`请填写${what}`, 'error');
    return v || null;
  };

  byId('orders-body').addEventListener('click', (ev) => {
    const id = (ev.target as HTMLElement).closest('[data-open]')?.getAttribute('data-open');
    if (id) void loadOrder(id).catch((e: unknown) => toast(errorMessage(e), 'error'));
  });
  byId('order-accept').addEventListener('click', () => void act({ type: 'accept' }, '已签收'));
  byId('order-progress').addEventListener('click', () => {
    const note = text('order-progress-text', '办理进展');
    if (note) void act({ type: 'progress', note }, '已添加进展').then(() => (byId<HTMLTextAreaElement>('order-progress-text').value = ''));
  });
  byId('order-reply').addEventListener('click', () => {
    const result = text('order-reply-text', '办理结果');
    if (result) void act({ type: 'reply', result }, '已回复');
  });
  byId('order-return').addEventListener('click', () => {
    const reason = text('order-return-text', '退单原因');
    if (reason) void act({ type: 'return', reason }, '已退单');
  });
  byId('order-reveal').addEventListener('click', () => {
    if (!open) return;
    void api.post<RevealOrderNumberResponse>(`/api/centre/orders/${encodeURIComponent(open.order.id)}/reveal-number`, {})
      .then((r) => setText(byId('order-number'), `来电号码：${r.callerNumber}`))
      .catch((e: unknown) => toast(errorMessage(e), 'error'));
  });
  byId('signout').addEventListener('click', () => void signOut(api));
  onSessionLost(api, () => void loadList());

  await loadList();
  setInterval(() => void loadList().catch(() => undefined), REFRESH_MS);
  setInterval(renderList, 1000);
}

main().catch((e: unknown) => {
  console.error('centre page failed to start', e);
  toast(`页面加载失败：${errorMessage(e)}`, 'error');
});
