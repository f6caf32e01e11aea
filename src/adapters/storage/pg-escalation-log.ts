import type pg from 'pg';
import type { EscalationState } from '../../domain/escalation/escalation-machine.ts';
import type { EscalationLog } from '../../ports/escalation-log.ts';

export class PgEscalationLog implements EscalationLog {
  constructor(private readonly pool: pg.Pool) {}

  async save(s: EscalationState, outcome: string | null, endedAt: string | null): Promise<void> {
    await this.pool.query(
      `INSERT INTO escalations (id, call_id, counsellor_id, started_at, connected_at, ended_at, route, outcome, attempts)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
       ON CONFLICT (id) DO UPDATE SET connected_at = EXCLUDED.connected_at, ended_at = EXCLUDED.ended_at,
         route = EXCLUDED.route, outcome = EXCLUDED.outcome, attempts = EXCLUDED.attempts`,
      [s.id, s.callId, s.counsellorId ?? '', s.startedAt, s.connectedAt, endedAt, s.routes[s.attempt] ?? null, outcome ?? s.status, JSON.stringify(s.attempts)],
    );
  }

  async countSince(sinceIso: string): Promise<number> {
    const r = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM escalations WHERE started_at >= $1', [sinceIso]);
    return Number(r.rows[0]?.n ?? 0);
  }

  async list(limit: number): Promise<Array<EscalationState & { outcome: string | null; endedAt: string | null }>> {
    const r = await this.pool.query<{ id: string; call_id: string; counsellor_id: string; started_at: Date; connected_at: Date | null; ended_at: Date | null; route: string | null; outcome: string | null; attempts: EscalationState['attempts'] }>(
      'SELECT * FROM escalations ORDER BY started_at DESC LIMIT $1',
      [limit],
    );
    return r.rows.map((x) => ({
      id: x.id, callId: x.call_id, counsellorId: x.counsellor_id || null, routes: x.route ? [x.route] : [], attempt: 0,
      status: (x.outcome ?? 'ended') as EscalationState['status'], legChannelId: null, startedAt: x.started_at.toISOString(),
      connectedAt: x.connected_at?.toISOString() ?? null, attempts: x.attempts, announce: false, outcome: x.outcome, endedAt: x.ended_at?.toISOString() ?? null,
    }));
  }
}
