import type { OrderCommand, OrderEventRecord, WorkOrderState } from '../domain/work-orders/order-types.ts';

/** A work order as stored: the machine's state plus a version for optimistic concurrency. */
export interface WorkOrderRecord {
  id: string;
  caseId: string;
  state: WorkOrderState;
  /** 1 when created; each applied event adds one. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** An order to create: its first state, the `create` event and the commands the machine returned. */
export interface NewWorkOrder {
  id: string;
  caseId: string;
  state: WorkOrderState;
  record: OrderEventRecord;
  commands: OrderCommand[];
}

/** One step of the machine to store: the new state, the event that made it, its commands. */
export interface WorkOrderChange {
  state: WorkOrderState;
  record: OrderEventRecord;
  commands: OrderCommand[];
}

export interface StoredOrderEvent extends OrderEventRecord {
  orderId: string;
  /** 1, 2, … in the order the events were applied. */
  seq: number;
}

/**
 * A command waiting to be carried out (notify a centre, set a timer, raise an alert), written in
 * the same transaction as the change that caused it and delivered later by a worker.
 */
export interface OutboxMessage {
  id: number;
  orderId: string;
  command: OrderCommand;
  createdAt: string;
  deliveredAt: string | null;
}

export interface WorkOrderQuery {
  centreId?: string;
  statuses?: readonly WorkOrderState['status'][];
  /** Orders whose running deadline is due before this instant. */
  dueBefore?: string;
  limit: number;
}

/**
 * Durable work orders (PostgreSQL in production; in memory in unit tests). Every write stores the
 * order, its event and its outbox rows together or not at all.
 */
export interface WorkOrderStore {
  /** Creates an order for an existing case; creating the same id again returns the stored order. */
  create(order: NewWorkOrder, at: string): Promise<WorkOrderRecord>;
  /**
   * Stores a step of the machine if the order is still at `expectedVersion`; otherwise fails with
   * ConflictError `order-changed` (someone else acted first: reload and decide again).
   */
  apply(orderId: string, expectedVersion: number, change: WorkOrderChange, at: string): Promise<WorkOrderRecord>;
  get(orderId: string): Promise<WorkOrderRecord | null>;
  listByCase(caseId: string): Promise<WorkOrderRecord[]>;
  /** By centre, state and due time; the soonest deadline first, orders without one last (then oldest first). */
  list(query: WorkOrderQuery): Promise<WorkOrderRecord[]>;
  /** The order's history, oldest first: who did what, when and why. */
  events(orderId: string): Promise<StoredOrderEvent[]>;
  /** Undelivered outbox messages, oldest first. */
  pendingOutbox(limit: number): Promise<OutboxMessage[]>;
  markDelivered(ids: readonly number[], at: string): Promise<void>;
}
