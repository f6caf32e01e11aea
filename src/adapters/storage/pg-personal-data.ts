import type pg from 'pg';
import type { PersonalDataEraser } from '../../ports/personal-data.ts';
import { withTransaction } from './pg-transaction.ts';

/** Erasure on PostgreSQL: a caller's cases, orders' texts and call numbers on request. */
export class PgPersonalData implements PersonalDataEraser {
  constructor(private readonly pool: pg.Pool) {}

  async eraseCases(caseIds: readonly string[], at: string): Promise<{ cases: number; calls: number }> {
    if (caseIds.length === 0) return { cases: 0, calls: 0 };
    return withTransaction(this.pool, async (client) => {
      const erased = await client.query<{ call_id: string }>(
        `UPDATE cases SET summary = NULL, caller_number = NULL, caller_key = NULL, county = NULL, erased_at = COALESCE(erased_at, $2), updated_at = $2
         WHERE id = ANY($1) RETURNING call_id`,
        [caseIds, at],
      );
      await client.query(
        `UPDATE work_order_events SET text = NULL WHERE text IS NOT NULL AND order_id IN (SELECT id FROM work_orders WHERE case_id = ANY($1))`,
        [caseIds],
      );
      const calls = await client.query(
        `UPDATE calls SET caller_number = '', caller_number_erased_at = $2 WHERE call_id = ANY($1) AND caller_number <> ''`,
        [erased.rows.map((r) => r.call_id), at],
      );
      return { cases: erased.rowCount ?? 0, calls: calls.rowCount ?? 0 };
    });
  }
}
