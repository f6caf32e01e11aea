/**
 * Work-order delivery on real parts: PostgreSQL (the slot's test database), BullMQ on a Redis of
 * the test's own, a webhook receiver and an SMTP server (smtp-server) started here. The delivery
 * runs in a child process (tests/e2e/support/order-delivery-child.ts: the service's own wiring)
 * that is killed with SIGKILL in the middle of a webhook and in the middle of an e-mail, and
 * stopped with SIGTERM in the middle of another; the centre must still see exactly one message per
 * event on each channel. Then, in this process with an injected clock: a deadline passing raises
 * the 督办 alert, and the timers are rebuilt after Redis lost everything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { connectRedis } from '../../src/adapters/redis/redis-connection.ts';
import { openDatabase } from '../../src/adapters/storage/database.ts';
import { PgAuditLog } from '../../src/adapters/storage/pg-audit-log.ts';
import { PgCaseStore } from '../../src/adapters/storage/pg-case-store.ts';
import { PgWorkOrderStore } from '../../src/adapters/storage/pg-work-order-store.ts';
import { loadCasesConfig } from '../../src/config/cases-config.ts';
import { loadCentresConfig } from '../../src/config/centres-config.ts';
import { orderContext } from '../../src/config/work-order-setup.ts';
import type { RiskGrade } from '../../src/domain/cases/risk-grade.ts';
import { createOrder, handleOrderEvent } from '../../src/domain/work-orders/order-machine.ts';
import type { DeadlinePlan } from '../../src/domain/work-orders/deadlines.ts';
import { InProcessNotifier } from '../../src/ports/notifier.ts';
import { AlertLog } from '../../src/services/monitoring/alert-log.ts';
import { eventIdOf } from '../../src/services/work-orders/outbox-worker.ts';
import { startOrderDelivery, type RunningOrderDelivery } from '../../src/wiring/order-delivery.ts';
import { counselled } from '../contract/case-order-fixtures.ts';
import { ManualClock } from '../fakes/manual-clock.ts';
import { MemorySupervisionStore } from '../fakes/memory-supervision-store.ts';
import { SmtpReceiver, WebhookReceiver } from './support/centre-receivers.ts';
import { OwnRedis } from './support/own-redis.ts';
import { e2eDatabaseUrl, startService, trackChild } from './support/service.ts';
import { waitFor } from './support/wait.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SECRET = 'tianhe-webhook-secret-e2e';
const PREFIX = 'e2e-order-delivery';
const cases = loadCasesConfig(join(ROOT, 'config/cases.yaml'));
const ctx = orderContext(cases, loadCentresConfig(join(ROOT, 'config/centres.yaml'), cases));
const counsellor = { id: 'c1001', role: 'counsellor' as const };

const redis = new OwnRedis();
const webhooks = new WebhookReceiver(SECRET);
const smtp = new SmtpReceiver();
const dir = mkdtempSync(join(tmpdir(), 'order-delivery-'));
let db: pg.Pool;
let child: { proc: ChildProcess; out: () => string } | null = null;

function env(): Record<string, string> {
  return {
    ...(process.env as Record<string, string>),
    HOTLINE_PROFILE: 'test', DATABASE_URL: e2eDatabaseUrl(), REDIS_URL: redis.url, REDIS_PREFIX: PREFIX, ARI_PASSWORD: 'not-used-by-delivery-0',
    HOTLINE_CENTRES_CONFIG: join(dir, 'centres.yaml'), SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, SMTP_FROM: '12355 工单 <orders@hotline.test>',
    ORDER_DELIVERY_LEASE_MS: '3000', ORDER_DELIVERY_POLL_MS: '100', HOTLINE_WEBHOOK_SECRET_GZ_TIANHE: SECRET, LOG_LEVEL: 'info',
  };
}

async function startChild(): Promise<void> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'tests/e2e/support/order-delivery-child.ts'], { cwd: ROOT, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  trackChild(proc);
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  child = { proc, out: () => out };
  await waitFor('the delivery child to start', async () => (out.includes('order-delivery started') ? true : proc.exitCode !== null ? Promise.reject(new Error(out)) : undefined), 30_000);
}

async function endChild(signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
  const proc = child?.proc;
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const gone = new Promise((r) => proc.once('exit', r));
  proc.kill(signal);
  await gone;
  child = null;
}

/** A case with an order of `grade`, dispatched to 天河 now (by `at`): outbox rows notify-centre and schedule-deadline. */
async function dispatch(orderId: string, at: Date, grade: RiskGrade = 2): Promise<DeadlinePlan> {
  const iso = at.toISOString();
  const created = createOrder({ grade, proposedCentreId: 'gz-tianhe', automatic: false, actor: counsellor, at: iso });
  if (!created.ok || !created.record) throw new Error('createOrder refused');
  const { order } = await new PgCaseStore(db).submit(counselled(`call-${orderId}`, iso, {
    order: { id: orderId, state: created.state, record: created.record, commands: created.commands },
  }));
  if (!order) throw new Error('no order');
  const step = handleOrderEvent(order.state, { type: 'dispatch', centreId: 'gz-tianhe', actor: counsellor, at: iso }, ctx);
  if (!step.ok || !step.record || !step.state.deadline) throw new Error('dispatch refused');
  await new PgWorkOrderStore(db).apply(orderId, order.version, { state: step.state, record: step.record, commands: step.commands }, iso);
  return step.state.deadline;
}

