import type pg from 'pg';
import type { RiskGrade } from '../../domain/cases/risk-grade.ts';
import type { AttemptOutcome } from '../../domain/follow-ups/follow-up-outcome.ts';
import type { DialResult, FollowUpCaseCandidate, FollowUpOrderCandidate, FollowUpRecord, FollowUpStore, NewFollowUp } from '../../ports/follow-ups.ts';

interface Row {
  id: string; case_id: string; order_id: string | null; attempt: number; max_attempts: number | null; grade: RiskGrade | null;
  due_at: Date; started_at: Date | null; ended_at: Date | null; counsellor_id: string | null; call_id: string | null;
  dial_result: DialResult | null; lease_until: Date | null; outcome: AttemptOutcome | null; satisfied: boolean | null;
  recorded_by: string | null; alerted_at: Date | null; created_at: Date;
}

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;
const toRecord = (r: Row): FollowUpRecord => ({
  id: r.id, caseId: r.case_id, orderId: r.order_id, attempt: r.attempt, maxAttempts: r.max_attempts ?? r.attempt, grade: r.grade ?? 4,
  dueAt: r.due_at.toISOString(), startedAt: iso(r.started_at), endedAt: iso(r.ended_at), counsellorId: r.counsellor_id, callId: r.call_id,
  dialResult: r.dial_result, leaseUntil: iso(r.lease_until), outcome: r.outcome, satisfied: r.satisfied, recordedBy: r.recorded_by,
  alertedAt: iso(r.alerted_at), createdAt: r.created_at.toISOString(),
});

/** A case whose personal data is still there and whose person never declined a follow-up. */
const CASE_REACHABLE = `EXISTS (SELECT 1 FROM cases k WHERE k.id = f.case_id AND k.erased_at IS NULL AND COALESCE(k.caller_number, '') <> '')
  AND NOT EXISTS (SELECT 1 FROM follow_ups d WHERE d.case_id = f.case_id AND d.outcome = 'declined')`;

/** Follow-up attempts (回访) in PostgreSQL (migrations 005 and 008). */
export class PgFollowUpStore implements FollowUpStore {
  constructor(private readonly pool: pg.Pool) {}

  async unplannedCases(limit: number): Promise<FollowUpCaseCandidate[]> {
    const res = await this.pool.query<{ id: string; grade: RiskGrade; consented: boolean; escalated: boolean; saved_at: Date }>(
      `SELECT k.id, k.grade, COALESCE((k.consent->>'followUpCall')::boolean, false) AS consented, k.escalated, k.saved_at
       FROM cases k
       WHERE k.status = 'saved' AND k.grade IS NOT NULL AND k.saved_at IS NOT NULL AND k.erased_at IS NULL
         AND COALESCE(k.caller_number, '') <> ''
         AND (COALESCE((k.consent->>'followUpCall')::boolean, false) OR (k.grade = 1 AND k.escalated))
         AND NOT EXISTS (SELECT 1 FROM follow_ups f WHERE f.case_id = k.id)
       ORDER BY k.saved_at LIMIT $1`,
      [limit],
    );
    return res.rows.map((r) => ({ caseId: r.id, grade: r.grade, consented: r.consented, escalated: r.escalated, savedAt: r.saved_at.toISOString() }));
  }

  async unplannedOrders(limit: number): Promise<FollowUpOrderCandidate[]> {
    const res = await this.pool.query<{
      order_id: string; case_id: string; grade: RiskGrade; consented: boolean; escalated: boolean; saved_at: Date; awaiting_since: Date; last_attempt: number;
    }>(
      `SELECT o.id AS order_id, k.id AS case_id, k.grade, COALESCE((k.consent->>'followUpCall')::boolean, false) AS consented, k.escalated,
              k.saved_at, a.at AS awaiting_since,
              COALESCE((SELECT max(f.attempt) FROM follow_ups f WHERE f.case_id = k.id), 0)::int AS last_attempt
       FROM work_orders o JOIN cases k ON k.id = o.case_id
       CROSS JOIN LATERAL (SELECT max(e.at) AS at FROM work_order_events e WHERE e.order_id = o.id AND e.type = 'approve-reply') a
       WHERE o.status = 'awaiting-follow-up' AND a.at IS NOT NULL AND k.status = 'saved' AND k.grade IS NOT NULL AND k.saved_at IS NOT NULL
         AND k.erased_at IS NULL AND COALESCE(k.caller_number, '') <> ''
         AND (COALESCE((k.consent->>'followUpCall')::boolean, false) OR (k.grade = 1 AND k.escalated))
         AND NOT EXISTS (SELECT 1 FROM follow_ups f WHERE f.case_id = k.id
                         AND (f.outcome IS NULL OR f.outcome = 'declined' OR f.created_at >= a.at OR f.ended_at >= a.at))
       ORDER BY a.at LIMIT $1`,
      [limit],
    );
    return res.rows.map((r) => ({
      orderId: r.order_id, caseId: r.case_id, grade: r.grade, consented: r.consented, escalated: r.escalated, savedAt: r.saved_at.toISOString(),
      awaitingSince: r.awaiting_since.toISOString(), lastAttempt: r.last_attempt,
    }));
  }

