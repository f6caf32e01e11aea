import type { EscalationState } from '../../domain/escalation/escalation-machine.ts';
import type { AuditEntry, AuditLog } from '../../ports/auth.ts';
import type { CallListQuery, CallRecord, CallRecordPatch, CallRecords } from '../../ports/call-records.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EscalationLog } from '../../ports/escalation-log.ts';
import type { QueueEvent, QueueEventLog, QueueStats } from '../../ports/queue-events.ts';
import type { WriteBehind } from './write-behind.ts';

/*
 * The stores the call path writes to, with their writes going through WriteBehind (so a database
 * outage never stops a call) and their reads straight to the database (a page may fail; a call may not).
 */

export class DeferredCallRecords implements CallRecords {
  constructor(private readonly inner: CallRecords, private readonly writes: WriteBehind) {}

  open(record: Pick<CallRecord, 'callId' | 'line' | 'dialled' | 'callerNumber' | 'startedAt'>): Promise<void> {
    return this.writes.write({ kind: 'call-open', record });
  }
  update(callId: string, patch: CallRecordPatch): Promise<void> {
    return this.writes.write({ kind: 'call-update', callId, patch });
  }
  get(callId: string): Promise<CallRecord | null> {
    return this.inner.get(callId);
  }
  list(query: CallListQuery): Promise<CallRecord[]> {
    return this.inner.list(query);
  }
}

export class DeferredQueueEvents implements QueueEventLog {
  /** `observe` sees each event when it happens (metrics), not when it is written. */
  constructor(private readonly inner: QueueEventLog, private readonly writes: WriteBehind, private readonly observe: (e: QueueEvent) => void = () => undefined) {}

  append(event: QueueEvent): Promise<void> {
    this.observe(event);
    return this.writes.write({ kind: 'queue-event', event });
  }
  list(sinceIso: string, limit: number): Promise<QueueEvent[]> {
    return this.inner.list(sinceIso, limit);
  }
  stats(sinceIso: string, serviceLevelSeconds: number, timeZone: string): Promise<QueueStats> {
    return this.inner.stats(sinceIso, serviceLevelSeconds, timeZone);
  }
}

export class DeferredAuditLog implements AuditLog {
  constructor(private readonly inner: AuditLog, private readonly writes: WriteBehind, private readonly clock: Clock) {}

  /** Durable once it returns: in the database, or in the backlog that is written to it. */
  append(entry: AuditEntry): Promise<void> {
    return this.writes.write({ kind: 'audit', entry, at: this.clock.now().toISOString() });
  }
  list(limit: number): Promise<Array<AuditEntry & { id: number; at: string }>> {
    return this.inner.list(limit);
  }
}

export class DeferredEscalationLog implements EscalationLog {
  constructor(private readonly inner: EscalationLog, private readonly writes: WriteBehind) {}

  save(state: EscalationState, outcome: string | null, endedAt: string | null): Promise<void> {
    return this.writes.write({ kind: 'escalation', state, outcome, endedAt });
  }
  countSince(sinceIso: string): Promise<number> {
    return this.inner.countSince(sinceIso);
  }
  list(limit: number): Promise<Array<EscalationState & { outcome: string | null; endedAt: string | null }>> {
    return this.inner.list(limit);
  }
}
