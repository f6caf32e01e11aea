import type { Logger } from 'pino';
import type { Telephony } from '../../ports/telephony.ts';

/** The dialplan context that catches callers our code cannot serve (see dialplans/). */
export const FALLBACK_TARGET = { context: 'hotline-fallback', extension: 's', priority: 1 };

/**
 * Duty of care: when our code fails on a call, the caller goes back to the dialplan, which
 * plays a message, retries the service and finally rings every free counsellor phone.
 * Never throws: it is the last thing that runs on a failure path.
 */
export async function handToDialplan(telephony: Telephony, channelId: string, log: Logger, why: unknown): Promise<boolean> {
  log.error({ err: why }, 'handing the caller to the dialplan fallback');
  try {
    await telephony.continueInDialplan(channelId, FALLBACK_TARGET);
    return true;
  } catch (err) {
    log.error({ err }, 'could not hand the caller to the dialplan (channel gone?)');
    return false;
  }
}
