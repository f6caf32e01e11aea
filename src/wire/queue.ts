/** The queue: waiting callers, today's statistics and the event log. */
import type { QueueEvent, QueueStats } from '../ports/queue-events.ts';
import type { QueuedCaller } from '../ports/queue-store.ts';
import type { CallerReach } from '../domain/routing/eligibility.ts';

export type { CallerReach } from '../domain/routing/eligibility.ts';

export type { QueueEvent, QueueEventType, QueueStats } from '../ports/queue-events.ts';

export type HourBucket = QueueStats['byHour'][number];

/** One waiting caller: GET /api/queue. `position` counts from 1. */
export type QueueEntry = Pick<
  QueuedCaller,
  'callId' | 'line' | 'need' | 'language' | 'priority' | 'highRisk' | 'state' | 'offeredTo' | 'callbackRequested' | 'overflowed'
> & {
  position: number;
  waitSec: number;
  /** The caller's local team (id) and its name from `areas.teams`; null when any team may answer. */
  team: string | null;
  teamName: string | null;
  /** How far the search for a counsellor has widened (own team, province, any team, any counsellor). */
  reach: CallerReach;
};

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
