import type { Logger } from 'pino';
import type { CallEvent } from '../../domain/calls/call-machine.ts';
import type { LiveCall } from '../../ports/live-calls.ts';
import type { CallEventBus } from './call-events.ts';
import type { LiveCallFields } from './call-transitions.ts';

/**
 * What a feature (queue, escalation, transfer, monitoring, callbacks) may do with the calls the
 * router holds: find one, run work in its serial order, log on its logger and move it on by a
 * named event. Features depend on this rather than on `CallService`, so that the router's own
 * workings (dispatch, resync, hand-over) stay its own.
 */
export interface CallHandle {
  /** The live call this process handles, if any. */
  getCall(callId: string): LiveCall | undefined;
  /**
   * Runs work on a call through its serial executor, after whatever is already queued for it;
   * asked from inside that call's own turn, it runs at once as part of the turn.
   */
  runOnCall(callId: string, task: () => Promise<void>): Promise<void>;
  /** The call's child logger. */
  logFor(callId: string): Logger;
  /** Moves the call on by a named event of the call machine; false (logged) when refused. */
  transition(call: LiveCall, event: CallEvent): boolean;
  /** True once the caller left: work still finishing on the call must not move it on. */
  hasEnded(call: LiveCall): boolean;
  /** The router's event bus: features subscribe to each other's events here when they are built. */
  readonly events: CallEventBus;
}

/** For a feature that brings calls of its own (a callback dialled out) to the router. */
export interface CallAdoption extends CallHandle {
  /** Makes a call born connected ('adopted-connected') one of the router's live calls. */
  adoptConnected(fields: LiveCallFields): Promise<LiveCall>;
}
