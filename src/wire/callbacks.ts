/** Callbacks callers asked for while waiting. */
import type { PendingCallback } from '../ports/jobs.ts';

export type { PendingCallback } from '../ports/jobs.ts';

/** GET /api/callbacks: numbers masked. */
export interface CallbacksResponse {
  callbacks: PendingCallback[];
}

/** POST /api/callbacks/{jobId}/claim: the full number, for the person who claimed it. */
export interface ClaimCallbackResponse {
  callback: PendingCallback;
}

/** POST /api/callbacks/{jobId}/dial (202). */
export interface DialBackResponse {
  dialBack: { id: string; callId: string };
}