  async add(f: NewFollowUp): Promise<boolean> {
    const res = await this.pool.query(
      `INSERT INTO follow_ups (id, case_id, order_id, attempt, max_attempts, grade, due_at, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
       ON CONFLICT DO NOTHING`,
      [f.id, f.caseId, f.orderId ?? null, f.attempt, f.maxAttempts, f.grade, f.dueAt, f.createdAt],
    );
    return res.rowCount === 1;
  }

  async get(id: string): Promise<FollowUpRecord | null> {
    const res = await this.pool.query<Row>('SELECT * FROM follow_ups WHERE id = $1', [id]);
    return res.rows[0] ? toRecord(res.rows[0]) : null;
  }

  async open(limit: number): Promise<FollowUpRecord[]> {
    const res = await this.pool.query<Row>('SELECT * FROM follow_ups WHERE outcome IS NULL ORDER BY due_at LIMIT $1', [limit]);
    return res.rows.map(toRecord);
  }

  async recent(limit: number): Promise<FollowUpRecord[]> {
    const res = await this.pool.query<Row>('SELECT * FROM follow_ups WHERE outcome IS NOT NULL ORDER BY ended_at DESC NULLS LAST LIMIT $1', [limit]);
    return res.rows.map(toRecord);
  }

  async attemptsOf(caseId: string): Promise<FollowUpRecord[]> {
    const res = await this.pool.query<Row>('SELECT * FROM follow_ups WHERE case_id = $1 ORDER BY attempt', [caseId]);
    return res.rows.map(toRecord);
  }

  async take(id: string, counsellorId: string, at: string, leaseUntil: string): Promise<FollowUpRecord | null> {
    const res = await this.pool.query<Row>(
      `UPDATE follow_ups f SET started_at = $3, counsellor_id = $2, lease_until = $4, dial_result = NULL
       WHERE f.id = $1 AND f.outcome IS NULL AND f.due_at <= $3 AND COALESCE(f.dial_result, '') <> 'connected'
         AND (f.lease_until IS NULL OR f.lease_until <= $3) AND ${CASE_REACHABLE}
       RETURNING *`,
      [id, counsellorId, at, leaseUntil],
    );
    return res.rows[0] ? toRecord(res.rows[0]) : null;
  }

  async dialled(id: string, result: DialResult, callId: string | null, at: string): Promise<void> {
    await this.pool.query(
      `UPDATE follow_ups SET dial_result = $2, call_id = COALESCE($3, call_id), lease_until = NULL,
         ended_at = CASE WHEN $2 = 'counsellor-no-answer' THEN ended_at ELSE $4::timestamptz END
       WHERE id = $1 AND outcome IS NULL`,
      [id, result, callId, at],
    );
  }

  async finish(id: string, o: { outcome: AttemptOutcome; satisfied: boolean | null; orderId: string | null; recordedBy: string; at: string }): Promise<FollowUpRecord | null> {
    const res = await this.pool.query<Row>(
      `UPDATE follow_ups SET outcome = $2, satisfied = $3, order_id = COALESCE($4, order_id), recorded_by = $5,
         ended_at = COALESCE(ended_at, $6), lease_until = NULL
       WHERE id = $1 AND outcome IS NULL RETURNING *`,
      [id, o.outcome, o.satisfied, o.orderId, o.recordedBy, o.at],
    );
    return res.rows[0] ? toRecord(res.rows[0]) : null;
  }

  async markAlerted(id: string, at: string): Promise<void> {
    await this.pool.query('UPDATE follow_ups SET alerted_at = $2 WHERE id = $1', [id, at]);
  }
}
