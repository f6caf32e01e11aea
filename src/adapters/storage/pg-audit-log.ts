import type pg from 'pg';
import type { AuditEntry, AuditLog } from '../../ports/auth.ts';

export class PgAuditLog implements AuditLog {
  constructor(private readonly pool: pg.Pool) {}

  async append(e: AuditEntry): Promise<void> {
    await this.appendOnce(null, e);
  }

  /** Appends under an id: the same id again is a no-op (a replayed deferred write). */
  async appendOnce(opId: string | null, e: AuditEntry, at?: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO audit_log (actor, role, action, call_id, target, data, op_id, at) VALUES ($1,$2,$3,$4,$5,$6,$7,COALESCE($8::timestamptz, now()))
       ON CONFLICT (op_id) DO NOTHING`,
      [e.actor, e.role, e.action, e.callId ?? null, e.target ?? null, JSON.stringify(e.data ?? {}), opId, at ?? null],
    );
  }

  async list(limit: number): Promise<Array<AuditEntry & { id: number; at: string }>> {
    const res = await this.pool.query<{ id: string; at: Date; actor: string; role: AuditEntry['role']; action: string; call_id: string | null; target: string | null; data: Record<string, unknown> }>(
      'SELECT * FROM audit_log ORDER BY id DESC LIMIT $1',
      [limit],
    );
    return res.rows.map((r) => ({
      id: Number(r.id), at: r.at.toISOString(), actor: r.actor, role: r.role, action: r.action,
      ...(r.call_id ? { callId: r.call_id } : {}), ...(r.target ? { target: r.target } : {}), data: r.data,
    }));
  }
}
