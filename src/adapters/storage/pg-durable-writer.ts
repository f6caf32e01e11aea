import type pg from 'pg';
import { WriteRefusedError, type DurableWrite, type DurableWriter } from '../../ports/deferred-writes.ts';
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
    try {
      await this.write(id, w);
    } catch (err) {
      throw isRefusal(err) ? new WriteRefusedError(err) : err;
    }
  }

  private async write(id: string, w: DurableWrite): Promise<void> {
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

/**
 * PostgreSQL answered with an error of the statement itself (a SQLSTATE outside the connection,
 * resource and operator-intervention classes). A pool that is full or slow, a refused connection
 * or a shutdown is not a refusal: the write waits in the backlog.
 */
function isRefusal(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^(08|53|57|58)/.test(code);
}
