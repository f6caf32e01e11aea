/**
 * Work orders and cases as the pages show them: grade names, deadlines as countdowns, the rows of
 * an order list. Pure (no DOM), so the centre page, the dashboard and the console share it.
 */
import type { ActiveDeadline, WorkOrderSummary } from '../../../src/wire/work-orders.ts';
import type { CaseSettingsResponse, RiskGrade } from '../../../src/wire/cases.ts';

export const GRADE_NAMES: Record<RiskGrade, string> = { 1: '一级', 2: '二级', 3: '三级', 4: '四级' };

/** "一级（紧急危险）" from the configured label, or the bare name. */
export function gradeText(grade: RiskGrade | null, settings?: Pick<CaseSettingsResponse, 'grades'>): string {
  if (grade === null) return '—';
  const label = settings?.grades.find((g) => g.grade === grade)?.label;
  return label && label !== GRADE_NAMES[grade] ? `${GRADE_NAMES[grade]}（${label}）` : GRADE_NAMES[grade];
}

function spell(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return `${days}天${hours}小时`;
  if (hours > 0) return `${hours}小时${String(mins).padStart(2, '0')}分`;
  return `${mins}分`;
}

export type DeadlineTone = 'ok' | 'warn' | 'bad' | 'none';

/**
 * The running deadline as a countdown: "签收剩余 2小时05分", "回复已超时 1天3小时" (督办 once
 * supervision started). Warn once the reminder time has passed.
 */
export function deadlineText(deadline: ActiveDeadline | null, now: number): { text: string; tone: DeadlineTone } {
  if (!deadline) return { text: '—', tone: 'none' };
  const what = deadline.kind === 'accept' ? '签收' : '回复';
  const due = Date.parse(deadline.dueAt);
  if (now >= due) {
    const level = deadline.supervision === 2 ? '（二级督办）' : deadline.supervision === 1 ? '（督办）' : '';
    return { text: `${what}已超时 ${spell(now - due)}${level}`, tone: 'bad' };
  }
  const warn = now >= Date.parse(deadline.remindAt);
  return { text: `${what}剩余 ${spell(due - now)}${warn ? '（催办）' : ''}`, tone: warn ? 'warn' : 'ok' };
}

/** Category codes as their labels: `mental-health/anxiety` → `心理健康 › 焦虑`. */
export function categoryText(codes: readonly string[], settings: Pick<CaseSettingsResponse, 'categories'> | null): string {
  if (codes.length === 0) return '—';
  return codes
    .map((code) => {
      const [top, child] = code.split('/');
      const node = settings?.categories.find((n) => n.id === top);
      if (!node) return code;
      const sub = child ? node.children.find((c) => c.id === child)?.label ?? child : null;
      return sub ? `${node.label} › ${sub}` : node.label;
    })
    .join('、');
}

export interface OrderRow {
  id: string;
  grade: string;
  status: string;
  centre: string;
  deadline: string;
  tone: DeadlineTone;
  /** 督办 reached on any deadline of the order's life. */
  supervised: boolean;
}

export function orderRow(o: WorkOrderSummary, settings: CaseSettingsResponse | null, now: number): OrderRow {
  const d = deadlineText(o.deadline, now);
  return {
    id: o.id,
    grade: gradeText(o.grade),
    status: settings?.labels.orderStatus[o.status] ?? o.status,
    centre: o.centreName ?? o.centreId ?? '未派单',
    deadline: d.text,
    tone: d.tone,
    supervised: o.overdue.accept > 0 || o.overdue.reply > 0,
  };
}

/** Most urgent first: overdue, then by due time; orders without a deadline last, newest first. */
export function byUrgency(a: WorkOrderSummary, b: WorkOrderSummary): number {
  const da = a.deadline ? Date.parse(a.deadline.dueAt) : Infinity;
  const db = b.deadline ? Date.parse(b.deadline.dueAt) : Infinity;
  if (da !== db) return da - db;
  return Date.parse(b.createdAt) - Date.parse(a.createdAt);
}
