/**
 * The wrap-up case form (个案记录) as data: what the inputs hold, the draft body sent to the
 * service, the grades a call may be given, and messages for the service's field errors. Pure.
 */
import type {
  CaseDraft, CaseFieldError, CaseSettingsResponse, CaseView, RepeatCallerResponse, RiskGrade,
} from '../../../src/wire/cases.ts';
import { categoryText, GRADE_NAMES } from '../shared/work-orders.ts';

export interface CaseFormState {
  categories: string[];
  grade: RiskGrade | null;
  summary: string;
  city: string;
  county: string;
  followUpCall: boolean;
  centreContact: boolean;
  orderRequested: boolean;
}

/** The inputs from a saved draft, or empty with the suggested grade preselected. */
export function stateFromCase(c: CaseView | null, suggested: RiskGrade): CaseFormState {
  return {
    categories: c?.categories ?? [],
    grade: c?.grade ?? suggested,
    summary: c?.summary ?? '',
    city: c?.area?.city ?? '',
    county: c?.area?.county ?? '',
    followUpCall: c?.consent?.followUpCall ?? false,
    centreContact: c?.consent?.centreContact ?? false,
    orderRequested: c?.orderRequested ?? false,
  };
}

/** What the service is sent (as a draft, or inside a submit). An empty city means "did not say". */
export function draftFromState(s: CaseFormState): CaseDraft {
  return {
    categories: s.categories,
    ...(s.grade !== null ? { grade: s.grade } : {}),
    summary: s.summary,
    area: s.city ? { city: s.city, county: s.county || null } : null,
    consent: { followUpCall: s.followUpCall, centreContact: s.centreContact },
    orderRequested: s.orderRequested,
  };
}

/** Grades the form offers: from 一级 down to the call's floor (an escalated call: 一级 only). */
export function gradeChoices(floor: RiskGrade): RiskGrade[] {
  return ([1, 2, 3, 4] as const).filter((g) => g <= floor);
}

/** An order is made whatever the counsellor ticks for the grades that require one. */
export function orderForced(grade: RiskGrade | null, settings: Pick<CaseSettingsResponse, 'autoOrderGrades'>): boolean {
  return grade !== null && settings.autoOrderGrades.includes(grade);
}

/** One checkbox per code a case may carry, grouped under its top-level category. */
export function categoryGroups(settings: Pick<CaseSettingsResponse, 'categories'>): Array<{ label: string; options: Array<{ code: string; label: string }> }> {
  return settings.categories.map((node) => ({
    label: node.label,
    options: node.children.length === 0 ? [{ code: node.id, label: node.label }] : node.children.map((c) => ({ code: `${node.id}/${c.id}`, label: c.label })),
  }));
}

export function fieldErrorText(e: CaseFieldError): string {
  switch (e.code) {
    case 'categories-required': return '请至少选择一个分类';
    case 'category-unknown': return `未知分类：${e.category}`;
    case 'category-needs-subcategory': return `请选择“${e.category}”下的具体分类`;
    case 'category-duplicate': return `分类重复：${e.category}`;
    case 'grade-required': return '请选择风险等级';
    case 'grade-invalid': return '风险等级无效';
    case 'grade-below-floor': return `本次通话的风险等级不能低于${GRADE_NAMES[e.floor]}`;
    case 'summary-required': return '请填写摘要';
    case 'summary-too-long': return `摘要不能超过${e.maxLength}字`;
    case 'area-unknown': return '所在地区不在服务中心目录中';
    case 'consent-required': return '请确认来电者是否同意回访和中心联系';
  }
}

/** "此号码曾来电 3 次（最近 2026-12-01），上次 二级 · 学业与考试压力；有未办结工单" or null for a first call. */
export function repeatCallerText(r: RepeatCallerResponse, settings: Pick<CaseSettingsResponse, 'categories'> | null): string | null {
  if (!r.linkable || r.previousCases === 0) return null;
  const last = r.dates[0] ? `（最近 ${r.dates[0].slice(0, 10)}）` : '';
  const grade = r.lastGrade ? `${GRADE_NAMES[r.lastGrade]} · ` : '';
  const open = r.openOrder ? '；有未办结工单' : '';
  return `此号码曾来电 ${r.previousCases} 次${last}，上次 ${grade}${categoryText(r.lastCategories, settings)}${open}`;
}
