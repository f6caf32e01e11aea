/**
 * Inputs and outputs of the counsellor state machine (`counsellor-state.ts`): the events that
 * drive it, the settings it needs, the effects it asks the service to carry out, and its result.
 */
import type { CounsellorSnapshot, CounsellorStatus, PauseReason } from './types.ts';

/**
 * What happens to a counsellor. `answer`, `no-answer`, `offer-withdrawn` and `call-ended` may carry
 * the call id they are about; a mismatch with the current call is rejected, so a late ring timeout
 * for an earlier offer, or the late end of an earlier call, cannot affect the current one.
 */
export type CounsellorEvent =
  | { type: 'login' }
  | { type: 'logout' }
  | { type: 'pause'; reason: PauseReason }
  | { type: 'resume' }
  | { type: 'offer'; callId: string }
  | { type: 'answer'; callId?: string }
  | { type: 'no-answer'; callId?: string }
  /** The offer ended without the counsellor's fault: caller hung up, or another counsellor answered (ring-all). */
  | { type: 'offer-withdrawn'; callId?: string }
  | { type: 'call-ended'; callId?: string }
  | { type: 'wrap-up-elapsed' }
  | { type: 'registration-lost' }
  | { type: 'registration-restored' };

export type CounsellorEventType = CounsellorEvent['type'];

export interface CounsellorSettings {
  /** Wrap-up time after a call; 0 or less makes the counsellor available at once. */
  wrapUpMs: number;
  /** Consecutive unanswered offers before an automatic pause; 0 or less never pauses. */
  maxMissedBeforePause: number;
}

/** Work the service must do after a transition. */
export type CounsellorEffect =
  | { type: 'start-wrap-up-timer'; ms: number }
  | { type: 'cancel-wrap-up-timer' }
  /** The counsellor can take a call now: look for a waiting caller (`pickCallerForCounsellor`). */
  | { type: 'became-available' }
  /** Stop ringing this counsellor and put the call back to matching. */
  | { type: 'withdraw-offer'; callId: string }
  /** Add the counsellor to the call's `declinedBy`. */
  | { type: 'offer-missed'; callId: string }
  | { type: 'auto-paused'; reason: 'no-answer' };

export type TransitionError =
  | { code: 'invalid-transition'; from: CounsellorStatus; event: CounsellorEventType }
  | { code: 'call-mismatch'; event: CounsellorEventType; expected: string | null; actual: string };

export type TransitionResult =
  | { ok: true; snapshot: CounsellorSnapshot; effects: CounsellorEffect[] }
  | { ok: false; error: TransitionError };
