/** Entry of console.html: sign in, start the softphone, follow live events, wire the buttons. */
import { errorMessage, type Api } from '../shared/api.ts';
import { callbackRows } from '../shared/callbacks.ts';
import { renderCallbacks } from '../shared/callbacks-view.ts';
import { createApi, ensureSignedIn, initLocale, onSessionLost, signOut } from '../shared/auth.ts';
import { applyI18n, byId, onRowAction, setText, show, toast } from '../shared/dom.ts';
import { RefreshScheduler } from '../shared/events.ts';
import { t } from '../shared/i18n.ts';
import { connectEvents } from '../shared/sse.ts';
import { renderLive } from '../shared/status-bar.ts';
import type { SipConfig } from '../../../src/wire/counsellors.ts';
import { CaseFormCard } from './case-form.ts';
import { ConsoleController } from './controller.ts';
import { FollowUpCard } from './follow-up-card.ts';
import { canDialCallback, consoleRefreshFor, consoleView, type ConsoleResource, type ConsoleState } from './model.ts';
import { renderColleagues, renderConsole } from './render.ts';
import { Softphone } from './softphone.ts';

async function main(): Promise<void> {
  initLocale();
  applyI18n(document);
  const api = createApi();
  const user = await ensureSignedIn(api, 'console');
  show(byId('app'), true);
  setText(byId('user-name'), user.name);

  const caseForm = new CaseFormCard(api, (text) => toast(text, 'info'));
  const render = (s: ConsoleState): void => {
    renderConsole(consoleView(s, Date.now()));
    // The case form opens with each answered call and stays through wrap-up until it is saved.
    const answered = s.me?.status === 'on-call' || s.me?.status === 'wrap-up';
    const callId = answered ? s.call?.callId ?? null : null;
    if (callId && callId !== caseForm.openCallId && !caseForm.opening) void caseForm.open(callId).catch((e: unknown) => console.warn('case form', e));
    renderLive(s.live, s.pbxConnected);
    const callbacks = callbackRows(s.callbacks);
    renderCallbacks(byId('callbacks-body'), callbacks, { id: 'callback-dial', label: t('dialCallback'), enabled: canDialCallback(s) });
    setText(byId('callbacks-count'), String(callbacks.length));
  };
  const ctl = new ConsoleController(api, user.userId, render, (list) => renderColleagues(list, ctl.myId));
  render(ctl.state);

  const refresh = new RefreshScheduler<ConsoleResource>(
    { me: () => ctl.loadMe(), call: () => ctl.loadCall().then(() => undefined), callbacks: () => ctl.loadCallbacks() },
    (key, e) => console.warn(`refresh ${key} failed`, e),
  );
  onSessionLost(api, () => void refresh.now(['me', 'call', 'callbacks']));
  await refresh.now(['me', 'call', 'callbacks']);

  // Follow-up calls (回访): the case is shown while the phone rings, before the person is dialled.
  const followUp = new FollowUpCard(api, () => ctl.state.me?.id ?? ctl.myId);
  connectEvents('/api/events', {
    onEvent: (ev) => {
      ctl.applyEvent(ev);
      followUp.onEvent(ev);
      refresh.request(consoleRefreshFor(ev, ctl.state.me?.id ?? ctl.myId, ctl.state));
    },
    onOpen: (reconnected) => {
      ctl.set({ live: true });
      if (reconnected) void refresh.now(['me', 'call', 'callbacks']);
    },
    onDown: () => ctl.set({ live: false }),
  });

  wireButtons(ctl, api);
  const form = byId<HTMLFormElement>('case-form');
  form.addEventListener('input', () => caseForm.onInput());
  form.addEventListener('change', () => caseForm.onInput());
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void caseForm.submit();
  });
  setInterval(() => render(ctl.state), 1000);
  await startPhone(ctl, api);
}

async function startPhone(ctl: ConsoleController, api: Api): Promise<void> {
  try {
    const sip = await api.get<SipConfig>('/api/console/sip');
    const phone = new Softphone(sip, byId<HTMLAudioElement>('remote-audio'), {
      sip: (s) => ctl.onSip(s),
      phone: (p) => ctl.onPhone(p),
    });
    ctl.phone = phone;
    window.addEventListener('pagehide', () => void phone.stop());
    await phone.start();
  } catch (e) {
    ctl.onSip({ kind: 'failed', message: errorMessage(e) });
  }
}

function wireButtons(ctl: ConsoleController, api: Api): void {
  const click = (id: string, fn: () => unknown): void => byId(id).addEventListener('click', () => void fn());
  click('state-available', () => {
    const action = ctl.state.me?.status === 'offline' ? 'login' : 'resume';
    return ctl.changeState(action);
  });
  click('state-pause', () => ctl.changeState('pause', byId<HTMLSelectElement>('pause-reason').value));
  click('state-logout', () => ctl.changeState('logout'));
  click('answer', () => ctl.answer());
  click('decline', () => ctl.decline());
  click('hangup', () => ctl.hangup());
  click('escalate', () => ctl.escalate());
  click('wrap-up-done', () => ctl.changeState('wrap-up-done'));
  onRowAction('callbacks-table', 'data-job-id', (jobId, action) => {
    if (action === 'callback-dial') void ctl.dialCallback(jobId);
  });
  click('transfer-warm', () => ctl.transfer(byId<HTMLSelectElement>('transfer-to').value, 'warm'));
  click('transfer-blind', () => ctl.transfer(byId<HTMLSelectElement>('transfer-to').value, 'blind'));
  click('transfer-complete', () => ctl.endTransfer('complete'));
  click('transfer-cancel', () => ctl.endTransfer('cancel'));
  byId('transfer-to').addEventListener('focus', () => void ctl.loadColleagues().catch(() => undefined));
  click('signout', async () => {
    const status = ctl.state.me?.status;
    if (status && status !== 'offline' && status !== 'on-call') await ctl.changeState('logout');
    await ctl.phone?.stop();
    await signOut(api);
  });
}

main().catch((e: unknown) => {
  console.error('console failed to start', e);
  const box = document.getElementById('toast');
  if (box) box.textContent = t('requestFailed', { message: e instanceof Error ? e.message : String(e) });
});
