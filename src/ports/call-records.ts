import type { PathStep } from '../domain/calls/routing-request.ts';

/** Why a call ended, from the hotline's point of view. */
export type CallOutcome =
  | 'completed' // talked to a counsellor
  | 'abandoned' // caller hung up while waiting
  | 'ivr-hangup' // caller hung up in the menus
  | 'greeted' // heard the greeting only (first slice)
  | 'callback-requested'
  | 'escalated'
  | 'handed-to-dialplan' // our code could not continue; the dialplan's fallback took over
  | 'failed';

export interface CallRecord {
  callId: string;
  line: string;
  dialled: string;
  callerNumber: string;
  startedAt: string;
  answeredAt: string | null;
  connectedAt: string | null;
  endedAt: string | null;
  outcome: CallOutcome | null;
  language: string | null;
  need: string | null;
  highRisk: boolean;
  critical: boolean;
  counsellorId: string | null;
  path: PathStep[];
}

/**
 * What may be written to a call record. The satisfaction answer is written but not read back with
 * the record: it is counted per counsellor for supervisors only (`SatisfactionStats`).
 */
export type CallRecordPatch = Partial<Omit<CallRecord, 'callId' | 'startedAt'>> & {
  /** The survey answer: 1 满意, 2 基本满意, 3 不满意. */
  satisfaction?: 1 | 2 | 3;
  satisfactionAt?: string;
};

export interface CallListQuery {
  limit: number;
  before?: string;
  counsellorId?: string;
}

/** Durable call records (PostgreSQL in production; in-memory in unit tests). */
export interface CallRecords {
  open(record: Pick<CallRecord, 'callId' | 'line' | 'dialled' | 'callerNumber' | 'startedAt'>): Promise<void>;
  update(callId: string, patch: CallRecordPatch): Promise<void>;
  get(callId: string): Promise<CallRecord | null>;
  list(query: CallListQuery): Promise<CallRecord[]>;
}

/** Survey answers per counsellor, for supervisors. */
export interface SatisfactionCount {
  counsellorId: string;
  satisfied: number;
  basicallySatisfied: number;
  dissatisfied: number;
}

/** Counts of survey answers given between `from` (inclusive) and `to` (exclusive), per counsellor. */
export interface SatisfactionStats {
  countByCounsellor(fromIso: string, toIso: string): Promise<SatisfactionCount[]>;
}
