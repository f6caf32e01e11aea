/**
 * Where a caller's call is, as one named state machine. Pure: a state and an event in, the next
 * state or a refusal out; nothing is thrown for ordinary input. `CallService.transition` is the
 * one place that applies it to a live call.
 *
 * The live states are the phases stored with the call in Redis; their string values must not
 * change. `new` (before the call exists) and `ended` (the caller left) are never stored: a call
 * is created by its first event and removed from the store when it ends.
 */

/** Where a live call is. Persisted so a restarted service knows what each channel in Stasis is. */
export type CallPhase = 'ivr' | 'queued' | 'offered' | 'connected' | 'escalating' | 'transferring' | 'ending';

export type CallState = 'new' | CallPhase | 'ended';

export type CallEvent =
  /** A caller's channel entered Stasis: the menus start. */
  | 'entered'
  /** A callback dialled from the hotline reached the caller: born connected to the counsellor. */
  | 'adopted-connected'
  /** The menus chose a queue. */
  | 'routed'
  /** Counsellors are being rung (again, when matching re-offers a caller). */
  | 'offered'
  /** Every counsellor rung let the offer lapse: the caller waits again. */
  | 'offer-withdrawn'
  | 'answered'
  | 'escalation-started'
  /** The escalation to 110 is over and the counsellor is still on the call. */
  | 'escalation-ended'
  /** The escalation or transfer is over and nobody is with the caller: back to the front of the queue. */
  | 'requeued'
  /** A colleague is rung for this call (the transfer machine, domain/transfer): the caller holds. */
  | 'transfer-started'
  /** The transfer is over with someone on the call: the colleague took it, or the counsellor has the caller back. */
  | 'transfer-ended'
  /**
   * After a restart or reconnect, a caller found in the queue waits again: ringing offers are
   * withdrawn. A stored call can still be in `ivr` when the service stopped between putting the
   * caller in the queue and saving the phase.
   */
  | 'resumed-waiting'
  /** Handling failed: the caller goes to the dialplan's fallback. */
  | 'handed-to-dialplan'
  /** The caller's channel left Stasis: the call ends, once. */
  | 'caller-left';

export const CALL_PHASES: readonly CallPhase[] = ['ivr', 'queued', 'offered', 'connected', 'escalating', 'transferring', 'ending'];
export const CALL_STATES: readonly CallState[] = ['new', ...CALL_PHASES, 'ended'];
export const CALL_EVENTS: readonly CallEvent[] = [
  'entered', 'adopted-connected', 'routed', 'offered', 'offer-withdrawn', 'answered', 'escalation-started',
  'escalation-ended', 'requeued', 'transfer-started', 'transfer-ended', 'resumed-waiting', 'handed-to-dialplan', 'caller-left',
];

const LIVE_BEFORE_ENDING: readonly CallPhase[] = ['ivr', 'queued', 'offered', 'connected', 'escalating', 'transferring'];

/** Each event: the states it may happen in, and where it leads. Anything not listed is refused. */
const TRANSITIONS: Readonly<Record<CallEvent, { from: readonly CallState[]; to: CallState }>> = {
  entered: { from: ['new'], to: 'ivr' },
  'adopted-connected': { from: ['new'], to: 'connected' },
  routed: { from: ['ivr'], to: 'queued' },
  offered: { from: ['queued', 'offered'], to: 'offered' },
  'offer-withdrawn': { from: ['offered'], to: 'queued' },
  answered: { from: ['offered'], to: 'connected' },
  'escalation-started': { from: ['connected'], to: 'escalating' },
  'escalation-ended': { from: ['escalating'], to: 'connected' },
  requeued: { from: ['escalating', 'connected', 'transferring'], to: 'queued' },
  'transfer-started': { from: ['connected'], to: 'transferring' },
  'transfer-ended': { from: ['transferring'], to: 'connected' },
  'resumed-waiting': { from: ['ivr', 'queued', 'offered'], to: 'queued' },
  'handed-to-dialplan': { from: LIVE_BEFORE_ENDING, to: 'ending' },
  'caller-left': { from: CALL_PHASES, to: 'ended' },
};

export type CallTransitionErrorCode = 'CALL_ILLEGAL_TRANSITION' | 'CALL_UNKNOWN_STATE' | 'CALL_UNKNOWN_EVENT';

export type CallStep =
  | { ok: true; from: CallState; event: CallEvent; next: CallState }
  | { ok: false; from: string; event: string; code: CallTransitionErrorCode; message: string };

const isState = (s: string): s is CallState => (CALL_STATES as readonly string[]).includes(s);
const isEvent = (e: string): e is CallEvent => Object.hasOwn(TRANSITIONS, e);

/**
 * The state `event` leads to from `from`, or why it may not happen. Takes plain strings too, as a
 * phase read back from Redis is only as good as what was stored.
 */
export function nextCallState(from: CallState | string, event: CallEvent | string): CallStep {
  if (!isState(from)) return { ok: false, from, event, code: 'CALL_UNKNOWN_STATE', message: `unknown call state '${from}'` };
  if (!isEvent(event)) return { ok: false, from, event, code: 'CALL_UNKNOWN_EVENT', message: `unknown call event '${event}'` };
  const rule = TRANSITIONS[event];
  if (!rule.from.includes(from)) {
    return { ok: false, from, event, code: 'CALL_ILLEGAL_TRANSITION', message: `'${event}' cannot happen to a call in '${from}'` };
  }
  return { ok: true, from, event, next: rule.to };
}

export function isLivePhase(state: CallState): state is CallPhase {
  return (CALL_PHASES as readonly string[]).includes(state);
}
