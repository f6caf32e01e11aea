/** The queue and counsellor tables. Buttons carry `data-action`; main.ts listens on the tbody. */
import { actionButton, el, syncRows, ticker, withEmpty } from '../shared/dom.ts';
import { t } from '../shared/i18n.ts';
import type { ActiveCallRow, CounsellorRow, QueueRow } from './model.ts';

const badge = (text: string, cls: string): HTMLSpanElement => el('span', { class: `badge ${cls}` }, text);

export function renderQueue(tbody: HTMLElement, rows: QueueRow[], fetchedAt: number): void {
  syncRows(
    tbody,
    rows,
    (r) => r.callId,
    'data-call-id',
    (r) =>
      el(
        'tr',
        { class: [r.highRisk ? 'risk' : '', r.offered ? 'offered' : ''].join(' ').trim() || null, 'data-priority': r.priority },
        el('td', {}, String(r.position)),
        el('td', {}, r.line),
        el('td', {}, r.need),
        el('td', {}, r.language),
        el(
          'td',
          { 'data-field': 'team' },
          el('span', { class: 'team' }, r.team),
          r.reachText ? el('span', { class: `badge reach reach-${r.reach}`, 'data-field': 'reach' }, r.reachText) : null,
        ),
        el('td', {}, badge(r.priorityText, `priority-${r.priority}`), r.offered ? badge(t('offered'), 'offered') : null),
        el('td', { class: 'num', 'data-field': 'wait' }, ticker(fetchedAt, r.waitSec)),
        el('td', {}, r.callback ? badge(t('callbackRequested'), 'callback') : ''),
        el(
          'td',
          { class: 'actions' },
          actionButton('priority-high', t('raiseHigh'), r.priority === 'normal' || r.priority === 'callback'),
          actionButton('priority-emergency', t('raiseEmergency'), r.priority !== 'emergency', 'danger'),
        ),
      ),
    (r) => `${JSON.stringify(r)}|${fetchedAt}`,
  );
  withEmpty(tbody, 9, t('emptyQueue'), rows.length);
}

export function renderCounsellors(tbody: HTMLElement, rows: CounsellorRow[]): void {
  syncRows(
    tbody,
    rows,
    (r) => r.id,
    'data-counsellor-id',
    (r) => {
      const tr = el(
        'tr',
        { 'data-status': r.status, class: r.registered ? null : 'unregistered' },
        el('td', {}, r.name),
        el('td', {}, el('span', { class: `status status-${r.status}` }, r.statusText)),
        el('td', { class: 'num' }, ticker(r.statusSince)),
        el('td', {}, r.currentCall),
        el('td', { class: 'num' }, String(r.callsToday)),
        el('td', {}, r.teamLevel),
        el(
          'td',
          { class: 'actions' },
          r.canResume ? actionButton('counsellor-resume', t('resume')) : actionButton('counsellor-pause', t('pause'), r.canPause),
          actionButton('counsellor-logout', t('signOutCounsellor'), r.canLogout),
        ),
      );
      return tr;
    },
  );
}

const MONITOR_MODES = ['listen', 'whisper', 'barge'] as const;

export function renderActiveCalls(tbody: HTMLElement, rows: ActiveCallRow[]): void {
  syncRows(
    tbody,
    rows,
    (r) => r.callId,
    'data-call-id',
    (r) => {
      const cls = [r.risk ? 'risk' : '', r.escalation ? `escalation-${r.escalation}` : ''].join(' ').trim();
      const monitorCell = r.monitoring
        ? actionButton('monitor-stop', t('stopMonitor', { mode: t(r.monitoring) }), true, 'active')
        : MONITOR_MODES.map((m) => actionButton(`monitor-${m}`, t(m), r.canMonitor, m === 'barge' ? 'danger' : ''));
      return el(
        'tr',
        { class: cls || null, 'data-escalation': r.escalation },
        el('td', {}, r.line),
        el('td', {}, r.need, r.risk ? badge(t('highRisk'), 'priority-high') : null),
        el('td', {}, r.language),
        el('td', {}, r.phase),
        el('td', {}, r.counsellor),
        el('td', { class: 'num' }, ticker(r.startedAt)),
        el('td', { class: 'escalation' }, r.escalationText),
        el('td', { class: 'actions' }, ...(Array.isArray(monitorCell) ? monitorCell : [monitorCell])),
      );
    },
  );
  withEmpty(tbody, 8, '—', rows.length);
}