interface Row { id: number; order_id: string; created_at: Date; delivered_at: Date | null; command: { type: string } }
const rows = async (orderId: string) =>
  (await db.query<Row>('SELECT * FROM work_order_outbox WHERE order_id = $1 ORDER BY id', [orderId])).rows;
const eventIdsOf = async (orderId: string, type = 'notify-centre') =>
  (await rows(orderId)).filter((r) => r.command.type === type).map((r) => eventIdOf({ id: Number(r.id), createdAt: r.created_at.toISOString() }));
const allDelivered = (orderId: string, timeoutMs = 30_000) =>
  waitFor(`outbox of ${orderId} delivered`, async () => ((await rows(orderId)).every((r) => r.delivered_at !== null) ? true : undefined), timeoutMs);
const rawWebhooks = (eventId: string) => webhooks.raw.filter((w) => w.eventId === eventId);
const acceptedMails = (eventId: string) => smtp.accepted.filter((m) => m.eventId === eventId);

beforeAll(async () => {
  await redis.start();
  await webhooks.start();
  await smtp.start();
  const centres = parse(readFileSync(join(ROOT, 'config/centres.yaml'), 'utf8')) as { centres: Array<Record<string, unknown>> };
  for (const c of centres.centres) if (c.id === 'gz-tianhe') c.notify = { webhook: webhooks.url, emails: ['duty@tianhe.test'] };
  writeFileSync(join(dir, 'centres.yaml'), stringify(centres));
  db = await openDatabase(e2eDatabaseUrl());
  await db.query('TRUNCATE work_order_deliveries, work_order_outbox, work_order_events, work_orders, cases RESTART IDENTITY');
});

afterAll(async () => {
  await endChild('SIGKILL');
  await webhooks.stop();
  await smtp.stop();
  await redis.stop();
  await db?.end();
  rmSync(dir, { recursive: true, force: true });
});

