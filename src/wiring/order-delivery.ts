/**
 * The parts of the work-order loop that run without a person, built in one place: the outbox
 * worker (webhook, e-mail, dashboard alerts), the deadline timers (BullMQ) and the daily
 * retention job. `startOrderDelivery` starts them with the service; `stop` ends them without
 * losing work: the message being sent finishes, the rest of its batch is given back, running
 * timer jobs finish and delayed ones stay in Redis.
 */
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Logger } from 'pino';
import { BullmqDailyJob } from '../adapters/jobs/bullmq-daily-job.ts';
import { BullmqTimerQueue } from '../adapters/jobs/bullmq-timer-queue.ts';
import { HttpWebhookSender } from '../adapters/notify/http-webhook-sender.ts';
import { SmtpMailer } from '../adapters/notify/smtp-mailer.ts';
import { PgCaseStore } from '../adapters/storage/pg-case-store.ts';
import { PgOutboxDelivery } from '../adapters/storage/pg-outbox-delivery.ts';
import { PgRetentionStore } from '../adapters/storage/pg-retention-store.ts';
import { PgWorkOrderStore } from '../adapters/storage/pg-work-order-store.ts';
import { loadCasesConfig, type CasesConfig } from '../config/cases-config.ts';
import { centreContacts, readWebhookSecrets } from '../config/centre-contacts.ts';
import { loadCentresConfig, type CentresConfig } from '../config/centres-config.ts';
import { orderContext } from '../config/work-order-setup.ts';
import type { AuditLog } from '../ports/auth.ts';
import { systemClock, type Clock } from '../ports/clock.ts';
import type { Notifier } from '../ports/notifier.ts';
import type { OrderSystemEvents } from '../ports/order-delivery.ts';
import { DeadlineTimers } from '../services/work-orders/deadline-timers.ts';
import { OutboxWorker } from '../services/work-orders/outbox-worker.ts';
import { RetentionService } from '../services/work-orders/retention-service.ts';
import { StoreOrderSystemEvents } from '../services/work-orders/store-system-events.ts';

export interface OrderDeliverySettings {
  HOTLINE_CASES_CONFIG: string;
  HOTLINE_CENTRES_CONFIG: string;
  HOTLINE_SECRETS_FILE?: string | undefined;
  SMTP_URL?: string | undefined;
  SMTP_FROM: string;
  ORDER_DELIVERY_LEASE_MS: number;
  ORDER_DELIVERY_POLL_MS: number;
  REDIS_PREFIX: string;
}

export interface OrderDeliveryDeps {
  settings: OrderDeliverySettings;
  db: pg.Pool;
  /** A BullMQ connection (maxRetriesPerRequest: null). */
  bullRedis: Redis;
  notifier: Notifier;
  clock: Clock;
  log: Logger;
  audit: AuditLog;
  /** Webhook secrets from the environment (HOTLINE_WEBHOOK_SECRET_<CENTRE>). */
  env?: Record<string, string | undefined>;
  /** Already loaded configs; read from the settings' paths otherwise. */
  cases?: CasesConfig;
  centres?: CentresConfig;
  /** Local time of the daily retention run (Asia/Shanghai). */
  retentionAt?: string;
  /** How often timers are rebuilt from the database. */
  reconcileEveryMs?: number;
  /**
   * Where timer events go: the WorkOrderService when the app has one (published and audited),
   * else straight to the store and machine.
   */
  systemEvents?: (onStore: OrderSystemEvents) => OrderSystemEvents;
}

export interface RunningOrderDelivery {
  worker: OutboxWorker;
  timers: DeadlineTimers;
  retention: RetentionService;
  stop(): Promise<void>;
}

export async function startOrderDelivery(d: OrderDeliveryDeps): Promise<RunningOrderDelivery> {
  const { settings: s, db, clock } = d;
  const cases = d.cases ?? loadCasesConfig(s.HOTLINE_CASES_CONFIG);
  const centres = d.centres ?? loadCentresConfig(s.HOTLINE_CENTRES_CONFIG, cases);
  const contacts = centreContacts(centres, readWebhookSecrets(s.HOTLINE_SECRETS_FILE), d.env ?? process.env);
  const orders = new PgWorkOrderStore(db);
  // Every send ends well within the lease, so a message is never held by two workers at once.
  const sendTimeoutMs = Math.min(20_000, Math.floor(s.ORDER_DELIVERY_LEASE_MS / 3));
  const mailer = s.SMTP_URL ? new SmtpMailer({ url: s.SMTP_URL, from: s.SMTP_FROM, timeoutMs: sendTimeoutMs }) : null;

  const onStore = new StoreOrderSystemEvents(orders, orderContext(cases, centres), clock);
  const systemEvents = d.systemEvents ? d.systemEvents(onStore) : onStore;
  const timerQueue = new BullmqTimerQueue(d.bullRedis, s.REDIS_PREFIX, d.log.child({ component: 'order-timers' }));
  const timers = new DeadlineTimers({
    queue: timerQueue, orders: systemEvents, clock, log: d.log.child({ component: 'order-timers' }),
  });
  const worker = new OutboxWorker({
    outbox: new PgOutboxDelivery(db), orders, contacts: (id) => contacts.get(id) ?? null,
    // The signature's timestamp is wall time, whatever the service clock is pinned to (HOTLINE_NOW):
    // the receiver compares it with its own clock to refuse replays.
    webhook: new HttpWebhookSender(systemClock, sendTimeoutMs), mailer, timers, notifier: d.notifier, clock,
    log: d.log.child({ component: 'outbox' }), leaseMs: s.ORDER_DELIVERY_LEASE_MS, pollMs: s.ORDER_DELIVERY_POLL_MS,
  });
  const retention = new RetentionService({
    cases: new PgCaseStore(db), store: new PgRetentionStore(db), audit: d.audit, clock, log: d.log.child({ component: 'retention' }),
    policy: { personalDataDays: cases.retention.personalDataDays, callerNumberDays: cases.retention.callerNumberDays ?? cases.retention.personalDataDays },
  });
  const daily = new BullmqDailyJob(d.bullRedis, s.REDIS_PREFIX, 'retention-daily', () => retention.runDaily(), d.log.child({ component: 'retention' }));

  await timers.start(d.reconcileEveryMs);
  await daily.schedule(d.retentionAt ?? '03:30');
  worker.start();
  return {
    worker, timers, retention,
    async stop() {
      await worker.stop();
      await timers.stop();
      await daily.close();
      mailer?.close();
    },
  };
}
