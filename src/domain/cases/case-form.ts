/**
 * The wrap-up form a counsellor fills in for a case, and the rules that decide whether it can be
 * saved. A form that is not complete yet is kept as a draft; a draft only has to be possible
 * (known categories, a valid grade), a saved case has to be complete. Pure.
 */
import { checkCategories, type CategoryError, type CategoryTree } from './categories.ts';
import { gradeAllowed, gradeFloor, gradeRequiresOrder, isRiskGrade, type CallRiskFacts, type RiskGrade } from './risk-grade.ts';

/** Where the caller is, as far as they said: a city, and the county (区/县) when known. */
export interface CallerArea {
  city: string;
  county: string | null;
}

export interface CaseConsent {
  /** The caller agreed to a follow-up call (回访) from the hotline. */
  followUpCall: boolean;
  /** The caller agreed to a local centre contacting them. */
  centreContact: boolean;
}

export interface CaseForm {
  categories: string[];
  grade: RiskGrade;
  summary: string;
  /** null: the caller did not say where they are. */
  area: CallerArea | null;
  consent: CaseConsent;
  /** The counsellor asks for a work order (grades 一级 and 二级 get one regardless). */
  orderRequested: boolean;
}

/** A form as typed so far; any field may be missing. */
export type CaseDraft = Partial<CaseForm>;

export interface CaseRules {
  categories: CategoryTree;
  facts: CallRiskFacts;
  autoOrderGrades: readonly RiskGrade[];
  summaryMaxLength: number;
  /** True for an area the centre directory knows; unknown areas could not be routed. */
  isKnownArea: (area: CallerArea) => boolean;
}

export type CaseFieldError =
  | { field: 'categories'; code: 'categories-required' }
  | ({ field: 'categories' } & CategoryError)
  | { field: 'grade'; code: 'grade-required' | 'grade-invalid' }
  | { field: 'grade'; code: 'grade-below-floor'; floor: RiskGrade }
  | { field: 'summary'; code: 'summary-required' }
  | { field: 'summary'; code: 'summary-too-long'; maxLength: number }
  | { field: 'area'; code: 'area-unknown' }
  | { field: 'consent'; code: 'consent-required' };

export type CaseCheck =
  | { ok: true; form: CaseForm; orderRequired: boolean }
  | { ok: false; errors: CaseFieldError[] };

function possibleFieldErrors(draft: CaseDraft, rules: CaseRules): CaseFieldError[] {
  const errors: CaseFieldError[] = [];
  if (draft.categories !== undefined) {
    for (const e of checkCategories(rules.categories, draft.categories)) errors.push({ field: 'categories', ...e });
  }
  if (draft.grade !== undefined) {
    if (!isRiskGrade(draft.grade)) errors.push({ field: 'grade', code: 'grade-invalid' });
    else if (!gradeAllowed(draft.grade, rules.facts)) errors.push({ field: 'grade', code: 'grade-below-floor', floor: gradeFloor(rules.facts) });
  }
  if (draft.summary !== undefined && [...draft.summary].length > rules.summaryMaxLength) {
    errors.push({ field: 'summary', code: 'summary-too-long', maxLength: rules.summaryMaxLength });
  }
  if (draft.area && !rules.isKnownArea(draft.area)) errors.push({ field: 'area', code: 'area-unknown' });
  return errors;
}

/** Errors that make a draft impossible to keep; missing fields are fine in a draft. */
export function checkDraft(draft: CaseDraft, rules: CaseRules): CaseFieldError[] {
  return possibleFieldErrors(draft, rules);
}

/** Whether the form can be saved as a case, and whether it needs a work order. */
export function checkCaseForm(draft: CaseDraft, rules: CaseRules): CaseCheck {
  const errors = possibleFieldErrors(draft, rules);
  if (!draft.categories || draft.categories.length === 0) errors.push({ field: 'categories', code: 'categories-required' });
  if (draft.grade === undefined) errors.push({ field: 'grade', code: 'grade-required' });
  if (draft.summary === undefined || draft.summary.trim() === '') errors.push({ field: 'summary', code: 'summary-required' });
  if (draft.consent === undefined) errors.push({ field: 'consent', code: 'consent-required' });
  if (errors.length > 0) return { ok: false, errors };
  const form: CaseForm = {
    categories: [...(draft.categories ?? [])],
    grade: draft.grade as RiskGrade,
    summary: (draft.summary ?? '').trim(),
    area: draft.area ?? null,
    consent: { ...(draft.consent as CaseConsent) },
    orderRequested: draft.orderRequested ?? false,
  };
  return { ok: true, form, orderRequired: form.orderRequested || gradeRequiresOrder(form.grade, rules.autoOrderGrades) };
}

/** Why a call has a case without a form: nobody answered it. */
export type UnansweredReason = 'abandoned' | 'callback';
