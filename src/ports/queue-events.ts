/** The queue's event log, from which service level, speed of answer and abandonment are computed. */
export type QueueEventType =
  | 'enter' | 'offer' | 'no-answer' | 'connect' | 'abandon' | 'callback-requested' | 'complete' | 'overflow' | 'auto-pause';

export interface QueueEvent {
  at: string;
  type: QueueEventType;
  callId?: string;
  counsellorId?: string;
  data?: Record<string, unknown>;
}

export interface QueueStats {
  since: string;
  offered: number;
  answered: number;
  abandoned: number;
  callbacks: number;
  serviceLevel: number | null;
  averageSpeedOfAnswerSec: number | null;
  longestWaitSec: number | null;
  abandonRate: number | null;
  byHour: Array<{ hour: number; offered: number; answered: number; averageWaitSec: number | null }>;
}

export interface QueueEventLog {
  append(event: QueueEvent): Promise<void>;
  list(sinceIso: string, limit: number): Promise<QueueEvent[]>;
  stats(sinceIso: string, serviceLevelSeconds: number, timeZone: string): Promise<QueueStats>;
}
