/**
 * Thin DOM helpers. Text always goes in as textContent (never innerHTML), so nothing the
 * service or a caller sends can become markup.
 */
import { formatDuration, remainingSec, tickedSec } from './format.ts';
import { hasString, t } from './i18n.ts';

type Attrs = Record<string, string | number | boolean | null | undefined>;
type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

export function setAttrs(node: Element, attrs: Attrs): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) node.removeAttribute(k);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`missing element #${id}`);
  return node as T;
}

export function setText(node: HTMLElement, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

export function show(node: HTMLElement, visible: boolean): void {
  node.hidden = !visible;
}

/**
 * Keyed rows: keeps a row whose signature is unchanged (so a button under the pointer is not
 * replaced), rebuilds changed ones, drops the gone ones and keeps the order of `items`.
 */
export function syncRows<T>(
  tbody: HTMLElement,
  items: readonly T[],
  key: (item: T) => string,
  keyAttr: string,
  render: (item: T) => HTMLTableRowElement,
  signature: (item: T) => string = (item) => JSON.stringify(item),
): void {
  const existing = new Map<string, HTMLElement>();
  for (const row of Array.from(tbody.children) as HTMLElement[]) {
    const k = row.getAttribute(keyAttr);
    if (k !== null) existing.set(k, row);
    else row.remove();
  }
  let prev: Element | null = null;
  for (const item of items) {
    const k = key(item);
    const sig = signature(item);
    let row = existing.get(k);
    existing.delete(k);
    if (!row || row.dataset.sig !== sig) {
      const fresh = render(item);
      fresh.setAttribute(keyAttr, k);
      fresh.dataset.sig = sig;
      if (row) row.replaceWith(fresh);
      row = fresh;
    }
    const want: Element | null = prev ? prev.nextElementSibling : tbody.firstElementChild;
    if (want !== row) tbody.insertBefore(row, want);
    prev = row;
  }
  for (const row of existing.values()) row.remove();
}

/** One row spanning the table with a message, e.g. "nobody waiting". */
export function emptyRow(cols: number, text: string): HTMLTableRowElement {
  return el('tr', { class: 'empty' }, el('td', { colspan: cols }, text));
}

/**
 * A span whose text the page ticker keeps current: counts up from `fromMs` (plus `baseSec`), or
 * down to `fromMs` when `down` is set.
 */
export function ticker(fromMs: number | null, baseSec = 0, down = false): HTMLSpanElement {
  const span = el('span', { class: 'ticker', 'data-tick-from': fromMs ?? '', 'data-tick-base': baseSec, 'data-tick-down': down });
  refreshTicker(span, Date.now());
  return span;
}

function refreshTicker(node: HTMLElement, now: number): void {
  const from = Number(node.dataset.tickFrom);
  if (node.dataset.tickFrom === '' || !Number.isFinite(from)) return setText(node, '—');
  const base = Number(node.dataset.tickBase ?? 0);
  const sec = node.dataset.tickDown !== undefined ? remainingSec(from, now) : tickedSec(base, from, now);
  setText(node, formatDuration(sec));
}

/** Updates every ticker under `root`; the pages call this once a second. */
export function refreshTickers(root: ParentNode, now: number): void {
  root.querySelectorAll<HTMLElement>('.ticker').forEach((n) => refreshTicker(n, now));
}

/** A short message at the top of the page, gone after a few seconds. */
export function toast(text: string, kind: 'info' | 'error' = 'info'): void {
  const box = document.getElementById('toast');
  if (!box) return;
  const item = el('div', { class: `toast-item toast-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
  box.append(item);
  setTimeout(() => item.remove(), kind === 'error' ? 8000 : 4000);
}

/** Replaces the text of every `[data-i18n]` element with the current locale's string. */
export function applyI18n(root: ParentNode): void {
  root.querySelectorAll<HTMLElement>('[data-i18n]').forEach((node) => {
    const key = node.dataset.i18n ?? '';
    if (hasString(key)) setText(node, t(key));
  });
}

/** A table row's button: `data-action` says what it does, the row says to what. */
export function actionButton(action: string, label: string, enabled = true, cls = ''): HTMLButtonElement {
  return el('button', { type: 'button', 'data-action': action, 'data-testid': action, class: cls || null, disabled: !enabled }, label);
}

/** Keeps one placeholder row in an empty table body, and none in a filled one. */
export function withEmpty(tbody: HTMLElement, cols: number, empty: string, count: number): void {
  const placeholder = tbody.querySelector('tr.empty');
  if (count === 0 && !placeholder) tbody.append(emptyRow(cols, empty));
  if (count > 0 && placeholder) placeholder.remove();
}

/** One listener per table: the row says which call, counsellor or callback; the button says what to do. */
export function onRowAction(tableId: string, keyAttr: string, fn: (key: string, action: string) => void): void {
  byId(tableId).addEventListener('click', (e) => {
    const button = (e.target as Element).closest<HTMLButtonElement>('button[data-action]');
    const row = button?.closest('tr');
    const key = row?.getAttribute(keyAttr);
    if (!button || button.disabled || !key) return;
    fn(key, button.dataset.action ?? '');
  });
}
