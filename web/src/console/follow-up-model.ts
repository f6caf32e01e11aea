/**
 * The follow-up call (回访) card of the console, as pure data: which live events concern this
 * counsellor, the case rows shown while their phone rings (before the person is dialled), and the
 * outcome buttons once the call reached the person.
 */
import type { HotlineEvent } from '../../../src/wire/events.ts';
import type { AttemptOutcome, FollowUpDetailResponse } from '../../../src/wire/follow-ups.ts';
import { gradeText } from '../shared/work-orders.ts';
import type { InfoRow } from './model.ts';

export type FollowUpChange = Extract<HotlineEvent, { type: 'follow-up' }>['change'];

export interface FollowUpCardState {
  detail: FollowUpDetailResponse | null;
  /** The person answered: the counsellor may record the outcome. */
  connected: boolean;
  saving: boolean;
}

export const initialFollowUpCard = (): FollowUpCardState => ({ detail: null, connected: false, saving: false });

/** A follow-up event for this counsellor: its id and what happened; null for anyone else's. */
export function followUpEventFor(ev: HotlineEvent, myId: string): { id: string; change: FollowUpChange } | null {
  if (ev.type !== 'follow-up' || ev.counsellorId !== myId) return null;
  return { id: ev.followUpId, change: ev.change };
}

export function followUpRows(d: FollowUpDetailResponse): InfoRow[] {
  return [
    { key: 'attempt', label: '回访次数', value: `第 ${d.followUp.attempt} / ${d.followUp.maxAttempts} 次` },
    { key: 'grade', label: '风险等级', value: gradeText(d.case.grade), ...(d.case.grade !== null && d.case.grade <= 2 ? { cls: 'risk' } : {}) },
    { key: 'categories', label: '类别', value: d.case.categories.join('、') || '—' },
    { key: 'summary', label: '上次摘要', value: d.case.summary ?? '（已删除）' },
    { key: 'number', label: '号码', value: d.case.callerNumber ?? '—' },
  ];
}

/** The outcomes a counsellor records after talking to the person (未接通 is recorded by the service). */
export const OUTCOME_BUTTONS: ReadonlyArray<{ outcome: AttemptOutcome; satisfied?: boolean; label: string }> = [
  { outcome: 'reached-safe', satisfied: true, label: '已联系，安全，满意' },
  { outcome: 'reached-safe', satisfied: false, label: '已联系，安全，不满意' },
  { outcome: 'needs-help', label: '需要进一步帮助' },
  { outcome: 'declined', label: '拒绝回访' },
  { outcome: 'wrong-number', label: '号码错误' },
];

/** The card's headline: ringing (case shown first), talking (outcome buttons), or nothing. */
export function followUpHeadline(s: FollowUpCardState): string | null {
  if (!s.detail) return null;
  return s.connected ? '回访通话中：请记录回访结果' : '回访来电：接听后系统将拨打当事人';
}
