/**
 * Rows of the work-order tables and the writes both stores share: the case store creates an
 * order in the case's transaction, the order store creates and changes orders in their own.
 */
import type pg from 'pg';
import type { OrderCommand, OrderEventRecord, WorkOrderState } from '../../domain/work-orders/order-types.ts';
import type { NewWorkOrder, OutboxMessage, StoredOrderEvent, WorkOrderRecord } from '../../ports/work-orders.ts';

export interface OrderRow {
  id: string; case_id: string; state: WorkOrderState; version: number; created_at: Date; updated_at: Date;
}

export interface EventRow {
  order_id: string; seq: number; type: StoredOrderEvent['type']; actor_id: string; actor_role: StoredOrderEvent['actorRole'];
  at: Date; from_status: StoredOrderEvent['from']; to_status: StoredOrderEvent['to']; text: string | null; data: Record<string, unknown>;
}

export interface OutboxRow {
  id: string; order_id: string; command: OrderCommand; created_at: Date; delivered_at: Date | null;
}

export const toOrder = (r: OrderRow): WorkOrderRecord => ({
  id: r.id, caseId: r.case_id, state: r.state, version: r.version, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
});

export const toEvent = (r: EventRow): StoredOrderEvent => ({
  orderId: r.order_id, seq: r.seq, type: r.type, actorId: r.actor_id, actorRole: r.actor_role, at: r.at.toISOString(),
  from: r.from_status, to: r.to_status, text: r.text, data: r.data,
});

export const toOutbox = (r: OutboxRow): OutboxMessage => ({
  id: Number(r.id), orderId: r.order_id, command: r.command, createdAt: r.created_at.toISOString(), deliveredAt: r.delivered_at?.toISOString() ?? null,
});

/** The columns lists and sweeps query on, taken from the machine's state. */
export function stateColumns(state: WorkOrderState): [string, number, string | null, string | null, string] {
  return [state.status, state.grade, state.centreId, state.deadline?.dueAt ?? null, JSON.stringify(state)];
}

export async function insertEventAndOutbox(
  client: pg.PoolClient, orderId: string, seq: number, record: OrderEventRecord, commands: readonly OrderCommand[], at: string,
): Promise<void> {
  await client.query(
    `INSERT INTO work_order_events (order_id, seq, type, actor_id, actor_role, at, from_status, to_status, text, data)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
    [orderId, seq, record.type, record.actorId, record.actorRole, record.at, record.from, record.to, record.text, JSON.stringify(record.data)],
  );
  for (const command of commands) {
    await client.query('INSERT INTO work_order_outbox (order_id, command, created_at) VALUES ($1,$2,$3)', [orderId, JSON.stringify(command), at]);
  }
}

/** Inserts a new order with its first event and outbox rows; returns null when the id exists already. */
export async function insertOrder(client: pg.PoolClient, order: NewWorkOrder, at: string): Promise<WorkOrderRecord | null> {
  const res = await client.query<OrderRow>(
    `INSERT INTO work_orders (id, case_id, status, grade, centre_id, due_at, state, version, created_at, updated_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,1,$8,$8) ON CONFLICT (id) DO NOTHING RETURNING *`,
    [order.id, order.caseId, ...stateColumns(order.state), at],
  );
  const row = res.rows[0];
  if (!row) return null;
  await insertEventAndOutbox(client, order.id, 1, order.record, order.commands, at);
  return toOrder(row);
}
