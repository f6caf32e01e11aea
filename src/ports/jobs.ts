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
export interface Jobs {
  requestCallback(request: CallbackRequest): Promise<string>;
}
