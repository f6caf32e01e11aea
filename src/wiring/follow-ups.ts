/**
 * Follow-up calls (回访), built in one place and started with the service: the store (PostgreSQL),
 * the due-time jobs (BullMQ, rebuilt from the database every sweep), the dialler on the dial-back
 * path and the service that records outcomes and applies them to work orders.
 */
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Logger } from 'pino';
import { BullmqFollowUpTimers } from '../adapters/jobs/bullmq-follow-up-timers.ts';
import { PgFollowUpStore } from '../adapters/storage/pg-follow-up-store.ts';
import { followUpPolicy } from '../config/follow-ups-config.ts';
import type { HotlineConfig } from '../config/hotline-config.ts';
import type { AuditLog } from '../ports/auth.ts';
import type { CallRecords } from '../ports/call-records.ts';
import type { CaseStore } from '../ports/cases.ts';
import type { Clock } from '../ports/clock.ts';
import type { Notifier } from '../ports/notifier.ts';
import type { QueueStore } from '../ports/queue-store.ts';
import type { DialBackService } from '../services/callbacks/dial-back-service.ts';
import { FollowUpDialler } from '../services/follow-ups/follow-up-dialler.ts';
import { FollowUpService } from '../services/follow-ups/follow-up-service.ts';
import { FollowUpTimers } from '../services/follow-ups/follow-up-timers.ts';
import type { CounsellorService } from '../services/queue/counsellor-service.ts';
import type { WorkOrderService } from '../services/work-orders/work-order-service.ts';

export interface FollowUpDeps {
  config: HotlineConfig;
  db: pg.Pool;
  /** A BullMQ connection (maxRetriesPerRequest: null). */
  bullRedis: Redis;
  redisPrefix: string;
  cases: CaseStore;
  records: CallRecords;
  queue: QueueStore;
  counsellors: Pick<CounsellorService, 'phoneOf'>;
  dialBacks: DialBackService;
  workOrders: WorkOrderService;
  notifier: Notifier;
  audit: AuditLog;
  clock: Clock;
  log: Logger;
}

export interface RunningFollowUps {
  service: FollowUpService;
  timers: FollowUpTimers;
  stop(): Promise<void>;
}

export async function startFollowUps(d: FollowUpDeps): Promise<RunningFollowUps> {
  const settings = d.config.followUps;
  const policy = followUpPolicy(settings, d.config.timezone);
  const log = d.log.child({ component: 'follow-ups' });
  const store = new PgFollowUpStore(d.db);
  const queue = new BullmqFollowUpTimers(d.bullRedis, d.redisPrefix, log);
  let timers: FollowUpTimers | null = null;
  const service = new FollowUpService({
    store, cases: d.cases, workOrders: d.workOrders, notifier: d.notifier, audit: d.audit, clock: d.clock, log, policy,
    schedule: (f) => timers?.schedule(f) ?? Promise.resolve(),
  });
  const targetsByNeed = new Map(Object.values(d.config.targets).map((t) => [t.need, t.skills ?? []]));
  const dialler = new FollowUpDialler({
    store, cases: d.cases, records: d.records, queue: d.queue, counsellors: d.counsellors, dialBacks: d.dialBacks, notifier: d.notifier, audit: d.audit,
    clock: d.clock, log, skillsOf: (need) => (need ? [...(targetsByNeed.get(need) ?? [])] : []), defaultLanguage: d.config.defaultLanguage,
    defaultLine: d.config.defaultLine, leaseMs: settings.leaseMs, policy, notReached: (f) => service.notReached(f),
  });
  timers = new FollowUpTimers({
    queue, clock: d.clock, log,
    sweep: { planNew: () => service.planNew(), open: () => service.open(), dialIfDue: (id) => dialler.dialIfDue(id) },
  });
  await timers.start(settings.sweepEveryMs);
  const running = timers;
  return { service, timers: running, stop: () => running.stop() };
}
