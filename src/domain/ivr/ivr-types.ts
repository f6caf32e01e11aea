/**
 * The IVR engine's contract with the call service: state in, event in, state and commands out.
 * The engine does no I/O; the service plays prompts, runs timers and routes.
 */
import type { Language, PathStep, RoutingRequest } from '../calls/routing-request.ts';

export interface IvrState {
  /** Line id from config. An out-of-season line hands over to another line, and this follows. */
  line: string;
  /** Current menu id; null once routed. */
  menu: string | null;
  language: Language;
  /** Failed attempts (invalid key or no input) in the current menu. */
  attempts: number;
  /** Digits collected so far for a multi-digit menu. */
  digits: string;
  path: PathStep[];
  highRisk: boolean;
  /** True once a 'route' command was issued; later events are ignored. */
  done: boolean;
  /** True while the last 'play' is still playing (so a digit must stop it: barge-in). */
  playing: boolean;
}

export type IvrEvent =
  /** One DTMF digit 0-9 * #; any other string counts as an invalid key. */
  | { type: 'digit'; digit: string }
  /** All prompts of the last 'play' finished (not sent for a playback stopped by 'stop-playback'). */
  | { type: 'prompts-finished' }
  /** The timer from the last 'start-timer' fired. */
  | { type: 'timeout' };

/** A prompt id, played in the play command's language, or an id pinned to its own language. */
export type PromptRef = string | { prompt: string; language: Language };

export type IvrCommand =
  /** Prompts, played in order; DTMF barges in. */
  | { type: 'play'; prompts: PromptRef[]; language: Language }
  /** The caller pressed a key while prompts play. */
  | { type: 'stop-playback' }
  /** (Re)start the single input timer; replaces any running one. The service answers with 'timeout'. */
  | { type: 'start-timer'; ms: number }
  | { type: 'cancel-timer' }
  /** Done: hand the caller to the queue. There is deliberately no hang-up command. */
  | { type: 'route'; routing: RoutingRequest };

export interface IvrStep {
  state: IvrState;
  commands: IvrCommand[];
}
