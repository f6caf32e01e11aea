import { resolve } from 'node:path';
import { followUpPolicy } from '../../src/config/follow-ups-config.ts';
import { FollowUpDialler } from '../../src/services/follow-ups/follow-up-dialler.ts';
import { FollowUpService } from '../../src/services/follow-ups/follow-up-service.ts';
import { MemoryFollowUpStore } from './memory-follow-up-store.ts';
import { pino } from 'pino';
import { vi } from 'vitest';
import type { HotlineConfig } from '../../src/config/hotline-config.ts';
import type { Roster } from '../../src/config/roster.ts';
import { InProcessNotifier, type HotlineEvent } from '../../src/ports/notifier.ts';
import type { RingPhoneRequest } from '../../src/ports/telephony.ts';
import { MemoryDurableWriter } from './memory-durable-writer.ts';
import { MemoryWriteBacklog } from './memory-write-backlog.ts';
import { wireCallServices } from '../../src/wiring/call-services.ts';
import { loadCaseSetup, wireCaseServices } from '../../src/wiring/case-services.ts';
import { MemoryCaseStore } from './memory-case-store.ts';
import { MemoryPersonalData } from './memory-personal-data.ts';
import { MemorySupervisionStore } from './memory-supervision-store.ts';
import type { StoreLossWatch } from '../../src/ports/store-loss.ts';
import { FakeJobs } from './fake-jobs.ts';
import { FakeTelephony } from './fake-telephony.ts';
import { CALLBACK_DIAL, FALLBACK_110, PRIMARY_110, serviceTestConfig, serviceTestRoster } from './hotline-fixture.ts';
import { ManualClock } from './manual-clock.ts';
import { MemoryAuditLog } from './memory-audit-log.ts';
import { MemoryCallRecords } from './memory-call-records.ts';
import { MemoryEscalationLog } from './memory-escalation-log.ts';
import { MemoryLiveCalls } from './memory-live-calls.ts';
import { MemoryQueueEvents } from './memory-queue-events.ts';
import { MemoryQueueStore } from './memory-queue-store.ts';
import { MemorySessions } from './memory-sessions.ts';

/** The caller-key secret of the harness (tests only). */
export const TEST_CALLER_KEY_SECRET = 'test-caller-key-secret-0123456789abcdef';

/** Timers the service tests fake: setImmediate stays real so `settle` can let promises run. */
export const FAKE_TIMERS: Parameters<typeof vi.useFakeTimers>[0] = { toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] };

/** What survives a restart of the service: Redis, PostgreSQL, BullMQ (and the clock). */
export interface HotlineStores {
  clock: ManualClock;
  store: MemoryQueueStore;
  liveCalls: MemoryLiveCalls;
  records: MemoryCallRecords;
  events: MemoryQueueEvents;
  audit: MemoryAuditLog;
  escalationLog: MemoryEscalationLog;
  sessions: MemorySessions;
  jobs: FakeJobs;
  /** PostgreSQL's side of the deferred writes (with an outage switch), and their Redis backlog. */
  database: MemoryDurableWriter;
  backlog: MemoryWriteBacklog;
  /** Alerts and monitoring sessions (Redis). */
  supervision: MemorySupervisionStore;
  /** Cases and (as `cases.orders`) work orders (PostgreSQL). */
  cases: MemoryCaseStore;
}

export function memoryStores(clock = new ManualClock()): HotlineStores {
  const records = new MemoryCallRecords();
  const events = new MemoryQueueEvents();
  const audit = new MemoryAuditLog(clock);
  const escalationLog = new MemoryEscalationLog();
  return {
    clock, store: new MemoryQueueStore(), liveCalls: new MemoryLiveCalls(), records, events, audit, escalationLog,
    sessions: new MemorySessions(), jobs: new FakeJobs(),
    database: new MemoryDurableWriter({ records, events, audit, escalationLog }), backlog: new MemoryWriteBacklog(),
    supervision: new MemorySupervisionStore(),
    cases: new MemoryCaseStore(),
  };
}

export interface HarnessOptions {
  telephony?: FakeTelephony;
  stores?: HotlineStores;
  config?: HotlineConfig;
  roster?: Roster;
  routes?: string[];
}

/** Lets every pending promise chain and event run (real setImmediate, even under fake timers). */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}

