import type pg from 'pg';
import type { DurableWrite, DurableWriter } from '../../ports/deferred-writes.ts';
import type { PgAuditLog } from './pg-audit-log.ts';
import type { PgCallRecords } from './pg-call-records.ts';
import type { PgEscalationLog } from './pg-escalation-log.ts';
import type { PgQueueEvents } from './pg-queue-events.ts';

/**
 * The call path's writes, each safe to apply twice: calls are opened ON CONFLICT DO NOTHING and
 * updated by key, escalations upserted by id, queue events and audit entries inserted under their
 * write id. So a write replayed after an outage (it may have landed before the answer was lost)
 * is never there twice.
 */
export class PgDurableWriter implements DurableWriter {
  constructor(
    private readonly pool: pg.Pool,
    private readonly s: { records: PgCallRecords; events: PgQueueEvents; audit: PgAuditLog; escalations: PgEscalationLog },
  ) {}

  async apply(id: string, w: DurableWrite): Promise<void> {
    switch (w.kind) {
      case 'call-open':
        return this.s.records.open(w.record);
      case 'call-update':
        return this.s.records.update(w.callId, w.patch);
      case 'queue-event':
        return this.s.events.appendOnce(id, w.event);
      case 'audit':
        return this.s.audit.appendOnce(id, w.entry, w.at);
      case 'escalation':
        return this.s.escalations.save(w.state, w.outcome, w.endedAt);
    }
  }

  async ping(): Promise<boolean> {
    return (await this.pool.query('SELECT 1').catch(() => null))?.rowCount === 1;
  }
}
