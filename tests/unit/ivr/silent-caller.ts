/**
 * Plays the part of a caller who presses nothing: runs the IVR engine on a line, letting every
 * prompt play to its end and every timer run out, and adds up how long that took.
 */
import type { HotlineConfig } from '../../../src/config/hotline-config.ts';
import type { RoutingRequest } from '../../../src/domain/calls/routing-request.ts';
import { handleEvent, startCall } from '../../../src/domain/ivr/ivr-engine.ts';
import { resolvePrompt } from '../../../src/domain/ivr/ivr-menus.ts';
import type { IvrCommand, IvrEvent } from '../../../src/domain/ivr/ivr-types.ts';
import type { PromptDurations } from '../../../src/domain/ivr/silence-bound.ts';

export interface SilentRun {
  /** Seconds from the answer to the routing. */
  seconds: number;
  routing: RoutingRequest;
  /** Prompts heard, as language/id. */
  heard: string[];
}

/** At most this many engine steps: the engine must route a silent caller long before. */
const MAX_STEPS = 200;

export function runSilentCaller(config: HotlineConfig, number: string, durations: PromptDurations, now: Date): SilentRun {
  let step = startCall(config, number, now);
  let seconds = 0;
  const heard: string[] = [];
  for (let i = 0; i < MAX_STEPS; i++) {
    let next: IvrEvent | undefined;
    for (const cmd of step.commands as IvrCommand[]) {
      if (cmd.type === 'route') return { seconds, routing: cmd.routing, heard };
      if (cmd.type === 'play') {
        for (const ref of cmd.prompts) {
          const { prompt, language } = resolvePrompt(ref, cmd.language);
          const s = durations[prompt]?.[language];
          if (s === undefined) throw new Error(`no duration for ${language}/${prompt}`);
          seconds += s;
          heard.push(`${language}/${prompt}`);
        }
        next = { type: 'prompts-finished' };
      }
      if (cmd.type === 'start-timer') {
        seconds += cmd.ms / 1000;
        next = { type: 'timeout' };
      }
    }
    if (!next) throw new Error(`the engine waits for a key it will never get (step ${i})`);
    step = handleEvent(config, step.state, next, now);
  }
  throw new Error(`a silent caller was not routed after ${MAX_STEPS} steps`);
}
