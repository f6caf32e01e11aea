import type { Language } from '../domain/calls/routing-request.ts';
import type { CounsellorSnapshot, WaitingCaller } from '../domain/routing/types.ts';

/** A caller in the queue: what matching needs plus what the dashboard shows. */
export interface QueuedCaller extends WaitingCaller {
  line: string;
  need: string;
  highRisk: boolean;
  language: Language;
  /** 'offered' while a counsellor's phone rings for this caller. */
  state: 'waiting' | 'offered';
  offeredTo: string[];
  /** Claim token of the ringing offer; null while waiting. */
  offerId: string | null;
  callbackRequested: boolean;
  /** Set when the caller lost their specific need's skills to overflow. */
  overflowed: boolean;
}

/**
 * The live queue and counsellor state, shared by every service instance (Redis).
 * `claim` is the one atomic guard: a caller and the counsellors it rings are claimed together
 * or not at all, so two instances (or a restarted one) can never double-assign.
 */
export interface QueueStore {
  putCaller(caller: QueuedCaller): Promise<void>;
  getCaller(callId: string): Promise<QueuedCaller | null>;
  removeCaller(callId: string): Promise<void>;
  /** Waiting callers in queue order (priority, then original entry time). */
  listCallers(): Promise<QueuedCaller[]>;
  putCounsellor(snapshot: CounsellorSnapshot): Promise<void>;
  getCounsellor(id: string): Promise<CounsellorSnapshot | null>;
  listCounsellors(): Promise<CounsellorSnapshot[]>;
  removeCounsellor(id: string): Promise<void>;
  claim(callId: string, counsellorIds: string[], token: string): Promise<boolean>;
  releaseCaller(callId: string, token: string): Promise<void>;
  releaseCounsellor(counsellorId: string, token: string): Promise<void>;
  claimOf(counsellorId: string): Promise<string | null>;
}
