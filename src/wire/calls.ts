/** Calls: live calls, the counsellor's own call, call records, escalation and transfer. */
import type { Language, PathStep } from '../domain/calls/routing-request.ts';
import type { EscalationStatus } from '../domain/escalation/escalation-machine.ts';
import type { TransferMode, TransferStatus } from '../domain/transfer/transfer-machine.ts';
import type { CallRecord } from '../ports/call-records.ts';
import type { CallPhase } from '../ports/live-calls.ts';

export type { Language, PathStep } from '../domain/calls/routing-request.ts';
export type { EscalationStatus } from '../domain/escalation/escalation-machine.ts';
export type { TransferMode, TransferStatus } from '../domain/transfer/transfer-machine.ts';
export type { CallOutcome, CallRecord } from '../ports/call-records.ts';
export type { CallPhase } from '../ports/live-calls.ts';

/** The escalation to 110 running on a live call. */
export interface ActiveEscalation {
  id: string;
  state: EscalationStatus;
  startedAt: string;
  connectedAt: string | null;
}

/** One live call: GET /api/calls/active. `need` and `language` are null until the IVR routed the call. */
export interface ActiveCall {
  callId: string;
  line: string;
  need: string | null;
  language: Language | null;
  phase: CallPhase;
  counsellorId: string | null;
  highRisk: boolean;
  critical: boolean;
  startedAt: string;
  escalation: ActiveEscalation | null;
}

export interface ActiveCallsResponse {
  calls: ActiveCall[];
}

/** The counsellor's own call: GET /api/counsellors/me/call. The number is masked. */
export interface MyCall {
  callId: string;
  line: string;
  need: string | null;
  language: Language | null;
  path: PathStep[];
  highRisk: boolean;
  critical: boolean;
  callerNumber: string;
  phase: CallPhase;
  /** Seconds since the call started. */
  waitSec: number;
  escalation: ActiveEscalation | null;
  /** The transfer to a colleague running on the call: 'consulting' is when complete may be pressed. */
  transfer: ActiveTransfer | null;
}

/** A transfer to a colleague in progress. */
export interface ActiveTransfer {
  /** The colleague's channel (as returned when the transfer started). */
  id: string;
  mode: TransferMode;
  status: TransferStatus;
  colleagueId: string;
}

export interface MyCallResponse {
  call: MyCall | null;
}

/** GET /api/calls: records with masked numbers. */
export interface CallListResponse {
  calls: CallRecord[];
}

export interface CallRecordResponse {
  call: CallRecord;
}

export interface RevealNumberResponse {
  callerNumber: string;
}

/** POST /api/calls/{callId}/escalate (202). */
export interface EscalateResponse {
  escalation: { id: string; state: EscalationStatus };
}

/** POST /api/calls/{callId}/transfer: `mode` defaults to warm. */
export interface TransferRequest {
  to: string;
  mode?: 'warm' | 'blind';
}

/** POST /api/calls/{callId}/transfer (202). */
export interface TransferResponse {
  transfer: { id: string };
}

/** POST /api/calls/{callId}/transfer/complete and /transfer/cancel (200): where the transfer ended. */
export interface TransferActionResponse {
  transfer: { status: TransferStatus };
}
