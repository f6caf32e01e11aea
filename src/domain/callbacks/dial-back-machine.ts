/**
 * Dialling a caller back, counsellor first (回拨): the counsellor's phone rings; once they answer
 * they hear ringing while the caller's number is dialled through the carrier; when the caller
 * answers, the two are bridged and the call carries on as any connected call (escalation,
 * monitoring and hang-up handling included). Pure: events in, state and commands out.
 *
 * A callback that did not reach the caller goes back to the pending list; it is finished only
 * once the caller answered. The counsellor is never left in silence: ringing while the caller's
 * phone rings, a short notice when the caller does not answer, then the leg is hung up.
 */

export type DialBackStatus = 'ringing-counsellor' | 'ringing-caller' | 'telling-counsellor' | 'connected' | 'ended';

export type DialBackOutcome = 'connected' | 'counsellor-no-answer' | 'counsellor-left' | 'caller-no-answer';

export interface DialBackState {
  status: DialBackStatus;
  outcome: DialBackOutcome | null;
}

export type DialBackEvent =
  | { type: 'counsellor-answered' }
  /** The counsellor's leg ended: unanswered while ringing, or hung up later. */
  | { type: 'counsellor-gone' }
  | { type: 'caller-answered' }
  /** The caller's leg ended before it answered (busy, no answer, unreachable). */
  | { type: 'caller-failed'; cause: string }
  | { type: 'notice-done' };

export type DialBackCommand =
  | { type: 'bridge-counsellor' }
  | { type: 'play-ringback' }
  | { type: 'dial-caller' }
  | { type: 'stop-ringback' }
  /** Caller and counsellor are bridged; from here the call is an ordinary connected call. */
  | { type: 'connect-caller' }
  | { type: 'play-no-answer-notice' }
  | { type: 'hang-up-caller-leg' }
  | { type: 'hang-up-counsellor-leg' }
  | { type: 'destroy-bridge' }
  /** The callback reached the caller: its job is finished. */
  | { type: 'finish-callback' }
  /** The callback did not reach the caller: back to the pending list for the next person. */
  | { type: 'return-callback' }
  /** The counsellor's part is over without a connected call. */
  | { type: 'release-counsellor'; answered: boolean };

export interface DialBackStep {
  state: DialBackState;
  commands: DialBackCommand[];
}

export function startDialBack(): DialBackState {
  return { status: 'ringing-counsellor', outcome: null };
}

function ended(outcome: DialBackOutcome, commands: DialBackCommand[]): DialBackStep {
  return { state: { status: 'ended', outcome }, commands };
}

/** Events that do not apply in the current status change nothing (a late or repeated event). */
export function handleDialBackEvent(state: DialBackState, event: DialBackEvent): DialBackStep {
  const same: DialBackStep = { state, commands: [] };
  switch (state.status) {
    case 'ringing-counsellor':
      if (event.type === 'counsellor-answered') {
        return { state: { status: 'ringing-caller', outcome: null }, commands: [{ type: 'bridge-counsellor' }, { type: 'play-ringback' }, { type: 'dial-caller' }] };
      }
      if (event.type === 'counsellor-gone') {
        return ended('counsellor-no-answer', [{ type: 'return-callback' }, { type: 'release-counsellor', answered: false }]);
      }
      return same;
    case 'ringing-caller':
      if (event.type === 'caller-answered') {
        return { state: { status: 'connected', outcome: 'connected' }, commands: [{ type: 'stop-ringback' }, { type: 'connect-caller' }, { type: 'finish-callback' }] };
      }
      if (event.type === 'caller-failed') {
        return {
          state: { status: 'telling-counsellor', outcome: 'caller-no-answer' },
          commands: [{ type: 'stop-ringback' }, { type: 'return-callback' }, { type: 'play-no-answer-notice' }],
        };
      }
      if (event.type === 'counsellor-gone') {
        return ended('counsellor-left', [
          { type: 'hang-up-caller-leg' }, { type: 'destroy-bridge' }, { type: 'return-callback' }, { type: 'release-counsellor', answered: true },
        ]);
      }
      return same;
    case 'telling-counsellor':
      if (event.type === 'notice-done') {
        return ended('caller-no-answer', [{ type: 'hang-up-counsellor-leg' }, { type: 'destroy-bridge' }, { type: 'release-counsellor', answered: true }]);
      }
      if (event.type === 'counsellor-gone') {
        return ended('caller-no-answer', [{ type: 'destroy-bridge' }, { type: 'release-counsellor', answered: true }]);
      }
      return same;
    case 'connected':
    case 'ended':
      // Connected: the call service owns the call now. Ended: nothing is left to do.
      return same;
  }
}
