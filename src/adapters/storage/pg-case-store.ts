import type pg from 'pg';
import type { CaseConsent } from '../../domain/cases/case-form.ts';
import type { RiskGrade } from '../../domain/cases/risk-grade.ts';
import { ConflictError } from '../../errors.ts';
import type { CaseCount, CaseRecord, CaseStore, CaseSubmission, DraftWrite, SubmitResult } from '../../ports/cases.ts';
import type { WorkOrderRecord } from '../../ports/work-orders.ts';
import { insertOrder, toOrder, type OrderRow } from './pg-work-order-rows.ts';
import { pgCode, withTransaction } from './pg-transaction.ts';

interface CaseRow {
  id: string; call_id: string; idempotency_key: string | null; kind: CaseRecord['kind']; status: CaseRecord['status'];
  counsellor_id: string | null; unanswered_reason: CaseRecord['unansweredReason']; categories: string[]; grade: RiskGrade | null;
  summary: string | null; city: string | null; county: string | null; consent: CaseConsent | null; order_requested: boolean;
  escalated: boolean; emergency_key: boolean; caller_key: string | null; caller_number: string | null;
  created_at: Date; updated_at: Date; saved_at: Date | null; erased_at: Date | null;
}

const toCase = (r: CaseRow): CaseRecord => ({
  id: r.id, callId: r.call_id, kind: r.kind, status: r.status, counsellorId: r.counsellor_id, unansweredReason: r.unanswered_reason,
  categories: r.categories, grade: r.grade, summary: r.summary, area: r.city === null ? null : { city: r.city, county: r.county },
  consent: r.consent, orderRequested: r.order_requested, facts: { escalated: r.escalated, emergencyKey: r.emergency_key },
  callerKey: r.caller_key, callerNumber: r.caller_number, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
  savedAt: r.saved_at?.toISOString() ?? null, erasedAt: r.erased_at?.toISOString() ?? null,
});

/** The case's fields from a submission, in the column order of the writes below. */
function submittedColumns(s: CaseSubmission): unknown[] {
  const form = s.kind === 'counselled' ? s.form : null;
  return [
    s.kind, s.kind === 'counselled' ? s.counsellorId : null, s.kind === 'unanswered' ? s.reason : null,
    form?.categories ?? [], form?.grade ?? null, form?.summary ?? null, form?.area?.city ?? null, form?.area?.county ?? null,
    form ? JSON.stringify(form.consent) : null, form?.orderRequested ?? false, s.facts.escalated, s.facts.emergencyKey,
    s.callerKey, s.callerNumber,
  ];
}

export class PgCaseStore implements CaseStore {
  constructor(private readonly pool: pg.Pool) {}

  async saveDraft(w: DraftWrite): Promise<CaseRecord> {
    const d = w.draft;
    const res = await this.pool.query<CaseRow>(
      `INSERT INTO cases (id, call_id, kind, status, counsellor_id, categories, grade, summary, city, county, consent, order_requested,
                          escalated, emergency_key, caller_key, caller_number, created_at, updated_at)
       VALUES ($1,$2,'counselled','draft',$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$15)
       ON CONFLICT (call_id) DO UPDATE SET counsellor_id = EXCLUDED.counsellor_id, categories = EXCLUDED.categories, grade = EXCLUDED.grade,
         summary = EXCLUDED.summary, city = EXCLUDED.city, county = EXCLUDED.county, consent = EXCLUDED.consent,
         order_requested = EXCLUDED.order_requested, escalated = EXCLUDED.escalated, emergency_key = EXCLUDED.emergency_key,
         updated_at = EXCLUDED.updated_at
       WHERE cases.status = 'draft'
       RETURNING *`,
      [
        w.id, w.callId, w.counsellorId, d.categories ?? [], d.grade ?? null, d.summary ?? null, d.area?.city ?? null, d.area?.county ?? null,
        d.consent ? JSON.stringify(d.consent) : null, d.orderRequested ?? false, w.facts.escalated, w.facts.emergencyKey,
        w.callerKey, w.callerNumber, w.at,
      ],
    );
    const row = res.rows[0];
    if (!row) throw new ConflictError('case-already-saved', `the case of call ${w.callId} is saved; it has no draft any more`);
    return toCase(row);
  }

  async submit(s: CaseSubmission): Promise<SubmitResult> {
    try {
      const result = await withTransaction(this.pool, (client) => this.submitIn(client, s));
      if (result) return result;
    } catch (err) {
      // Two submissions raced on the same key or call: the loser finds the winner's result below.
      if (pgCode(err) !== '23505') throw err;
    }
    const stored = await this.byIdempotencyKey(this.pool, s.idempotencyKey);
    if (stored) return stored;
    throw new ConflictError('case-already-saved', `the case of call ${s.callId} was saved by another submission`);
  }