/** The call-handling services wired by `wireCallServices`, as src/app.ts wires them, over fakes. */
export async function startTestHotline(o: HarnessOptions = {}) {
  const telephony = o.telephony ?? new FakeTelephony();
  const stores = o.stores ?? memoryStores();
  const config = o.config ?? serviceTestConfig();
  const roster = o.roster ?? serviceTestRoster();
  const { clock, jobs } = stores;
  // Error lines are kept for tests to check (a refused call transition is one); HOTLINE_TEST_LOG=<level> also prints.
  const errorLines: Array<{ level: number; msg?: string; code?: string; callId?: string }> = [];
  const log = pino({ level: process.env.HOTLINE_TEST_LOG ?? 'error' }, {
    write(line: string) {
      const entry = JSON.parse(line) as (typeof errorLines)[number];
      if (entry.level >= 50) errorLines.push(entry);
      if (process.env.HOTLINE_TEST_LOG) process.stdout.write(line);
    },
  });
  const notifier = new InProcessNotifier();
  const published: HotlineEvent[] = [];
  notifier.subscribe((e) => published.push(e));
  let reportLoss: (why: string) => void = () => undefined;
  const lossWatch: StoreLossWatch = { start: async (onLost) => void (reportLoss = onLost), stop: () => undefined };
  const services = await wireCallServices({
    telephony, clock, notifier, log, jobs, roster: () => roster,
    redis: { liveCalls: stores.liveCalls, queue: stores.store, sessions: stores.sessions, lossWatch, supervision: stores.supervision },
    database: {
      writer: stores.database, backlog: stores.backlog,
      records: stores.records, events: stores.events, audit: stores.audit, escalations: stores.escalationLog,
    },
  }, config, { emergencyRoutes: o.routes ?? [PRIMARY_110, FALLBACK_110], callbackDial: CALLBACK_DIAL, sessionTtlMs: 12 * 3600_000 });
  const { calls, ivr, queue, counsellors, escalations, monitors, transfers, dialBacks, playbacks, sessions, writes, storeLoss } = services;
  const { store, liveCalls, records, queueEvents, audit, escalationLog } = services;
  // Cases and work orders over memory stores, with the repository's config/cases.yaml and centres.yaml.
  const caseSetup = loadCaseSetup({ cases: resolve(import.meta.dirname, '../../config/cases.yaml'), centres: resolve(import.meta.dirname, '../../config/centres.yaml') }, config, TEST_CALLER_KEY_SECRET);
  const afterCall = wireCaseServices({
    cases: stores.cases, orders: stores.cases.orders, personalData: new MemoryPersonalData(stores.cases, stores.records), clock, notifier, log, calls, counsellors, records, liveCalls, audit,
  }, caseSetup);
  // Follow-up calls (回访) over a memory store; due times are driven by the tests (no BullMQ here).
  const followUpStore = new MemoryFollowUpStore(stores.cases, stores.cases.orders);
  const followUpRules = followUpPolicy(config.followUps, config.timezone);
  const followUps = new FollowUpService({
    store: followUpStore, cases: stores.cases, workOrders: afterCall.workOrders, notifier, audit, clock, log,
    policy: followUpRules, schedule: async () => undefined,
  });
  const followUpDialler = new FollowUpDialler({
    store: followUpStore, cases: stores.cases, records, queue: store, counsellors, dialBacks, notifier, audit, clock, log,
    skillsOf: () => [], defaultLanguage: config.defaultLanguage, defaultLine: config.defaultLine, leaseMs: 600_000, policy: followUpRules,
    notReached: (f) => followUps.notReached(f),
  });
  // The ARI adapter reports 'up' once its event stream is connected; that starts the resync.
  telephony.emit({ type: 'connection', state: 'up' });
  await settle();

  const h = {
    telephony, stores, config, roster, notifier, published, playbacks, calls, ivr, queue, counsellors, escalations, monitors, transfers, dialBacks, clock, settle, sessions, writes,
    /** Cases and work orders (src/wiring/case-services.ts) and what they were built from. */
    afterCall, caseSetup,
    /** Follow-up calls (回访): the service, its memory store and the dialler (src/wiring/follow-ups.ts in the app). */
    followUps, followUpStore, followUpDialler,
    /** The stores as the services see them (remembering, deferred), e.g. for the HTTP routers. */
    store, liveCalls, records, queueEvents, audit, escalationLog, jobs,
    /** Redis came back empty and the watch saw it: every store forgets, then the recovery runs. */
    async storeLost(): Promise<void> {
      stores.store.clear();
      stores.liveCalls.clear();
      stores.sessions.clear();
      reportLoss('epoch key missing');
      await settle();
      await storeLoss.settled();
      await settle();
    },
    /** Moves the clock and the fake timers together, one step at a time. */
    async advance(ms: number, step = 1000): Promise<void> {
      for (let left = ms; left > 0; left -= step) {
        const d = Math.min(step, left);
        clock.advance(d);
        await vi.advanceTimersByTimeAsync(d);
        await settle();
      }
    },
    /**
     * A caller on 12355 who picks Mandarin (1), then `choice` in the main menu (0 general,
     * 1 psychological, 9 emergency) and, unless told otherwise, hears the privacy notice to the end.
     */
    async callerInQueue(channelId: string, choice = '0', o: { number?: string; hearNotice?: boolean } = {}): Promise<void> {
      telephony.callerEnters(channelId, { number: o.number ?? '13800138000' });
      await settle();
      telephony.dtmf(channelId, '1');
      await settle();
      telephony.dtmf(channelId, choice);
      await settle();
      if (o.hearNotice ?? true) await h.hearAll(channelId);
    },
    /** The caller hears every prompt to the end, including any that follow (notice, then hold intro). */
    async hearAll(channelId: string): Promise<void> {
      for (let i = 0; i < 5 && telephony.playbacksOn(channelId).length > 0; i++) {
        telephony.finishPlaybacksOn(channelId);
        await settle();
      }
    },
    /** The counsellor's SIP phone registers (which signs them in) and matching runs. */
    async online(sipUser: string): Promise<void> {
      telephony.emit({ type: 'endpoint-state', technology: 'PJSIP', resource: sipUser, state: 'online' });
      await settle();
    },
    /** The latest offer leg rung for a call. */
    offerFor(callId: string): RingPhoneRequest | undefined {
      return telephony.phonesRung().filter((r) => r.appArgs[0] === 'counsellor' && r.appArgs[1] === callId).at(-1);
    },
    /** What the services logged at error level and above, oldest first. */
    errorLogs(): ReadonlyArray<{ msg?: string; code?: string; callId?: string }> {
      return errorLines;
    },
    alerts(): Array<Extract<HotlineEvent, { type: 'alert' }>> {
      return published.filter((e): e is Extract<HotlineEvent, { type: 'alert' }> => e.type === 'alert');
    },
    /** Stops the services the way app.ts does, leaving the PBX and the stores as they are. */
    stop: () => services.stop(),
  };
  return h;
}

export type TestHotline = Awaited<ReturnType<typeof startTestHotline>>;