describe('order delivery across a crash and a restart of the service', () => {
  it('a crash while the centre\'s webhook is answering: sent again under the same event id, one event for the centre, one e-mail', async () => {
    await startChild();
    const hook = webhooks.holdNext();
    await dispatch('wo-e2e-1', new Date());
    await hook.arrived; // the centre has the request; the answer has not gone back
    await endChild('SIGKILL');
    hook.release();
    await startChild();
    await allDelivered('wo-e2e-1');
    const [eventId] = await eventIdsOf('wo-e2e-1');
    expect(eventId).toBeDefined();
    const raw = rawWebhooks(eventId as string);
    expect(raw).toHaveLength(2); // the repeat after the crash did happen…
    expect(raw.every((w) => w.signatureOk)).toBe(true);
    expect(webhooks.unique().filter((w) => w.eventId === eventId)).toHaveLength(1); // …and the centre keeps one
    expect(raw[0]?.body).toMatchObject({ id: eventId, type: 'order.dispatched', orderId: 'wo-e2e-1', centreId: 'gz-tianhe', grade: 2 });
    expect(JSON.stringify(raw[0]?.body)).not.toContain('13800138000'); // no personal data leaves
    expect(acceptedMails(eventId as string)).toEqual([expect.objectContaining({ messageId: `<${eventId}@hotline.test>`, to: ['duty@tianhe.test'] })]);
  }, 120_000);

  it('a crash in the middle of the SMTP exchange: the e-mail is sent again and accepted once; the webhook is not repeated', async () => {
    const mail = smtp.holdNext();
    await dispatch('wo-e2e-2', new Date());
    await mail.arrived; // the message is at the server, its 250 not yet sent
    await endChild('SIGKILL');
    mail.release();
    await startChild();
    await allDelivered('wo-e2e-2');
    const [eventId] = await eventIdsOf('wo-e2e-2');
    expect(smtp.abandoned.map((m) => m.eventId)).toContain(eventId);
    expect(acceptedMails(eventId as string)).toHaveLength(1);
    expect(rawWebhooks(eventId as string)).toHaveLength(1);
    const marks = await db.query(`SELECT d.channel, d.sends FROM work_order_deliveries d JOIN work_order_outbox o ON o.id = d.outbox_id
      WHERE o.order_id = 'wo-e2e-2' AND d.channel IN ('webhook', 'email') ORDER BY d.channel`);
    expect(marks.rows).toEqual([{ channel: 'email', sends: 2 }, { channel: 'webhook', sends: 1 }]);
  }, 120_000);

  it('a shutdown in the middle of a delivery finishes it before the process ends', async () => {
    const hook = webhooks.holdNext();
    await dispatch('wo-e2e-3', new Date());
    await hook.arrived;
    const stopping = endChild('SIGTERM');
    setTimeout(hook.release, 300);
    await stopping;
    const [first] = await rows('wo-e2e-3');
    expect(first?.delivered_at).not.toBeNull();
    const [eventId] = await eventIdsOf('wo-e2e-3');
    expect(rawWebhooks(eventId as string)).toHaveLength(1);
    expect(acceptedMails(eventId as string)).toHaveLength(1);
  }, 120_000);

  it('across all of it, the centre saw exactly one webhook and one e-mail per event, all signed', async () => {
    const ids = [...(await eventIdsOf('wo-e2e-1')), ...(await eventIdsOf('wo-e2e-2')), ...(await eventIdsOf('wo-e2e-3'))];
    expect(ids).toHaveLength(3);
    for (const id of ids) {
      expect(webhooks.unique().filter((w) => w.eventId === id)).toHaveLength(1);
      expect(acceptedMails(id)).toHaveLength(1);
    }
    expect(webhooks.raw.every((w) => w.signatureOk)).toBe(true);
    expect([...smtp.countsByMessageId().values()].every((n) => n === 1)).toBe(true);
  });
});

describe('the service itself (src/main.ts) killed in the middle of a delivery', () => {
  it('after the restart the centre still has one webhook and one e-mail for the event', async () => {
    const overrides = {
      HOTLINE_CENTRES_CONFIG: join(dir, 'centres.yaml'), SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, SMTP_FROM: '12355 工单 <orders@hotline.test>',
      ORDER_DELIVERY_LEASE_MS: '3000', ORDER_DELIVERY_POLL_MS: '100', HOTLINE_WEBHOOK_SECRET_GZ_TIANHE: SECRET,
    };
    let service = await startService({ env: overrides, timeoutMs: 60_000 });
    try {
      const hook = webhooks.holdNext();
      await dispatch('wo-e2e-svc', new Date());
      await hook.arrived;
      await service.kill();
      hook.release();
      service = await startService({ env: { ...overrides, REDIS_PREFIX: service.env.REDIS_PREFIX }, timeoutMs: 60_000 });
      await allDelivered('wo-e2e-svc');
      const [eventId] = await eventIdsOf('wo-e2e-svc');
      expect(rawWebhooks(eventId as string)).toHaveLength(2);
      expect(webhooks.unique().filter((w) => w.eventId === eventId)).toHaveLength(1);
      expect(acceptedMails(eventId as string)).toHaveLength(1);
    } finally {
      await service.stop();
    }
  }, 180_000);
});

