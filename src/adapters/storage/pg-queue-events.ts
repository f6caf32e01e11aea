import type pg from 'pg';
import type { QueueEvent, QueueEventLog, QueueStats } from '../../ports/queue-events.ts';

export class PgQueueEvents implements QueueEventLog {
  /** `observe` sees each event as it is logged (metrics). */
  constructor(private readonly pool: pg.Pool, private readonly observe: (e: QueueEvent) => void = () => undefined) {}

  async append(e: QueueEvent): Promise<void> {
    this.observe(e);
    await this.appendOnce(null, e);
  }

  /** Appends under an id: the same id again is a no-op (a replayed deferred write). */
  async appendOnce(opId: string | null, e: QueueEvent): Promise<void> {
    await this.pool.query(
      `INSERT INTO queue_events (at, type, call_id, counsellor_id, data, op_id) VALUES ($1,$2,$3,$4,$5,$6)
       ON CONFLICT (op_id) DO NOTHING`,
      [e.at, e.type, e.callId ?? null, e.counsellorId ?? null, JSON.stringify(e.data ?? {}), opId],
    );
  }

  async list(sinceIso: string, limit: number): Promise<QueueEvent[]> {
    const res = await this.pool.query<{ at: Date; type: QueueEvent['type']; call_id: string | null; counsellor_id: string | null; data: Record<string, unknown> }>(
      'SELECT at, type, call_id, counsellor_id, data FROM queue_events WHERE at >= $1 ORDER BY id LIMIT $2',
      [sinceIso, limit],
    );
    return res.rows.map((r) => ({
      at: r.at.toISOString(), type: r.type, ...(r.call_id ? { callId: r.call_id } : {}),
      ...(r.counsellor_id ? { counsellorId: r.counsellor_id } : {}), data: r.data,
    }));
  }

  /**
   * Figures from the event log: 'enter' = offered to the queue, 'connect' carries waitMs, 'abandon' too.
   * A caller re-queued after an escalation enters twice but is offered once: callers are counted, not entries.
   */
  async stats(sinceIso: string, slSeconds: number, timeZone: string): Promise<QueueStats> {
    const totals = await this.pool.query<{ offered: string; answered: string; abandoned: string; callbacks: string; within: string; asa: string | null; longest: string | null }>(
      `SELECT
         count(DISTINCT call_id) FILTER (WHERE type = 'enter') AS offered,
         count(*) FILTER (WHERE type = 'connect') AS answered,
         count(*) FILTER (WHERE type = 'abandon') AS abandoned,
         count(*) FILTER (WHERE type = 'callback-requested') AS callbacks,
         count(*) FILTER (WHERE type = 'connect' AND (data->>'waitMs')::numeric <= $2 * 1000) AS within,
         avg((data->>'waitMs')::numeric) FILTER (WHERE type = 'connect') / 1000 AS asa,
         max((data->>'waitMs')::numeric) FILTER (WHERE type IN ('connect', 'abandon')) / 1000 AS longest
       FROM queue_events WHERE at >= $1`,
      [sinceIso, slSeconds],
    );
    const t = totals.rows[0];
    const offered = Number(t?.offered ?? 0);
    const answered = Number(t?.answered ?? 0);
    const abandoned = Number(t?.abandoned ?? 0);
    const hours = await this.pool.query<{ hour: number; offered: string; answered: string; avg_wait: string | null }>(
      `SELECT extract(hour FROM at AT TIME ZONE $2)::int AS hour,
              count(DISTINCT call_id) FILTER (WHERE type = 'enter') AS offered,
              count(*) FILTER (WHERE type = 'connect') AS answered,
              avg((data->>'waitMs')::numeric) FILTER (WHERE type = 'connect') / 1000 AS avg_wait
       FROM queue_events WHERE at >= $1 GROUP BY 1 ORDER BY 1`,
      [sinceIso, timeZone],
    );
    const round = (v: string | null | undefined) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);
    return {
      since: sinceIso,
      offered,
      answered,
      abandoned,
      callbacks: Number(t?.callbacks ?? 0),
      serviceLevel: answered + abandoned > 0 ? Number(t?.within ?? 0) / (answered + abandoned) : null,
      averageSpeedOfAnswerSec: round(t?.asa),
      longestWaitSec: round(t?.longest),
      abandonRate: offered > 0 ? abandoned / offered : null,
      byHour: hours.rows.map((h) => ({ hour: h.hour, offered: Number(h.offered), answered: Number(h.answered), averageWaitSec: round(h.avg_wait) })),
    };
  }
}
