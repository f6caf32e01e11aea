import type { RoutingRequest } from '../domain/calls/routing-request.ts';

/** A caller who asked to be called back; keeps their original place in the queue. */
export interface CallbackRequest {
  callId: string;
  callerNumber: string;
  routing: RoutingRequest;
  enqueuedAt: number;
  requestedAt: string;
}

/** Durable background work (BullMQ): callbacks now; work orders and follow-up calls later. */
export interface PendingCallback extends CallbackRequest {
  jobId: string;
}

/** A claim of a pending callback: one person wins it; the others learn it is taken. */
export type CallbackClaim =
  | { status: 'claimed'; callback: PendingCallback }
  | { status: 'taken' }
  | { status: 'unknown' };

export interface Jobs {
  requestCallback(request: CallbackRequest): Promise<string>;
  /** Callbacks not yet made, oldest place in the queue first. */
  pendingCallbacks(): Promise<PendingCallback[]>;
  /**
   * A person takes a pending callback to make it. Atomic: of two people claiming the same job at
   * once, exactly one gets it, so a caller is neither rung twice nor left to "the other one".
   * `record` (the audit entry) runs for the winner before the job is finished; if it fails, the
   * claim is undone and the callback stays pending: never a claimed callback nobody can see.
   */
  claimCallback(jobId: string, claimedBy: string, record: (callback: PendingCallback) => Promise<void>): Promise<CallbackClaim>;
  /**
   * Holds a pending callback for someone who is dialling it now (see `claimCallback` for the
   * atomicity and `record`). It leaves the pending list; `finishCallback` ends it once the caller
   * answered, `returnCallback` puts it back; a hold nobody ends lapses after `holdMs` (a service
   * restart mid-dial), and the callback is pending again.
   */
  reserveCallback(jobId: string, claimedBy: string, record: (callback: PendingCallback) => Promise<void>, holdMs: number): Promise<CallbackClaim>;
  finishCallback(jobId: string): Promise<void>;
  returnCallback(jobId: string): Promise<void>;
}
