import type { AttemptOutcome } from '../domain/follow-ups/follow-up-outcome.ts';
import type { RiskGrade } from '../domain/cases/risk-grade.ts';

/** How an attempt's dialling ended, before (or without) an outcome. */
export type DialResult = 'connected' | 'caller-no-answer' | 'counsellor-no-answer';

/** One attempt of a follow-up call (回访), as stored (table follow_ups). */
export interface FollowUpRecord {
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
  leaseUntil: string | null;
  outcome: AttemptOutcome | null;
  satisfied: boolean | null;
  recordedBy: string | null;
  alertedAt: string | null;
  createdAt: string;
}

/** A saved case that wants a follow-up and has none yet. */
export interface FollowUpCaseCandidate {
  caseId: string;
  grade: RiskGrade;
  consented: boolean;
  escalated: boolean;
  savedAt: string;
}

/**
 * A work order waiting for its follow-up (回访) whose case gets one, with no attempt since it began
 * waiting: a new series is planned for it, numbered on from the case's earlier attempts.
 */
export interface FollowUpOrderCandidate extends FollowUpCaseCandidate {
  orderId: string;
  /** When the order began waiting (its reply approved). */
  awaitingSince: string;
  /** The case's highest attempt number so far (0: none). */
  lastAttempt: number;
}

export interface NewFollowUp {
  id: string;
  caseId: string;
  /** The order this series follows up, when planned for one. */
  orderId?: string | null;
  attempt: number;
  maxAttempts: number;
  grade: RiskGrade;
  dueAt: string;
  createdAt: string;
}

export interface FollowUpStore {
  /** Saved cases with a grade, with consent or escalated, never followed up, personal data not erased. */
  unplannedCases(limit: number): Promise<FollowUpCaseCandidate[]>;
  /** Adds an attempt; false when the case has an open one already or the attempt exists. */
  /** Orders awaiting their follow-up with no open attempt and none since they began waiting; none after a decline. */
  unplannedOrders(limit: number): Promise<FollowUpOrderCandidate[]>;
  add(f: NewFollowUp): Promise<boolean>;
  get(id: string): Promise<FollowUpRecord | null>;
  /** Attempts without an outcome (scheduled, dialling, or connected and waiting for the outcome). */
  open(limit: number): Promise<FollowUpRecord[]>;
  /** Ended or failed attempts, newest first (supervisors' list). */
  recent(limit: number): Promise<FollowUpRecord[]>;
  attemptsOf(caseId: string): Promise<FollowUpRecord[]>;
  /**
   * Takes a due attempt to dial it: only when it has no outcome, was not dialled to a connection,
   * is not held by another dialling, its case's data is not erased and nobody declined a follow-up
   * of the case. Null otherwise. The database's row lock makes two takers one.
   */
  take(id: string, counsellorId: string, at: string, leaseUntil: string): Promise<FollowUpRecord | null>;
  /** The dialling ended: connected (then the outcome comes later), or not (given back). */
  dialled(id: string, result: DialResult, callId: string | null, at: string): Promise<void>;
  /** Records the outcome once; null when the attempt has one already. */
  finish(id: string, o: { outcome: AttemptOutcome; satisfied: boolean | null; orderId: string | null; recordedBy: string; at: string }): Promise<FollowUpRecord | null>;
  markAlerted(id: string, at: string): Promise<void>;
}

/** A follow-up attempt's wake-up at its due time (BullMQ delayed job; deterministic id per attempt). */
export interface FollowUpTimer {
  id: string;
  followUpId: string;
  fireAt: string;
}

export interface FollowUpTimerQueue {
  /** Adds the timers; one whose id exists already is left as it is. */
  schedule(timers: readonly FollowUpTimer[], now: Date): Promise<void>;
  /** Timers that exist (waiting, delayed, running or done), by id. */
  existing(ids: readonly string[]): Promise<Set<string>>;
  /** Makes the named delayed timers run now (the clock passed their time). */
  promote(ids: readonly string[]): Promise<void>;
  process(handler: (followUpId: string) => Promise<void>): void;
  close(): Promise<void>;
}
