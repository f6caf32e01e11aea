/** The pending-callbacks table body, with one action button a row (claim on the dashboard, dial in the console). */
import type { CallbackRow } from './callbacks.ts';
import { actionButton, el, syncRows, ticker, withEmpty } from './dom.ts';
import { t } from './i18n.ts';

export function renderCallbacks(tbody: HTMLElement, rows: CallbackRow[], action: { id: string; label: string; enabled: boolean }): void {
  syncRows(
    tbody,
    rows,
    (r) => r.jobId,
    'data-job-id',
    (r) =>
      el(
        'tr',
        {},
        el('td', { class: 'num' }, r.callerNumber),
        el('td', {}, r.line),
        el('td', {}, r.need),
        el('td', {}, r.language),
        el('td', { class: 'num' }, ticker(r.enqueuedAt)),
        el('td', { class: 'actions' }, actionButton(action.id, action.label, action.enabled)),
      ),
    (r) => `${JSON.stringify(r)}|${action.enabled}`,
  );
  withEmpty(tbody, 6, t('emptyCallbacks'), rows.length);
}
