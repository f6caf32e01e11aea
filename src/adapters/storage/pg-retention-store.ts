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
      const calls = await client.query(`UPDATE calls SET caller_number = '', caller_number_erased_at = $2 WHERE started_at < $1 AND caller_number <> ''`, [before, at]);
      return { cases: cases.rowCount ?? 0, calls: calls.rowCount ?? 0 };
    });
  }
}
