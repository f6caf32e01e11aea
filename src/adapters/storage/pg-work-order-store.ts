import type pg from 'pg';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type {
  NewWorkOrder, OutboxMessage, StoredOrderEvent, WorkOrderChange, WorkOrderQuery, WorkOrderRecord, WorkOrderStore,
} from '../../ports/work-orders.ts';
import {
  insertEventAndOutbox, insertOrder, stateColumns, toEvent, toOrder, toOutbox, type EventRow, type OrderRow, type OutboxRow,
} from './pg-work-order-rows.ts';
import { pgCode, withTransaction } from './pg-transaction.ts';

export class PgWorkOrderStore implements WorkOrderStore {
  constructor(private readonly pool: pg.Pool) {}

  async create(order: NewWorkOrder, at: string): Promise<WorkOrderRecord> {
    try {
      const created = await withTransaction(this.pool, (client) => insertOrder(client, order, at));
      if (created) return created;
    } catch (err) {
      if (pgCode(err) === '23503') throw new NotFoundError('case-not-found', `no case ${order.caseId}`);
      throw err;
    }
    const existing = await this.get(order.id);
    if (!existing) throw new ConflictError('order-changed', `order ${order.id} vanished`);
    return existing;
  }

  async apply(orderId: string, expectedVersion: number, change: WorkOrderChange, at: string): Promise<WorkOrderRecord> {
    return withTransaction(this.pool, async (client) => {
      const res = await client.query<OrderRow>(
        `UPDATE work_orders SET status = $3, grade = $4, centre_id = $5, due_at = $6, state = $7, version = version + 1, updated_at = $8
         WHERE id = $1 AND version = $2 RETURNING *`,
        [orderId, expectedVersion, ...stateColumns(change.state), at],
      );
      const row = res.rows[0];
      if (!row) {
        const exists = await client.query('SELECT 1 FROM work_orders WHERE id = $1', [orderId]);
        if (exists.rowCount === 0) throw new NotFoundError('order-not-found', `no work order ${orderId}`);
        throw new ConflictError('order-changed', `work order ${orderId} changed since version ${expectedVersion}`);
      }
      await insertEventAndOutbox(client, orderId, row.version, change.record, change.commands, at);
      return toOrder(row);
    });
  }

  async get(orderId: string): Promise<WorkOrderRecord | null> {
    const res = await this.pool.query<OrderRow>('SELECT * FROM work_orders WHERE id = $1', [orderId]);
    return res.rows[0] ? toOrder(res.rows[0]) : null;
  }

  async listByCase(caseId: string): Promise<WorkOrderRecord[]> {
    const res = await this.pool.query<OrderRow>('SELECT * FROM work_orders WHERE case_id = $1 ORDER BY created_at, id', [caseId]);
    return res.rows.map(toOrder);
  }

  async list(q: WorkOrderQuery): Promise<WorkOrderRecord[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (q.centreId !== undefined) {
      values.push(q.centreId);
      where.push(`centre_id = $${values.length}`);
    }
    if (q.statuses !== undefined) {
      values.push(q.statuses);
      where.push(`status = ANY($${values.length})`);
    }
    if (q.dueBefore !== undefined) {
      values.push(q.dueBefore);
      where.push(`due_at < $${values.length}`);
    }
    values.push(q.limit);
    const res = await this.pool.query<OrderRow>(
      `SELECT * FROM work_orders ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY due_at ASC NULLS LAST, created_at, id LIMIT $${values.length}`,
      values,
    );
    return res.rows.map(toOrder);
  }

  async events(orderId: string): Promise<StoredOrderEvent[]> {
    const res = await this.pool.query<EventRow>('SELECT * FROM work_order_events WHERE order_id = $1 ORDER BY seq', [orderId]);
    return res.rows.map(toEvent);
  }

  async pendingOutbox(limit: number): Promise<OutboxMessage[]> {
    const res = await this.pool.query<OutboxRow>('SELECT * FROM work_order_outbox WHERE delivered_at IS NULL ORDER BY id LIMIT $1', [limit]);
    return res.rows.map(toOutbox);
  }

  async markDelivered(ids: readonly number[], at: string): Promise<void> {
    if (ids.length === 0) return;
    await this.pool.query('UPDATE work_order_outbox SET delivered_at = $2 WHERE id = ANY($1) AND delivered_at IS NULL', [ids, at]);
  }
}
