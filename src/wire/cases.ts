/** Cases (个案): the wrap-up form of a call, repeat callers, and the settings the form is built from. */
import type { CallerArea, CaseConsent, CaseFieldError, UnansweredReason } from '../domain/cases/case-form.ts';
import type { CategoryNode } from '../domain/cases/categories.ts';
import type { CallRiskFacts, RiskGrade } from '../domain/cases/risk-grade.ts';
import type { CaseKind, CaseStatus } from '../ports/cases.ts';
import type { WorkOrderSummary } from './work-orders.ts';

export type { CallerArea, CaseConsent, CaseDraft, CaseFieldError, CaseForm, UnansweredReason } from '../domain/cases/case-form.ts';
export type { CategoryNode } from '../domain/cases/categories.ts';
export type { CallRiskFacts, RiskGrade } from '../domain/cases/risk-grade.ts';
export type { CaseKind, CaseStatus } from '../ports/cases.ts';

/** A case as the pages see it: the caller's number masked, never their key. */
export interface CaseView {
  id: string;
  callId: string;
  kind: CaseKind;
  status: CaseStatus;
  counsellorId: string | null;
  unansweredReason: UnansweredReason | null;
  categories: string[];
  grade: RiskGrade | null;
  summary: string | null;
  area: CallerArea | null;
  consent: CaseConsent | null;
  orderRequested: boolean;
  facts: CallRiskFacts;
  /** Masked (138******78); null when withheld or erased. */
  callerNumber: string | null;
  createdAt: string;
  updatedAt: string;
  savedAt: string | null;
  erasedAt: string | null;
}

/**
 * GET /api/cases/by-call/{callId}: the call's case (null while nobody wrote a draft and the call
 * has not ended), the grade floor the call's facts set, and the grade to preselect.
 */
export interface CallCaseResponse {
  callId: string;
  case: CaseView | null;
  facts: CallRiskFacts;
  /** The lowest risk the form may choose (1 = 一级): 1 for an escalated call, 2 after the emergency key, else 4. */
  gradeFloor: RiskGrade;
  suggestedGrade: RiskGrade;
  orders: WorkOrderSummary[];
}

/** PUT /api/cases/by-call/{callId}/draft. */
export interface DraftResponse {
  case: CaseView;
}

/** POST /api/cases/by-call/{callId}/submit: `created` false when the idempotency key had been used. */
export interface SubmitCaseResponse {
  case: CaseView;
  order: WorkOrderSummary | null;
  created: boolean;
}

/** details of a 400 `case-form-invalid`: one entry per field problem. */
export interface CaseFormInvalidDetails {
  errors: CaseFieldError[];
}

/** One earlier case of the same caller, without the number. */
export interface RepeatCallEntry {
  caseId: string;
  callId: string;
  at: string;
  kind: CaseKind;
  grade: RiskGrade | null;
  categories: string[];
}

/**
 * GET /api/cases/by-call/{callId}/repeat-caller: has this number called before? Linked by a keyed
 * hash of the number; the number itself is not in the answer.
 */
export interface RepeatCallerResponse {
  /** False when the number was withheld or no caller-key secret is configured: nothing can be linked. */
  linkable: boolean;
  /** Earlier cases (this call's not counted). */
  previousCases: number;
  /** Their dates, newest first (at most 10). */
  dates: string[];
  lastGrade: RiskGrade | null;
  lastCategories: string[];
  /** An order of an earlier case is still open (not closed or discarded). */
  openOrder: boolean;
}

/** GET /api/cases/{caseId}/caller-history (supervisors): every case of this caller, newest first. */
export interface CallerHistoryResponse {
  cases: Array<CaseView & { orders: WorkOrderSummary[] }>;
}

/** POST /api/cases/{caseId}/erase-caller (supervisors, audited): how many cases and call records were erased. */
export interface EraseCallerResponse {
  cases: number;
  calls: number;
}

/** GET /api/cases: newest first. */
export interface CaseListResponse {
  cases: CaseView[];
}

/** GET /api/cases/{caseId}. */
export interface CaseResponse {
  case: CaseView;
  orders: WorkOrderSummary[];
}

/** A centre of the directory, as the pages list it. */
export interface CentreEntry {
  id: string;
  name: string;
  level: 'province' | 'city' | 'county';
  city: string | null;
  county: string | null;
  categories: string[];
}

/** GET /api/cases/settings: what the case form and the order pages are built from (config/cases.yaml, centres.yaml). */
export interface CaseSettingsResponse {
  categories: CategoryNode[];
  grades: Array<{ grade: RiskGrade; label: string }>;
  autoOrderGrades: RiskGrade[];
  summaryMaxLength: number;
  /** City → its counties (an empty list: the city has no county level). */
  areas: Record<string, string[]>;
  centres: CentreEntry[];
  labels: { orderStatus: Record<string, string>; orderEvent: Record<string, string>; followUpOutcome: Record<string, string> };
}
