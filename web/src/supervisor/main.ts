/** Entry of supervisor.html: sign in, load everything, follow live events, wire the buttons. */
import { createApi, ensureSignedIn, initLocale, onSessionLost, signOut } from '../shared/auth.ts';
import { applyI18n, byId, onRowAction, refreshTickers, setText, show } from '../shared/dom.ts';
import { RefreshScheduler } from '../shared/events.ts';
import { t } from '../shared/i18n.ts';
import { connectEvents } from '../shared/sse.ts';
import type { MonitorMode } from '../../../src/wire/supervision.ts';
import { Board } from './board.ts';
import { FollowUpsPanel } from './follow-ups-panel.ts';
import { OrdersPanel } from './orders-panel.ts';
import { ALL_RESOURCES, supervisorRefreshFor, type SupervisorResource } from './model.ts';

async function main(): Promise<void> {
  initLocale();
  applyI18n(document);
  const api = createApi();
  const user = await ensureSignedIn(api, 'supervisor');
  show(byId('app'), true);
  setText(byId('user-name'), user.name);

  const board = new Board(api);
  board.render();
  const followUps = new FollowUpsPanel(api);
  const refresh = new RefreshScheduler<SupervisorResource>(board.loaders, (key, e) => console.warn(`refresh ${key} failed`, e));
  onSessionLost(api, () => void refresh.now(ALL_RESOURCES));

  connectEvents('/api/events', {
    onEvent: (ev) => {
      board.applyEvent(ev);
      refresh.request(supervisorRefreshFor(ev));
      if (ev.type === 'follow-up') void followUps.load().catch(() => undefined);
    },
    onOpen: (reconnected) => {
      board.set({ live: true });
      if (reconnected) void refresh.now(ALL_RESOURCES);
    },
    onDown: () => board.set({ live: false }),
  });
  await refresh.now(ALL_RESOURCES);

  wire(board);
  void new OrdersPanel(api).start().catch((e: unknown) => console.warn('work orders', e));
  void followUps.start().catch((e: unknown) => console.warn('follow-ups', e));
  byId('signout').addEventListener('click', () => void signOut(api));
  setInterval(() => refreshTickers(document, Date.now()), 1000);
}

function wire(board: Board): void {
  onRowAction('queue-table', 'data-call-id', (callId, action) => {
    if (action === 'priority-high') void board.raisePriority(callId, 'high');
    if (action === 'priority-emergency') void board.raisePriority(callId, 'emergency');
  });
  onRowAction('counsellors-table', 'data-counsellor-id', (id, action) => {
    if (action === 'counsellor-pause') void board.counsellorAction(id, 'pause');
    if (action === 'counsellor-resume') void board.counsellorAction(id, 'resume');
    if (action === 'counsellor-logout') void board.counsellorAction(id, 'logout');
  });
  onRowAction('active-calls', 'data-call-id', (callId, action) => {
    if (action === 'monitor-stop') void board.stopMonitor();
    else if (action.startsWith('monitor-')) void board.monitor(callId, action.slice('monitor-'.length) as MonitorMode);
  });
  onRowAction('callbacks-table', 'data-job-id', (jobId, action) => {
    if (action === 'callback-claim') void board.claimCallback(jobId);
  });
  byId('alert-dismiss').addEventListener('click', () => board.dismissBanner());
}

main().catch((e: unknown) => {
  console.error('dashboard failed to start', e);
  const box = document.getElementById('toast');
  if (box) box.textContent = t('requestFailed', { message: e instanceof Error ? e.message : String(e) });
});
