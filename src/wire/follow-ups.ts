/** Follow-up calls (回访): the API's shapes (GET /api/follow-ups, GET /api/follow-ups/:id, POST …/outcome). */
import type { RiskGrade } from '../domain/cases/risk-grade.ts';
import type { AttemptOutcome } from '../domain/follow-ups/follow-up-outcome.ts';
import type { DialResult } from '../ports/follow-ups.ts';

export type { AttemptOutcome };

export interface FollowUpView {
  id: string;
  caseId: string;
  orderId: string | null;
  attempt: number;
  maxAttempts: number;
  grade: RiskGrade;
  dueAt: string;
  startedAt: string | null;
  endedAt: string | null;
  counsellorId: string | null;
  callId: string | null;
  dialResult: DialResult | null;
  outcome: AttemptOutcome | null;
  satisfied: boolean | null;
  alertedAt: string | null;
}

/** What the counsellor sees while the follow-up rings them, before the caller is dialled. */
export interface FollowUpCaseView {
  caseId: string;
  callId: string;
  grade: RiskGrade | null;
  categories: string[];
  /** The last summary of the case (null once erased). */
  summary: string | null;
  callerNumber: string | null;
}

export interface FollowUpsResponse {
  /** Scheduled, being dialled, or connected and waiting for the outcome. */
  open: FollowUpView[];
  /** Attempts with an outcome, newest first. */
  recent: FollowUpView[];
}

export interface FollowUpDetailResponse {
  followUp: FollowUpView;
  case: FollowUpCaseView;
}

export interface FollowUpOutcomeRequest {
  outcome: AttemptOutcome;
  /** Reached: was the young person satisfied with how the case was handled (closes or reopens a waiting order). */
  satisfied?: boolean;
  note?: string;
}

export interface FollowUpOutcomeResponse {
  followUp: FollowUpView;
}
