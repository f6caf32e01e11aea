import type { Logger } from 'pino';
import type { HotlineConfig } from '../../config/hotline-config.ts';
import type { CallRecords } from '../../ports/call-records.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Jobs } from '../../ports/jobs.ts';
import type { LiveCalls } from '../../ports/live-calls.ts';
import type { Notifier } from '../../ports/notifier.ts';
import type { QueueEventLog, QueueEventType } from '../../ports/queue-events.ts';
import type { QueueStore } from '../../ports/queue-store.ts';
import type { Telephony } from '../../ports/telephony.ts';
import type { CallHandle } from '../calls/call-handle.ts';
import type { PlaybackOwners } from '../calls/playback-owners.ts';
import type { CounsellorService } from './counsellor-service.ts';

/** What the queue's collaborators share. */
export interface QueueContext {
  telephony: Telephony;
  store: QueueStore;
  counsellors: CounsellorService;
  calls: CallHandle;
  liveCalls: LiveCalls;
  records: CallRecords;
  events: QueueEventLog;
  notifier: Notifier;
  jobs: Jobs;
  clock: Clock;
  config: HotlineConfig;
  playbacks: PlaybackOwners;
  log: Logger;
}

export const HOLDING_BRIDGE = 'hotline-holding';

export function offerChannelId(offerId: string, counsellorId: string): string {
  return `offer-${offerId}-${counsellorId}`;
}

/** offer-<8 hex>-<counsellor id> → its parts; null for any other channel id. */
export function parseOfferChannelId(channelId: string): { offerId: string; counsellorId: string } | null {
  const m = /^offer-([0-9a-f]{8})-(.+)$/.exec(channelId);
  return m ? { offerId: m[1] as string, counsellorId: m[2] as string } : null;
}

export async function logQueueEvent(
  ctx: QueueContext,
  type: QueueEventType,
  callId: string | undefined,
  counsellorId: string | undefined,
  data: Record<string, unknown> = {},
): Promise<void> {
  await ctx.events.append({
    at: ctx.clock.now().toISOString(), type, ...(callId ? { callId } : {}), ...(counsellorId ? { counsellorId } : {}), data,
  });
}
