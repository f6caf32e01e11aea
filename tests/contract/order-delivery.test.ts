import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureDatabase, openDatabase } from '../../src/adapters/storage/database.ts';
import { PgAuditLog } from '../../src/adapters/storage/pg-audit-log.ts';
import { PgCallRecords } from '../../src/adapters/storage/pg-call-records.ts';
import { PgCaseStore } from '../../src/adapters/storage/pg-case-store.ts';
import { PgOutboxDelivery } from '../../src/adapters/storage/pg-outbox-delivery.ts';
import { PgRetentionStore } from '../../src/adapters/storage/pg-retention-store.ts';
import { PgWorkOrderStore } from '../../src/adapters/storage/pg-work-order-store.ts';
import { InProcessNotifier } from '../../src/ports/notifier.ts';
import type { WebhookDelivery } from '../../src/ports/order-delivery.ts';
import { OutboxWorker } from '../../src/services/work-orders/outbox-worker.ts';
import { RetentionService } from '../../src/services/work-orders/retention-service.ts';
import { ManualClock } from '../fakes/manual-clock.ts';
import { change, counselled, newOrder } from './case-order-fixtures.ts';
import { outboxDeliveryContract } from './outbox-delivery.contract.ts';

// The outbox's delivery and the retention erasures on real PostgreSQL, in a schema of this file's own.

const DATABASE_URL = process.env.HOTLINE_CONTRACT_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hotline_test';
const SCHEMA = `delivery_${randomBytes(6).toString('hex')}`;
const T0 = '2026-03-10T02:00:00.000Z';
const log = pino({ level: 'silent' });
let db: pg.Pool;

beforeAll(async () => {
  await ensureDatabase(DATABASE_URL);
  db = await openDatabase(DATABASE_URL, SCHEMA);
});
afterAll(async () => {
  await db?.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
  await db?.end();
});
beforeEach(async () => {
  await db.query('TRUNCATE work_order_deliveries, work_order_outbox, work_order_events, work_orders, cases, calls RESTART IDENTITY');
});

/** `n` dispatched orders: each has outbox rows `notify-supervisors`, then `notify-centre` and `schedule-deadline`. */
async function dispatchedOrders(n: number): Promise<void> {
  const cases = new PgCaseStore(db);
  const orders = new PgWorkOrderStore(db);
  for (let i = 0; i < n; i++) {
    const { order } = await cases.submit(counselled(`call-${i}`, T0, { order: newOrder(`wo-${i}`, T0) }));
    if (!order) throw new Error('no order');
    await orders.apply(order.id, order.version, change(order, { type: 'dispatch', centreId: 'gz-tianhe', actor: { id: 's1', role: 'supervisor' }, at: T0 }), T0);
  }
}

function worker(owner: string, sent: Array<WebhookDelivery & { owner: string }>, clock: ManualClock) {
  return new OutboxWorker({
    outbox: new PgOutboxDelivery(db), orders: new PgWorkOrderStore(db), owner, clock, log, notifier: new InProcessNotifier(), batch: 5,
    contacts: () => ({ name: 'centre', webhook: { url: 'http://centre.invalid', secret: 'secret-secret' }, emails: [] }),
    webhook: { send: async (d) => {
      await new Promise((r) => setTimeout(r, Math.random() * 5));
      sent.push({ ...d, owner });
    } },
    mailer: null,
    timers: { applyCommand: async () => undefined },
  });
}

describe('PgOutboxDelivery', () => outboxDeliveryContract(async () => ({ outbox: new PgOutboxDelivery(db), seed: dispatchedOrders })));

describe('OutboxWorker on PostgreSQL, two instances at once', () => {
  it('every message is delivered exactly once, and each order\'s in order', async () => {
    await dispatchedOrders(12);
    const clock = new ManualClock(T0);
    const sent: Array<WebhookDelivery & { owner: string }> = [];
    const workers = [worker('w1', sent, clock), worker('w2', sent, clock)];
    for (let round = 0; round < 20; round++) await Promise.all(workers.map((w) => w.runOnce()));
    const pending = await db.query('SELECT count(*)::int AS n FROM work_order_outbox WHERE delivered_at IS NULL');
    expect(pending.rows[0].n).toBe(0);
    // One webhook per notify-centre row (the other rows have no centre message).
    const ids = sent.map((s) => s.eventId);
    expect(ids.length).toBe(12);
    expect(new Set(ids).size).toBe(12);
    expect(new Set(sent.map((s) => s.owner))).toEqual(new Set(['w1', 'w2']));
    const marks = await db.query(`SELECT count(*)::int AS n FROM work_order_deliveries WHERE channel = 'webhook' AND status = 'sent' AND sends = 1`);
    expect(marks.rows[0].n).toBe(12);
    const order = await db.query<{ order_id: string; ok: boolean }>(
      `SELECT order_id, bool_and(delivered_at >= prev) AS ok FROM (
         SELECT order_id, delivered_at, lag(delivered_at, 1, '-infinity') OVER (PARTITION BY order_id ORDER BY id) AS prev FROM work_order_outbox) x
       GROUP BY order_id`,
    );
    expect(order.rows.every((r) => r.ok)).toBe(true);
  });
});

describe('Retention on PostgreSQL', () => {
  async function seed() {
    const calls = new PgCallRecords(db);
    const cases = new PgCaseStore(db);
    const key = 'a'.repeat(64);
    const other = 'b'.repeat(64);
    const days = (n: number) => new Date(Date.parse('2026-12-01T00:00:00Z') - n * 86_400_000).toISOString();
    for (const [callId, at, k] of [['old-1', days(400), key], ['mid-1', days(200), other], ['new-1', days(10), key]] as const) {
      await calls.open({ callId, line: 'main', dialled: '12355', callerNumber: `1380013${callId.length}000`, startedAt: at });
      await cases.submit(counselled(callId, at, { callerKey: k, order: newOrder(`wo-${callId}`, at) }));
    }
    return { key, clock: new ManualClock('2026-12-01T00:00:00Z') };
  }

  function service(clock: ManualClock, audit: PgAuditLog) {
    return new RetentionService({
      cases: new PgCaseStore(db), store: new PgRetentionStore(db), audit, clock, log, policy: { personalDataDays: 365, callerNumberDays: 180 },
    });
  }

  it('the daily run erases summaries after their period and numbers (cases and calls) after theirs, keeping categories and grade', async () => {
    const { clock } = await seed();
    const audit = new PgAuditLog(db);
    expect(await service(clock, audit).runDaily()).toEqual({ casesErased: 1, numbersErased: { cases: 1, calls: 2 } });
    const rows = await db.query('SELECT call_id, summary, caller_number, caller_key, categories, grade FROM cases ORDER BY call_id');
    expect(rows.rows).toEqual([
      expect.objectContaining({ call_id: 'mid-1', summary: expect.any(String), caller_number: null, caller_key: 'b'.repeat(64), grade: 2 }),
      expect.objectContaining({ call_id: 'new-1', summary: expect.any(String), caller_number: '13800138000' }),
      { call_id: 'old-1', summary: null, caller_number: null, caller_key: null, categories: ['legal/bullying', 'mental-health/anxiety'], grade: 2 },
    ]);
    const calls = await db.query('SELECT call_id, caller_number FROM calls ORDER BY call_id');
    expect(calls.rows).toEqual([{ call_id: 'mid-1', caller_number: '' }, { call_id: 'new-1', caller_number: '1380013500' + '0' }, { call_id: 'old-1', caller_number: '' }]);
    expect((await audit.list(5)).map((e) => e.action)).toContain('retention-erase');
  });
});
