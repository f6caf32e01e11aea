import type pg from 'pg';
import type { CallListQuery, CallRecord, CallRecordPatch, CallRecords, SatisfactionCount, SatisfactionStats } from '../../ports/call-records.ts';

const COLUMNS: Record<keyof CallRecordPatch, string> = {
  line: 'line', dialled: 'dialled', callerNumber: 'caller_number', answeredAt: 'answered_at',
  connectedAt: 'connected_at', endedAt: 'ended_at', outcome: 'outcome', language: 'language', need: 'need',
  highRisk: 'high_risk', critical: 'critical', counsellorId: 'counsellor_id', path: 'path',
  satisfaction: 'satisfaction', satisfactionAt: 'satisfaction_at',
};

interface Row {
  call_id: string; line: string; dialled: string; caller_number: string; started_at: Date; answered_at: Date | null;
  connected_at: Date | null; ended_at: Date | null; outcome: string | null; language: string | null; need: string | null;
  high_risk: boolean; critical: boolean; counsellor_id: string | null; path: CallRecord['path'];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toRecord(r: Row): CallRecord {
  return {
    callId: r.call_id, line: r.line, dialled: r.dialled, callerNumber: r.caller_number, startedAt: r.started_at.toISOString(),
    answeredAt: iso(r.answered_at), connectedAt: iso(r.connected_at), endedAt: iso(r.ended_at),
    outcome: r.outcome as CallRecord['outcome'], language: r.language, need: r.need, highRisk: r.high_risk,
    critical: r.critical, counsellorId: r.counsellor_id, path: r.path,
  };
}

export class PgCallRecords implements CallRecords, SatisfactionStats {
  constructor(private readonly pool: pg.Pool) {}

  async open(r: Pick<CallRecord, 'callId' | 'line' | 'dialled' | 'callerNumber' | 'startedAt'>): Promise<void> {
    // ON CONFLICT: a resync after a restart re-opens calls we already know; keep the first record.
    await this.pool.query(
      `INSERT INTO calls (call_id, line, dialled, caller_number, started_at) VALUES ($1,$2,$3,$4,$5)
       ON CONFLICT (call_id) DO NOTHING`,
      [r.callId, r.line, r.dialled, r.callerNumber, r.startedAt],
    );
  }

  async update(callId: string, patch: CallRecordPatch): Promise<void> {
    const sets: string[] = [];
    const values: unknown[] = [callId];
    for (const [key, value] of Object.entries(patch) as Array<[keyof CallRecordPatch, unknown]>) {
      if (value === undefined) continue;
      values.push(key === 'path' ? JSON.stringify(value) : value);
      sets.push(`${COLUMNS[key]} = $${values.length}`);
    }
    if (sets.length === 0) return;
    await this.pool.query(`UPDATE calls SET ${sets.join(', ')} WHERE call_id = $1`, values);
  }

  async get(callId: string): Promise<CallRecord | null> {
    const res = await this.pool.query<Row>('SELECT * FROM calls WHERE call_id = $1', [callId]);
    return res.rows[0] ? toRecord(res.rows[0]) : null;
  }

  async list(q: CallListQuery): Promise<CallRecord[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (q.before) {
      values.push(q.before);
      where.push(`started_at < $${values.length}`);
    }
    if (q.counsellorId) {
      values.push(q.counsellorId);
      where.push(`counsellor_id = $${values.length}`);
    }
    values.push(q.limit);
    const sql = `SELECT * FROM calls ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY started_at DESC LIMIT $${values.length}`;
    return (await this.pool.query<Row>(sql, values)).rows.map(toRecord);
  }

  async countByCounsellor(fromIso: string, toIso: string): Promise<SatisfactionCount[]> {
    const res = await this.pool.query<{ counsellor_id: string; s1: number; s2: number; s3: number }>(
      `SELECT counsellor_id,
              count(*) FILTER (WHERE satisfaction = 1)::int AS s1,
              count(*) FILTER (WHERE satisfaction = 2)::int AS s2,
              count(*) FILTER (WHERE satisfaction = 3)::int AS s3
         FROM calls
        WHERE satisfaction IS NOT NULL AND counsellor_id IS NOT NULL AND satisfaction_at >= $1 AND satisfaction_at < $2
        GROUP BY counsellor_id ORDER BY counsellor_id`,
      [fromIso, toIso],
    );
    return res.rows.map((r) => ({ counsellorId: r.counsellor_id, satisfied: r.s1, basicallySatisfied: r.s2, dissatisfied: r.s3 }));
  }
}
