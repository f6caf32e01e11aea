import { ConflictError, NotFoundError } from '../../src/errors.ts';
import type {
  NewWorkOrder, OutboxMessage, StoredOrderEvent, WorkOrderChange, WorkOrderQuery, WorkOrderRecord, WorkOrderStore,
} from '../../src/ports/work-orders.ts';
import { jsonCopy } from './clone.ts';

const iso = (v: string) => new Date(v).toISOString();

/**
 * Work orders in memory with the PostgreSQL adapter's rules: a write stores the order, its event
 * and its outbox messages together (checks first, then writes), versions guard concurrent changes,
 * lists sort by the running deadline. The case store shares it to create orders with their case.
 */
export class MemoryWorkOrderStore implements WorkOrderStore {
  private readonly orders = new Map<string, WorkOrderRecord>();
  private readonly history = new Map<string, StoredOrderEvent[]>();
  private readonly outbox: OutboxMessage[] = [];
  private nextOutboxId = 1;

  constructor(private readonly caseExists: (caseId: string) => boolean = () => true) {}

  async create(order: NewWorkOrder, at: string): Promise<WorkOrderRecord> {
    const existing = this.orders.get(order.id);
    if (existing) return jsonCopy(existing);
    if (!this.caseExists(order.caseId)) throw new NotFoundError('case-not-found', `no case ${order.caseId}`);
    return jsonCopy(this.insertNew(order, at));
  }

  /** For the case store: true when `insertNew` would not collide. */
  hasOrder(orderId: string): boolean {
    return this.orders.has(orderId);
  }

  /** Writes a new order, its first event and outbox messages; the caller has checked the id is free. */
  insertNew(order: NewWorkOrder, at: string): WorkOrderRecord {
    const record: WorkOrderRecord = { id: order.id, caseId: order.caseId, state: jsonCopy(order.state), version: 1, createdAt: iso(at), updatedAt: iso(at) };
    this.orders.set(order.id, record);
    this.history.set(order.id, []);
    this.append(order.id, 1, order.record, order.commands, at);
    return record;
  }

  async apply(orderId: string, expectedVersion: number, change: WorkOrderChange, at: string): Promise<WorkOrderRecord> {
    const current = this.orders.get(orderId);
    if (!current) throw new NotFoundError('order-not-found', `no work order ${orderId}`);
    if (current.version !== expectedVersion) throw new ConflictError('order-changed', `work order ${orderId} changed since version ${expectedVersion}`);
    const next: WorkOrderRecord = { ...current, state: jsonCopy(change.state), version: current.version + 1, updatedAt: iso(at) };
    this.orders.set(orderId, next);
    this.append(orderId, next.version, change.record, change.commands, at);
    return jsonCopy(next);
  }

  private append(orderId: string, seq: number, record: WorkOrderChange['record'], commands: WorkOrderChange['commands'], at: string): void {
    this.history.get(orderId)?.push({ ...jsonCopy(record), at: iso(record.at), orderId, seq });
    for (const command of commands) {
      this.outbox.push({ id: this.nextOutboxId++, orderId, command: jsonCopy(command), createdAt: iso(at), deliveredAt: null });
    }
  }

  async get(orderId: string): Promise<WorkOrderRecord | null> {
    const o = this.orders.get(orderId);
    return o ? jsonCopy(o) : null;
  }

  async listByCase(caseId: string): Promise<WorkOrderRecord[]> {
    return this.ordersOfCase(caseId);
  }

  /** The orders of a case, oldest first (copies). */
  ordersOfCase(caseId: string): WorkOrderRecord[] {
    return [...this.orders.values()].filter((o) => o.caseId === caseId).sort(byCreation).map(jsonCopy);
  }

  async list(q: WorkOrderQuery): Promise<WorkOrderRecord[]> {
    const dueBefore = q.dueBefore === undefined ? null : Date.parse(q.dueBefore);
    const due = (o: WorkOrderRecord) => (o.state.deadline ? Date.parse(o.state.deadline.dueAt) : Number.POSITIVE_INFINITY);
    return [...this.orders.values()]
      .filter((o) => q.centreId === undefined || o.state.centreId === q.centreId)
      .filter((o) => q.statuses === undefined || q.statuses.includes(o.state.status))
      .filter((o) => dueBefore === null || due(o) < dueBefore)
      .sort((a, b) => due(a) - due(b) || byCreation(a, b))
      .slice(0, q.limit)
      .map(jsonCopy);
  }

  async events(orderId: string): Promise<StoredOrderEvent[]> {
    return jsonCopy(this.history.get(orderId) ?? []);
  }

  async pendingOutbox(limit: number): Promise<OutboxMessage[]> {
    return this.outbox.filter((m) => m.deliveredAt === null).slice(0, limit).map(jsonCopy);
  }

  async markDelivered(ids: readonly number[], at: string): Promise<void> {
    for (const m of this.outbox) if (ids.includes(m.id) && m.deliveredAt === null) m.deliveredAt = iso(at);
  }

  /** Retention: the free texts of the orders of these cases are erased. */
  eraseTexts(caseIds: ReadonlySet<string>): void {
    for (const o of this.orders.values()) {
      if (!caseIds.has(o.caseId)) continue;
      for (const e of this.history.get(o.id) ?? []) e.text = null;
    }
  }
}

function byCreation(a: WorkOrderRecord, b: WorkOrderRecord): number {
  return Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
