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

export interface Jobs {
  requestCallback(request: CallbackRequest): Promise<string>;
  /** Callbacks not yet made, oldest place in the queue first. */
  pendingCallbacks(): Promise<PendingCallback[]>;
  /** A person made the callback: the job is finished (and the fact audited by the caller of this). */
  completeCallback(jobId: string): Promise<boolean>;
}