  /** Null when the key was used already (the caller reads what was stored). */
  private async submitIn(client: pg.PoolClient, s: CaseSubmission): Promise<SubmitResult | null> {
    if (await this.byIdempotencyKey(client, s.idempotencyKey)) return null;
    const existing = (await client.query<CaseRow>('SELECT * FROM cases WHERE call_id = $1 FOR UPDATE', [s.callId])).rows[0];
    if (existing && existing.status === 'saved') {
      // A submission under the same key saved the draft while this one waited for its lock (a
      // double click): the caller reads what it stored.
      if (existing.idempotency_key === s.idempotencyKey) return null;
      throw new ConflictError('case-already-saved', `the case of call ${s.callId} is saved already`);
    }
    const columns = submittedColumns(s);
    const res = existing
      ? await client.query<CaseRow>(
        `UPDATE cases SET idempotency_key = $2, status = 'saved', kind = $3, counsellor_id = $4, unanswered_reason = $5, categories = $6,
           grade = $7, summary = $8, city = $9, county = $10, consent = $11, order_requested = $12, escalated = $13, emergency_key = $14,
           caller_key = $15, caller_number = $16, updated_at = $17, saved_at = $17
         WHERE id = $1 RETURNING *`,
        [existing.id, s.idempotencyKey, ...columns, s.at],
      )
      : await client.query<CaseRow>(
        `INSERT INTO cases (id, idempotency_key, kind, counsellor_id, unanswered_reason, categories, grade, summary, city, county, consent,
                            order_requested, escalated, emergency_key, caller_key, caller_number, created_at, updated_at, saved_at, call_id, status)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$17,$17,$18,'saved') RETURNING *`,
        [s.id, s.idempotencyKey, ...columns, s.at, s.callId],
      );
    const saved = toCase(res.rows[0] as CaseRow);
    let order: WorkOrderRecord | null = null;
    if (s.order) {
      order = await insertOrder(client, { ...s.order, caseId: saved.id }, s.at);
      if (!order) throw new ConflictError('order-exists', `work order ${s.order.id} exists already`);
    }
    return { case: saved, order, created: true };
  }

  private async byIdempotencyKey(db: pg.Pool | pg.PoolClient, key: string): Promise<SubmitResult | null> {
    const row = (await db.query<CaseRow>('SELECT * FROM cases WHERE idempotency_key = $1', [key])).rows[0];
    if (!row) return null;
    const order = (await db.query<OrderRow>('SELECT * FROM work_orders WHERE case_id = $1 ORDER BY created_at, id LIMIT 1', [row.id])).rows[0];
    return { case: toCase(row), order: order ? toOrder(order) : null, created: false };
  }

  async get(caseId: string): Promise<CaseRecord | null> {
    const res = await this.pool.query<CaseRow>('SELECT * FROM cases WHERE id = $1', [caseId]);
    return res.rows[0] ? toCase(res.rows[0]) : null;
  }

  async getByCall(callId: string): Promise<CaseRecord | null> {
    const res = await this.pool.query<CaseRow>('SELECT * FROM cases WHERE call_id = $1', [callId]);
    return res.rows[0] ? toCase(res.rows[0]) : null;
  }

  async list(q: { counsellorId?: string; status?: CaseRecord['status']; limit: number }): Promise<CaseRecord[]> {
    const res = await this.pool.query<CaseRow>(
      `SELECT * FROM cases WHERE ($1::text IS NULL OR counsellor_id = $1) AND ($2::text IS NULL OR status = $2)
       ORDER BY created_at DESC, id DESC LIMIT $3`,
      [q.counsellorId ?? null, q.status ?? null, q.limit],
    );
    return res.rows.map(toCase);
  }

  async listByCaller(callerKey: string, limit: number): Promise<CaseRecord[]> {
    const res = await this.pool.query<CaseRow>('SELECT * FROM cases WHERE caller_key = $1 ORDER BY created_at DESC, id DESC LIMIT $2', [callerKey, limit]);
    return res.rows.map(toCase);
  }

  async countBy(q: { from: string; to: string }): Promise<CaseCount[]> {
    const res = await this.pool.query<{ category: string; grade: RiskGrade | null; city: string | null; cases: string }>(
      `SELECT category, grade, city, count(*) AS cases FROM cases, unnest(categories) AS category
       WHERE status = 'saved' AND saved_at >= $1 AND saved_at < $2
       GROUP BY category, grade, city ORDER BY category, grade NULLS LAST, city NULLS LAST`,
      [q.from, q.to],
    );
    return res.rows.map((r) => ({ category: r.category, grade: r.grade, city: r.city, cases: Number(r.cases) }));
  }

  async eraseExpired(before: string, at: string): Promise<number> {
    return withTransaction(this.pool, async (client) => {
      const erased = await client.query<{ id: string }>(
        `UPDATE cases SET summary = NULL, caller_number = NULL, caller_key = NULL, county = NULL, erased_at = $2, updated_at = $2
         WHERE created_at < $1 AND erased_at IS NULL RETURNING id`,
        [before, at],
      );
      const ids = erased.rows.map((r) => r.id);
      if (ids.length > 0) {
        await client.query(
          `UPDATE work_order_events SET text = NULL WHERE text IS NOT NULL AND order_id IN (SELECT id FROM work_orders WHERE case_id = ANY($1))`,
          [ids],
        );
      }
      return ids.length;
    });
  }
}
