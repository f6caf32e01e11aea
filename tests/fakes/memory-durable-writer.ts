import type { DurableWrite, DurableWriter } from '../../src/ports/deferred-writes.ts';
import type { MemoryAuditLog } from './memory-audit-log.ts';
import type { MemoryCallRecords } from './memory-call-records.ts';
import type { MemoryEscalationLog } from './memory-escalation-log.ts';
import type { MemoryQueueEvents } from './memory-queue-events.ts';

/**
 * The database's side of WriteBehind over the memory stores, with an outage switch: while `down`,
 * every write and ping fails as a stopped PostgreSQL does. Appends are kept once per write id, as
 * the SQL's ON CONFLICT (op_id) does.
 */
export class MemoryDurableWriter implements DurableWriter {
  down = false;
  /** Writes applied, by id, in order (a replay of the same id is not applied again). */
  readonly applied: string[] = [];

  constructor(private readonly s: { records: MemoryCallRecords; events: MemoryQueueEvents; audit: MemoryAuditLog; escalationLog: MemoryEscalationLog }) {}

  async apply(id: string, w: DurableWrite): Promise<void> {
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    if (w.kind === 'call-open') await this.s.records.open(w.record);
    else if (w.kind === 'call-update') await this.s.records.update(w.callId, w.patch);
    else if (w.kind === 'escalation') await this.s.escalationLog.save(w.state, w.outcome, w.endedAt);
    else if (this.applied.includes(id)) return;
    else if (w.kind === 'queue-event') await this.s.events.append(w.event);
    else await this.s.audit.append(w.entry);
    this.applied.push(id);
  }

  async ping(): Promise<boolean> {
    return !this.down;
  }
}
