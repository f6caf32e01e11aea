import type { Logger } from 'pino';
import { isLivePhase, nextCallState, type CallEvent, type CallState } from '../../domain/calls/call-machine.ts';
import type { LiveCall } from '../../ports/live-calls.ts';

/** A call as built before its first event gives it a phase. */
export type LiveCallFields = Omit<LiveCall, 'phase'>;

/** The events that create a call. */
export type BirthEvent = 'entered' | 'adopted-connected';

/**
 * The one way in to a call's phase: every change is checked against the call machine, logged by
 * name on the call's logger and written here, nowhere else. It does not persist: callers save the
 * live call where they already do, together with the other fields they change.
 */
export class CallTransitions {
  /** Calls whose caller left: `ended` is not a stored phase, the call object keeps its last one. */
  private readonly ended = new WeakSet<LiveCall>();

  constructor(private readonly logFor: (callId: string) => Logger) {}

  /** Creates a call through its first event, so that no call gets a phase any other way. */
  create(fields: LiveCallFields, event: BirthEvent): LiveCall {
    const step = nextCallState('new', event);
    // A birth event is always legal from `new`; the check keeps the table the single source.
    if (!step.ok || !isLivePhase(step.next)) throw new Error(`call machine refuses to create a call by '${event}'`);
    const call: LiveCall = { ...fields, phase: step.next };
    this.logFor(call.callId).info({ from: step.from, to: step.next, event }, 'call transition');
    return call;
  }

  /** Where the call is for the machine: its phase, or `ended` once the caller left. */
  stateOf(call: LiveCall): CallState {
    return this.ended.has(call) ? 'ended' : call.phase;
  }

  /**
   * Applies `event` to the call: true when it moved. A transition the machine refuses is logged
   * as an error with its code and leaves the call as it was.
   */
  apply(call: LiveCall, event: CallEvent): boolean {
    const log = this.logFor(call.callId);
    const step = nextCallState(this.stateOf(call), event);
    if (!step.ok) {
      log.error({ code: step.code, from: step.from, event }, `illegal call transition: ${step.message}`);
      return false;
    }
    if (step.next === 'ended') this.ended.add(call);
    // The stored phase stays what the call was when the caller left: cleanup and the outcome read it.
    else if (isLivePhase(step.next)) call.phase = step.next;
    log.info({ from: step.from, to: step.next, event }, 'call transition');
    return true;
  }
}