describe('deadline timers on BullMQ with an injected clock', () => {
  let running: RunningOrderDelivery;
  let bull: Redis;
  let alerts: AlertLog;
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    // Only this part's order runs against a deadline.
    await db.query('TRUNCATE work_order_deliveries, work_order_outbox, work_order_events, work_orders, cases RESTART IDENTITY');
    bull = connectRedis(redis.url, true);
    const notifier = new InProcessNotifier();
    alerts = new AlertLog(notifier, new MemorySupervisionStore());
    running = await startOrderDelivery({
      settings: {
        HOTLINE_CASES_CONFIG: join(ROOT, 'config/cases.yaml'), HOTLINE_CENTRES_CONFIG: join(dir, 'centres.yaml'), SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        SMTP_FROM: '12355 工单 <orders@hotline.test>', ORDER_DELIVERY_LEASE_MS: 3000, ORDER_DELIVERY_POLL_MS: 100, REDIS_PREFIX: PREFIX,
      },
      db, bullRedis: bull, notifier, clock, log: pino({ level: process.env.E2E_DEBUG ? 'debug' : 'silent' }), audit: new PgAuditLog(db),
      env: { HOTLINE_WEBHOOK_SECRET_GZ_TIANHE: SECRET }, reconcileEveryMs: 3_600_000,
    });
  });

  afterAll(async () => {
    await running?.stop();
    bull?.disconnect();
  });

  const overdue = (code: string) => alerts.recent().filter((a) => a.code === code && a.message.includes('wo-e2e-timer'));

  it('a reminder, then a missed deadline: the 督办 alert is on the dashboard and the centre is told', async () => {
    const plan = await dispatch('wo-e2e-timer', clock.now(), 1);
    await allDelivered('wo-e2e-timer');
    clock.set(new Date(Date.parse(plan.remindAt) + 1000));
    expect(await running.timers.reconcile()).toMatchObject({ promoted: 1 });
    await waitFor('the reminder (催办) at the centre', async () => (webhooks.raw.some((w) => w.body.orderId === 'wo-e2e-timer' && w.body.type === 'order.reminder') ? true : undefined), 20_000);
    expect(overdue('order-overdue')).toEqual([]);
    clock.set(new Date(Date.parse(plan.dueAt) + 1000));
    expect(await running.timers.reconcile()).toMatchObject({ promoted: 1 });
    await waitFor('the 督办 alert', async () => (overdue('order-overdue').length > 0 ? true : undefined), 20_000).catch(async (err: unknown) => {
      console.error(JSON.stringify({ alerts: alerts.recent(), order: await new PgWorkOrderStore(db).get('wo-e2e-timer'), outbox: await rows('wo-e2e-timer') }, null, 1));
      throw err;
    });
    expect(overdue('order-overdue')[0]?.message).toContain('督办');
    await allDelivered('wo-e2e-timer');
    const overdueHooks = webhooks.unique().filter((w) => w.body.orderId === 'wo-e2e-timer' && w.body.type === 'order.overdue');
    expect(overdueHooks).toEqual([expect.objectContaining({ body: expect.objectContaining({ level: 1, deadline: { kind: 'accept', dueAt: plan.dueAt } }) })]);
    const order = await new PgWorkOrderStore(db).get('wo-e2e-timer');
    expect(order?.state).toMatchObject({ status: 'dispatched', overdue: { accept: 1 }, deadline: { reminded: true, supervision: 1 } });
  }, 120_000);

  it('after Redis lost everything, the timers are rebuilt from the database and the second level still comes', async () => {
    const plan = (await new PgWorkOrderStore(db).get('wo-e2e-timer'))?.state.deadline;
    if (!plan) throw new Error('the order has no deadline');
    const admin = new Redis(redis.url);
    await admin.flushall();
    admin.disconnect();
    expect(await running.timers.reconcile()).toMatchObject({ added: 1, promoted: 0 }); // only the second level is still to come
    expect(await running.timers.reconcile()).toMatchObject({ added: 0 });
    clock.set(new Date(Date.parse(plan.secondLevelAt) + 1000));
    expect(await running.timers.reconcile()).toMatchObject({ promoted: 1 });
    await waitFor('the second-level 督办 alert', async () => (overdue('order-overdue-second-level').length > 0 ? true : undefined), 20_000);
    expect(overdue('order-overdue')).toHaveLength(1); // the first level is not raised again
    const order = await new PgWorkOrderStore(db).get('wo-e2e-timer');
    expect(order?.state.overdue.accept).toBe(2);
  }, 120_000);
});
