import type { CallerArea, CaseConsent, CaseDraft, CaseForm, UnansweredReason } from '../domain/cases/case-form.ts';
import type { CallRiskFacts, RiskGrade } from '../domain/cases/risk-grade.ts';
import type { NewWorkOrder, WorkOrderRecord } from './work-orders.ts';

export type CaseKind = 'counselled' | 'unanswered';
export type CaseStatus = 'draft' | 'saved';

/**
 * A case (个案) as stored: the wrap-up form of a call, or a call nobody answered. Personal data
 * (summary, number, caller key, county) is erased after the retention period; `erasedAt` says when.
 */
export interface CaseRecord {
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
  /** Keyed hash of the caller's number, linking repeat callers. */
  callerKey: string | null;
  /** Kept for the follow-up call (回访) until the retention period ends. */
  callerNumber: string | null;
  createdAt: string;
  updatedAt: string;
  savedAt: string | null;
  erasedAt: string | null;
}

/** The caller as the call knows them. */
export interface CaseCaller {
  callerKey: string | null;
  callerNumber: string | null;
}

export interface DraftWrite extends CaseCaller {
  /** Used when the call has no case yet. */
  id: string;
  callId: string;
  counsellorId: string;
  draft: CaseDraft;
  facts: CallRiskFacts;
  at: string;
}

/** A case to save: a checked form, or a call nobody answered; with its order when one is needed. */
export type CaseSubmission = CaseCaller & {
  /** Submitting twice with the same key stores one case (and one order). */
  idempotencyKey: string;
  /** Used when the call has no draft yet. */
  id: string;
  callId: string;
  facts: CallRiskFacts;
  at: string;
  order: Omit<NewWorkOrder, 'caseId'> | null;
} & (
  | { kind: 'counselled'; counsellorId: string; form: CaseForm }
  | { kind: 'unanswered'; reason: UnansweredReason }
);

export interface SubmitResult {
  case: CaseRecord;
  order: WorkOrderRecord | null;
  /** False when the idempotency key had been used: nothing new was written. */
  created: boolean;
}

/** Saved cases in a period, counted by category, grade and city (analytics). */
export interface CaseCount {
  category: string;
  grade: RiskGrade | null;
  city: string | null;
  cases: number;
}

export interface CaseStore {
  /**
   * Keeps the unsaved form of a call's case (creating the case as a draft). Fails with
   * ConflictError `case-already-saved` once the case is saved.
   */
  saveDraft(write: DraftWrite): Promise<CaseRecord>;
  /**
   * Saves the case (turning its draft into the case) and, when given, creates its work order with
   * the order's event and outbox rows, all in one transaction. The same idempotency key returns
   * what was stored the first time; a call whose case was saved under another key fails with
   * ConflictError `case-already-saved`.
   */
  submit(submission: CaseSubmission): Promise<SubmitResult>;
  get(caseId: string): Promise<CaseRecord | null>;
  getByCall(callId: string): Promise<CaseRecord | null>;
  /** Cases newest first (by creation), optionally of one counsellor and/or status: a counsellor's unsaved drafts. */
  list(query: { counsellorId?: string; status?: CaseStatus; limit: number }): Promise<CaseRecord[]>;
  /** Earlier cases of the same caller, newest first (repeat callers). */
  listByCaller(callerKey: string, limit: number): Promise<CaseRecord[]>;
  /** Saved cases with `savedAt` in [from, to), counted per category (a case counts once in each of its categories). */
  countBy(query: { from: string; to: string }): Promise<CaseCount[]>;
  /**
   * Erases the personal data of cases created before `before` (summary, number, caller key,
   * county, and the texts of their orders' events); categories, grade and city stay. Returns how
   * many cases were erased.
   */
  eraseExpired(before: string, at: string): Promise<number>;
}
