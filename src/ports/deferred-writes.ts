import type { EscalationState } from '../domain/escalation/escalation-machine.ts';
import type { AuditEntry } from './auth.ts';
import type { CallRecord, CallRecordPatch } from './call-records.ts';
import type { QueueEvent } from './queue-events.ts';

/** A write of the call path to the database: records, queue events, audit entries, escalations. */
export type DurableWrite =
  | { kind: 'call-open'; record: Pick<CallRecord, 'callId' | 'line' | 'dialled' | 'callerNumber' | 'startedAt'> }
  | { kind: 'call-update'; callId: string; patch: CallRecordPatch }
  | { kind: 'queue-event'; event: QueueEvent }
  | { kind: 'audit'; entry: AuditEntry; at: string }
  | { kind: 'escalation'; state: EscalationState; outcome: string | null; endedAt: string | null };

/**
 * Applies a write so that applying it again under the same id changes nothing (none twice). A write
 * the database refuses (it answered: a constraint, a bad value) rejects with `WriteRefusedError`;
 * anything else (refused connection, timeout, shutdown) is an outage, and the write can wait.
 */
export interface DurableWriter {
  apply(id: string, write: DurableWrite): Promise<void>;
  /** Whether the database answers at all (a flush starts only then). */
  ping(): Promise<boolean>;
}

/** The database answered and refused the write: waiting will not help. */
export class WriteRefusedError extends Error {
  readonly code = 'write-refused';
  constructor(override readonly cause: unknown) {
    super(`the database refused the write: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

export interface BacklogItem {
  id: string;
  at: string;
  write: DurableWrite;
}

/**
 * Writes the database could not take yet, oldest first, kept where a restart of the service does
 * not lose them (Redis, with AOF). Bounded: `push` throws `BacklogFullError` at capacity.
 */
export interface WriteBacklog {
  push(item: BacklogItem): Promise<void>;
  head(n: number): Promise<BacklogItem[]>;
  dropHead(n: number): Promise<void>;
  /** A write the database refuses while it answers: kept aside for a person, never dropped. */
  deadLetter(item: BacklogItem, why: string): Promise<void>;
  length(): Promise<number>;
  /** One instance flushes at a time, so the backlog is written in its order. */
  lockFlush(owner: string, ttlMs: number): Promise<boolean>;
  unlockFlush(owner: string): Promise<void>;
}

export class BacklogFullError extends Error {
  readonly code = 'backlog-full';
  constructor(capacity: number) {
    super(`the write backlog holds ${capacity} writes already`);
  }
}
