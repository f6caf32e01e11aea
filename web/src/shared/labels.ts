/** Labels for codes the API sends (status, need, line, language, ...), via the i18n tables. */
import { formatDuration } from './format.ts';
import { hasString, t } from './i18n.ts';
import type { TeamLevel } from '../../../src/wire/auth.ts';
import type { EscalationStatus, PathStep } from '../../../src/wire/calls.ts';
import type { CounsellorStatus } from '../../../src/wire/counsellors.ts';

/** `prefix_code` from the table, or the raw code when the table has none (new config values); a dash for none. */
function lookup(prefix: string, code: string | null): string {
  if (code === null) return '—';
  const key = `${prefix}_${code}`;
  return hasString(key) ? t(key) : code;
}

export const statusLabel = (s: CounsellorStatus): string => lookup('status', s);
export const needLabel = (need: string | null): string => lookup('need', need);
export const lineLabel = (line: string): string => lookup('line', line);
export const languageLabel = (lang: string | null): string => lookup('lang', lang);
export const levelLabel = (level: TeamLevel): string => lookup('level', level);
export const phaseLabel = (phase: string): string => lookup('phase', phase);
export const escalationLabel = (s: EscalationStatus): string => lookup('escalation', s);
export const menuLabel = (menu: string): string => lookup('menu', menu);

/** A pause reason; `null` reads as the plain word for paused. */
export function pauseReasonLabel(reason: string | null): string {
  return reason === null || reason === '' ? t('status_paused') : lookup('pause', reason);
}

/** CSS class for a counsellor status (colours live in styles.css). */
export function statusClass(s: CounsellorStatus): string {
  return `status-${s}`;
}

/** Counsellor state for tables: the label, with the pause reason when paused. */
export function statusText(s: CounsellorStatus, pauseReason: string | null): string {
  if (s === 'paused' && pauseReason) return `${statusLabel(s)}（${pauseReasonLabel(pauseReason)}）`;
  return statusLabel(s);
}

export type PriorityLevel = 'normal' | 'callback' | 'high' | 'emergency';

/** Numeric priorities follow the service's PRIORITY (callback 50, high risk 80, emergency 100). */
export function priorityLevel(priority: number | string, highRisk: boolean): PriorityLevel {
  let level: PriorityLevel;
  if (typeof priority === 'number') {
    level = priority >= 100 ? 'emergency' : priority >= 80 ? 'high' : priority >= 50 ? 'callback' : 'normal';
  } else {
    level = priority === 'emergency' || priority === 'high' || priority === 'callback' ? priority : 'normal';
  }
  if (highRisk && (level === 'normal' || level === 'callback')) return 'high';
  return level;
}

export const priorityLabel = (level: PriorityLevel): string => t(`priority_${level}`);

/** One IVR step as text, e.g. `主菜单 1` or `语言选择 超时`. */
export function pathStepText(step: PathStep): string {
  const menu = menuLabel(step.menu);
  if (step.outcome === 'option') return `${menu} ${step.input}`;
  const outcome = lookup('outcome', step.outcome);
  return step.input ? `${menu} ${step.input}（${outcome}）` : `${menu}（${outcome}）`;
}

/** The whole IVR path on one line. */
export function pathText(path: readonly PathStep[]): string {
  return path.length === 0 ? t('noPath') : path.map(pathStepText).join(' → ');
}

/** Escalation label with how long it has been (or was) connected. */
export function escalationText(state: EscalationStatus, connectedSec: number | null): string {
  const label = escalationLabel(state);
  return state === 'connected' && connectedSec !== null ? `${label} ${formatDuration(connectedSec)}` : label;
}
