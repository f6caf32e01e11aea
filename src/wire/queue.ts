/** The queue: waiting callers, today's statistics and the event log. */
import type { QueueEvent, QueueStats } from '../ports/queue-events.ts';
import type { QueuedCaller } from '../ports/queue-store.ts';

export type { QueueEvent, QueueEventType, QueueStats } from '../ports/queue-events.ts';

export type HourBucket = QueueStats['byHour'][number];

/** One waiting caller: GET /api/queue. `position` counts from 1. */
export type QueueEntry = Pick<
  QueuedCaller,
  'callId' | 'line' | 'need' | 'language' | 'priority' | 'highRisk' | 'state' | 'offeredTo' | 'callbackRequested' | 'overflowed'
> & { position: number; waitSec: number };

export interface QueueResponse {
  waiting: QueueEntry[];
}

/** Today's figures plus escalations to 110 of the last 24 hours. */
export type TodayStats = QueueStats & { escalations: number };

export interface QueueStatsResponse {
  stats: TodayStats;
}

export interface QueueEventsResponse {
  events: QueueEvent[];
}

/** POST /api/queue/{callId}/priority. */
export interface RaisePriorityRequest {
  priority: 'high' | 'emergency';
}
