/** Copies a ConsoleView onto console.html. No decisions here: they are in model.ts. */
import { byId, el, setText, show } from '../shared/dom.ts';
import { formatDuration } from '../shared/format.ts';
import { t } from '../shared/i18n.ts';
import type { ConsoleView, InfoRow } from './model.ts';

function setButton(id: string, enabled: boolean, label?: string): void {
  const b = byId<HTMLButtonElement>(id);
  b.disabled = !enabled;
  if (label !== undefined) setText(b, label);
}

function renderInfo(rows: InfoRow[], highRisk: boolean): void {
  const dl = byId('call-info');
  const sig = JSON.stringify(rows);
  dl.classList.toggle('high-risk', highRisk);
  if (dl.dataset.sig === sig) return;
  dl.dataset.sig = sig;
  dl.replaceChildren(
    ...rows.flatMap((r) => [
      el('dt', { 'data-field': r.key }, r.label),
      el('dd', { 'data-field': r.key, class: r.cls ?? null }, r.value),
    ]),
  );
}

export function renderConsole(v: ConsoleView): void {
  const sip = byId('sip-status');
  setText(sip, v.sip.text);
  sip.dataset.tone = v.sip.tone;

  const status = byId('my-status');
  setText(status, v.status.text);
  status.dataset.status = v.status.code;
  setText(byId('my-status-since'), v.status.code === 'unknown' ? '' : formatDuration(v.status.sinceSec));
  show(byId('registration-warning'), v.registrationWarning);

  setButton('state-available', v.actions.available !== null, v.actions.available === 'resume' ? t('resume') : t('goAvailable'));
  setButton('state-pause', v.actions.pause);
  byId<HTMLSelectElement>('pause-reason').disabled = !v.actions.pause;
  setButton('state-logout', v.actions.logout);

  show(byId('incoming'), v.incoming);
  setButton('answer', v.answerEnabled);
  setButton('decline', v.answerEnabled);

  const panel = byId('call-panel');
  show(panel, v.callInfo !== null || v.loadingCall || v.inCall);
  show(byId('call-loading'), v.loadingCall);
  show(byId('call-info'), v.callInfo !== null);
  if (v.callInfo) renderInfo(v.callInfo.rows, v.callInfo.highRisk);

  show(byId('in-call'), v.inCall);
  setText(byId('call-timer'), v.callTimerSec === null ? '00:00' : formatDuration(v.callTimerSec));
  setButton('hangup', v.inCall);
  setButton('escalate', v.escalation.enabled);
  const esc = byId('escalation-status');
  setText(esc, v.escalation.text);
  if (v.escalation.tone) esc.dataset.tone = v.escalation.tone;
  else delete esc.dataset.tone;
  show(esc, v.escalation.text !== '');

  const tr = byId('transfer-status');
  setText(tr, v.transfer?.text ?? '');
  show(tr, v.transfer !== null);
  for (const [id, on] of [['transfer-complete', v.transfer?.canComplete ?? false], ['transfer-cancel', v.transfer?.canCancel ?? false]] as const) {
    setButton(id, on);
    show(byId(id), v.transfer !== null);
  }

  show(byId('wrap-up'), v.wrapUp !== null);
  if (v.wrapUp) setText(byId('wrap-up-countdown'), t('wrapUpRemaining', { time: formatDuration(v.wrapUp.remainingSec) }));
}

/** Fills the transfer select with available colleagues (not oneself). */
export function renderColleagues(list: Array<{ id: string; name: string }>, myId: string): void {
  const select = byId<HTMLSelectElement>('transfer-to');
  const others = list.filter((c) => c.id !== myId);
  const keep = select.value;
  select.replaceChildren(
    ...(others.length === 0
      ? [el('option', { value: '' }, t('noColleagues'))]
      : others.map((c) => el('option', { value: c.id }, c.name))),
  );
  if (others.some((c) => c.id === keep)) select.value = keep;
  const enabled = others.length > 0;
  setButton('transfer-warm', enabled);
  setButton('transfer-blind', enabled);
}
