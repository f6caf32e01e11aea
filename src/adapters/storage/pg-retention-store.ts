import type pg from 'pg';
import type { RetentionStore } from '../../ports/retention.ts';
import { withTransaction } from './pg-transaction.ts';

/** Retention erasures in PostgreSQL (the cases' own expiry is `PgCaseStore.eraseExpired`). */
export class PgRetentionStore implements RetentionStore {
  constructor(private readonly pool: pg.Pool) {}

  async eraseCallerNumbers(before: string, at: string): Promise<{ cases: number; calls: number }> {
    return withTransaction(this.pool, async (client) => {
      const cases = await client.query('UPDATE cases SET caller_number = NULL, updated_at = $2 WHERE created_at < $1 AND caller_number IS NOT NULL', [before, at]);
      // calls.caller_number is NOT NULL: erased is the empty string, as for a caller with no number.
      const calls = await client.query(`UPDATE calls SET caller_number = '' WHERE started_at < $1 AND caller_number <> ''`, [before]);
      return { cases: cases.rowCount ?? 0, calls: calls.rowCount ?? 0 };
    });
  }

  async eraseCaller(callerKey: string, at: string): Promise<{ cases: number; calls: number }> {
    return withTransaction(this.pool, async (client) => {
      const erased = await client.query<{ id: string; call_id: string }>(
        `UPDATE cases SET summary = NULL, caller_number = NULL, caller_key = NULL, county = NULL, erased_at = COALESCE(erased_at, $2), updated_at = $2
         WHERE caller_key = $1 RETURNING id, call_id`,
        [callerKey, at],
      );
      const ids = erased.rows.map((r) => r.id);
      if (ids.length === 0) return { cases: 0, calls: 0 };
      await client.query(
        'UPDATE work_order_events SET text = NULL WHERE text IS NOT NULL AND order_id IN (SELECT id FROM work_orders WHERE case_id = ANY($1))',
        [ids],
      );
      const calls = await client.query(`UPDATE calls SET caller_number = '' WHERE call_id = ANY($1) AND caller_number <> ''`, [erased.rows.map((r) => r.call_id)]);
      return { cases: ids.length, calls: calls.rowCount ?? 0 };
    });
  }
}
