import type { Logger } from 'pino';
import { isNotFound } from '../../errors.ts';
import type { Telephony } from '../../ports/telephony.ts';

/** The dialplan context that catches callers our code cannot serve (see dialplans/). */
export const FALLBACK_TARGET = { context: 'hotline-fallback', extension: 's', priority: 1 };

/**
 * Duty of care: when our code fails on a call, the caller goes back to the dialplan, which
 * plays a message, retries the service and finally rings every free counsellor phone.
 * Never throws: it is the last thing that runs on a failure path.
 */
export async function handToDialplan(telephony: Telephony, channelId: string, log: Logger, why: unknown): Promise<HandOverResult> {
  log.error({ err: why }, 'handing the caller to the dialplan fallback');
  try {
    await telephony.continueInDialplan(channelId, FALLBACK_TARGET);
    return 'handed';
  } catch (err) {
    // No such channel: the caller hung up, and their hang-up is what made the step fail.
    if (isNotFound(err)) {
      log.info({ err: (err as Error).message }, 'the caller hung up before the hand-over');
      return 'caller-gone';
    }
    log.error({ err }, 'could not hand the caller to the dialplan');
    return 'refused';
  }
}

/** `refused`: the PBX did not take it (retry); `caller-gone`: there was nobody left to hand over. */
export type HandOverResult = 'handed' | 'caller-gone' | 'refused';
