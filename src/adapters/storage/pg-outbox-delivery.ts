import type pg from 'pg';
import type { DeliveryChannel } from '../../domain/work-orders/order-notifications.ts';
import type { ClaimedMessage, DeadLetter, OutboxDelivery } from '../../ports/order-delivery.ts';
import { toOutbox, type OutboxRow } from './pg-work-order-rows.ts';

interface ClaimRow extends OutboxRow {
  attempts: number;
  channels: Partial<Record<DeliveryChannel, 'sending' | 'sent'>> | null;
}

/**
 * The outbox's delivery state in PostgreSQL. A claim locks candidate rows with FOR UPDATE SKIP
 * LOCKED (two workers never wait on or take the same row) and leases them; a row whose lease ran
 * out (its worker died) is claimable again. A row waits while an earlier row of the same order is
 * still undelivered, so one order's messages go out in order.
 */
export class PgOutboxDelivery implements OutboxDelivery {
  constructor(private readonly pool: pg.Pool) {}

  async claim(owner: string, limit: number, now: Date, leaseMs: number): Promise<ClaimedMessage[]> {
    const res = await this.pool.query<ClaimRow>(
      `WITH candidates AS (
         SELECT o.id FROM work_order_outbox o
         WHERE o.delivered_at IS NULL AND o.dead_at IS NULL
           AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= $2)
           AND (o.lease_until IS NULL OR o.lease_until <= $2)
           AND NOT EXISTS (SELECT 1 FROM work_order_outbox p
                           WHERE p.order_id = o.order_id AND p.id < o.id AND p.delivered_at IS NULL AND p.dead_at IS NULL)
         ORDER BY o.id LIMIT $3 FOR UPDATE SKIP LOCKED
       ), leased AS (
         UPDATE work_order_outbox o SET lease_owner = $1, lease_until = $2::timestamptz + make_interval(secs => $4::double precision / 1000)
         FROM candidates c WHERE o.id = c.id RETURNING o.*
       )
       SELECT l.*, (SELECT jsonb_object_agg(d.channel, d.status) FROM work_order_deliveries d WHERE d.outbox_id = l.id) AS channels
       FROM leased l ORDER BY l.id`,
      [owner, now, limit, leaseMs],
    );
    return res.rows.map((r) => ({ ...toOutbox(r), attempts: r.attempts, channels: r.channels ?? {} }));
  }

  async markSending(outboxId: number, channel: DeliveryChannel, at: Date): Promise<void> {
    await this.pool.query(
      `INSERT INTO work_order_deliveries (outbox_id, channel, status, sends, updated_at) VALUES ($1, $2, 'sending', 1, $3)
       ON CONFLICT (outbox_id, channel) DO UPDATE SET status = 'sending', sends = work_order_deliveries.sends + 1, updated_at = $3
       WHERE work_order_deliveries.status <> 'sent'`,
      [outboxId, channel, at],
    );
  }

  async markSent(outboxId: number, channel: DeliveryChannel, at: Date): Promise<void> {
    await this.pool.query(
      `INSERT INTO work_order_deliveries (outbox_id, channel, status, sends, updated_at) VALUES ($1, $2, 'sent', 1, $3)
       ON CONFLICT (outbox_id, channel) DO UPDATE SET status = 'sent', updated_at = $3`,
      [outboxId, channel, at],
    );
  }

  async complete(outboxId: number, owner: string, at: Date): Promise<void> {
    await this.pool.query(
      `UPDATE work_order_outbox SET delivered_at = $3, lease_owner = NULL, lease_until = NULL, last_error = NULL
       WHERE id = $1 AND delivered_at IS NULL AND (lease_owner = $2 OR lease_owner IS NULL)`,
      [outboxId, owner, at],
    );
  }

  async fail(outboxId: number, owner: string, error: string, retryAt: Date | null, at: Date): Promise<void> {
    await this.pool.query(
      `UPDATE work_order_outbox SET attempts = attempts + 1, last_error = $3, next_attempt_at = $4,
         dead_at = CASE WHEN $4::timestamptz IS NULL THEN $5::timestamptz ELSE NULL END, lease_owner = NULL, lease_until = NULL
       WHERE id = $1 AND delivered_at IS NULL AND (lease_owner = $2 OR lease_owner IS NULL)`,
      [outboxId, owner, error.slice(0, 2000), retryAt, at],
    );
  }

  async release(outboxIds: readonly number[], owner: string): Promise<void> {
    if (outboxIds.length === 0) return;
    await this.pool.query('UPDATE work_order_outbox SET lease_owner = NULL, lease_until = NULL WHERE id = ANY($1) AND lease_owner = $2', [outboxIds, owner]);
  }

  async deadLetters(limit: number): Promise<DeadLetter[]> {
    const res = await this.pool.query<OutboxRow & { attempts: number; last_error: string | null; dead_at: Date }>(
      'SELECT * FROM work_order_outbox WHERE dead_at IS NOT NULL AND delivered_at IS NULL ORDER BY dead_at DESC, id DESC LIMIT $1',
      [limit],
    );
    return res.rows.map((r) => ({ ...toOutbox(r), attempts: r.attempts, lastError: r.last_error, deadAt: r.dead_at.toISOString() }));
  }
}
