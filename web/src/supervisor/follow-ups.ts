/**
 * The dashboard's follow-up calls (回访), as pure data: the open attempts (planned, waiting for a
 * free counsellor, dialling, in a call waiting for its outcome) and the recent ones with their
 * outcome, a 告警 mark where supervisors were alerted (the last attempt failed, or a wrong number).
 */
import type { AttemptOutcome, FollowUpsResponse, FollowUpView } from '../../../src/wire/follow-ups.ts';
import { gradeText } from '../shared/work-orders.ts';

export const OUTCOME_TEXT: Record<AttemptOutcome, string> = {
  'reached-safe': '已联系，安全', 'needs-help': '需要进一步帮助', 'not-reached': '未接通', declined: '拒绝回访', 'wrong-number': '号码错误',
};

export interface FollowUpRow {
  id: string;
  caseId: string;
  grade: string;
  attempt: string;
  /** Where the attempt is, or how it ended. */
  state: string;
  when: string;
  counsellor: string;
  tone: 'ok' | 'warn' | 'alarm' | null;
  alerted: boolean;
}

const hhmm = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });

function openState(f: FollowUpView, now: number): Pick<FollowUpRow, 'state' | 'tone'> {
  if (f.callId !== null) return { state: '通话中，待记录结果', tone: 'ok' };
  if (f.startedAt !== null) return { state: '拨号中', tone: 'ok' };
  if (Date.parse(f.dueAt) <= now) return { state: '已到期，等待空闲辅导员', tone: f.grade <= 2 ? 'warn' : null };
  return { state: '已安排', tone: null };
}

function recentState(f: FollowUpView): Pick<FollowUpRow, 'state' | 'tone'> {
  const outcome = f.outcome === null ? '—' : OUTCOME_TEXT[f.outcome];
  const satisfied = f.outcome === 'reached-safe' && f.satisfied !== null ? (f.satisfied ? '，满意' : '，不满意') : '';
  const tone = f.alertedAt !== null ? 'alarm' : f.outcome === 'reached-safe' ? 'ok' : f.outcome === 'needs-help' ? 'warn' : null;
  return { state: `${outcome}${satisfied}${f.alertedAt !== null ? '（已告警督导）' : ''}`, tone };
}

function row(f: FollowUpView, state: Pick<FollowUpRow, 'state' | 'tone'>, when: string): FollowUpRow {
  return {
    id: f.id, caseId: f.caseId, grade: gradeText(f.grade), attempt: `${f.attempt}/${f.maxAttempts}`,
    ...state, when: hhmm(when), counsellor: f.counsellorId ?? '—', alerted: f.alertedAt !== null,
  };
}

/** Open attempts by due time (earliest first), then at most `recentLimit` ended ones, newest first. */
export function followUpRows(r: FollowUpsResponse, now: number, recentLimit = 20): { open: FollowUpRow[]; recent: FollowUpRow[] } {
  const open = [...r.open].sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt)).map((f) => row(f, openState(f, now), f.dueAt));
  const recent = r.recent.slice(0, recentLimit).map((f) => row(f, recentState(f), f.endedAt ?? f.dueAt));
  return { open, recent };
}
