import type { DeliveryChannel } from '../../src/domain/work-orders/order-notifications.ts';
import type { OrderCommand } from '../../src/domain/work-orders/order-types.ts';
import type { ClaimedMessage, DeadLetter, OutboxDelivery } from '../../src/ports/order-delivery.ts';
import { jsonCopy } from './clone.ts';

interface Row {
  id: number; orderId: string; command: OrderCommand; createdAt: string; deliveredAt: string | null;
  attempts: number; nextAttemptAt: number | null; leaseOwner: string | null; leaseUntil: number | null; lastError: string | null; deadAt: string | null;
  channels: Partial<Record<DeliveryChannel, 'sending' | 'sent'>>;
}

/** The outbox's delivery state in memory, with the PostgreSQL adapter's rules (leases, order per order, marks). */
export class MemoryOutboxDelivery implements OutboxDelivery {
  readonly rows: Row[] = [];

  add(orderId: string, command: OrderCommand, createdAt = '2026-03-10T02:00:00.000Z'): number {
    const id = this.rows.length + 1;
    this.rows.push({ id, orderId, command, createdAt, deliveredAt: null, attempts: 0, nextAttemptAt: null, leaseOwner: null, leaseUntil: null, lastError: null, deadAt: null, channels: {} });
    return id;
  }

  row(id: number): Row {
    const r = this.rows.find((x) => x.id === id);
    if (!r) throw new Error(`no outbox row ${id}`);
    return r;
  }

  async claim(owner: string, limit: number, now: Date, leaseMs: number): Promise<ClaimedMessage[]> {
    const t = now.getTime();
    const open = (r: Row) => r.deliveredAt === null && r.deadAt === null;
    const picked = this.rows
      .filter((r) => open(r) && (r.nextAttemptAt === null || r.nextAttemptAt <= t) && (r.leaseUntil === null || r.leaseUntil <= t))
      .filter((r) => !this.rows.some((p) => p.orderId === r.orderId && p.id < r.id && open(p)))
      .slice(0, limit);
    for (const r of picked) {
      r.leaseOwner = owner;
      r.leaseUntil = t + leaseMs;
    }
    return picked.map((r) => jsonCopy({ id: r.id, orderId: r.orderId, command: r.command, createdAt: r.createdAt, deliveredAt: null, attempts: r.attempts, channels: r.channels }));
  }

  async markSending(id: number, channel: DeliveryChannel): Promise<void> {
    const r = this.row(id);
    if (r.channels[channel] !== 'sent') r.channels[channel] = 'sending';
  }

  async markSent(id: number, channel: DeliveryChannel): Promise<void> {
    this.row(id).channels[channel] = 'sent';
  }

  async complete(id: number, owner: string, at: Date): Promise<void> {
    const r = this.row(id);
    if (r.deliveredAt === null && (r.leaseOwner === owner || r.leaseOwner === null)) Object.assign(r, { deliveredAt: at.toISOString(), leaseOwner: null, leaseUntil: null });
  }

  async fail(id: number, owner: string, error: string, retryAt: Date | null, at: Date): Promise<void> {
    const r = this.row(id);
    if (r.deliveredAt !== null || (r.leaseOwner !== owner && r.leaseOwner !== null)) return;
    Object.assign(r, {
      attempts: r.attempts + 1, lastError: error, nextAttemptAt: retryAt?.getTime() ?? null, deadAt: retryAt ? null : at.toISOString(), leaseOwner: null, leaseUntil: null,
    });
  }

  async release(ids: readonly number[], owner: string): Promise<void> {
    for (const id of ids) {
      const r = this.row(id);
      if (r.leaseOwner === owner) Object.assign(r, { leaseOwner: null, leaseUntil: null });
    }
  }

  async deadLetters(limit: number): Promise<DeadLetter[]> {
    return this.rows.filter((r) => r.deadAt !== null && r.deliveredAt === null).slice(0, limit)
      .map((r) => ({ id: r.id, orderId: r.orderId, command: r.command, createdAt: r.createdAt, deliveredAt: null, attempts: r.attempts, lastError: r.lastError, deadAt: r.deadAt as string }));
  }
}
