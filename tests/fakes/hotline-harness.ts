import { pino } from 'pino';
import { vi } from 'vitest';
import { hotlineNumber, type HotlineConfig } from '../../src/config/hotline-config.ts';
import type { Roster } from '../../src/config/roster.ts';
import { InProcessNotifier, type HotlineEvent } from '../../src/ports/notifier.ts';
import type { RingPhoneRequest } from '../../src/ports/telephony.ts';
import { CallService } from '../../src/services/calls/call-service.ts';
import { IvrService } from '../../src/services/calls/ivr-service.ts';
import { PlaybackOwners } from '../../src/services/calls/playback-owners.ts';
import { EscalationService } from '../../src/services/escalation/escalation-service.ts';
import { MonitorService } from '../../src/services/monitoring/monitor-service.ts';
import { CounsellorService } from '../../src/services/queue/counsellor-service.ts';
import { QueueService } from '../../src/services/queue/queue-service.ts';
import { TransferService } from '../../src/services/transfer/transfer-service.ts';
import { DialBackService } from '../../src/services/callbacks/dial-back-service.ts';
import { RememberingLiveCalls } from '../../src/services/recovery/remembering-live-calls.ts';
import { RememberingQueueStore } from '../../src/services/recovery/remembering-queue-store.ts';
import { RememberingSessions } from '../../src/services/recovery/remembering-sessions.ts';
import { StoreLossRecovery } from '../../src/services/recovery/store-loss-recovery.ts';
import { WriteBehind } from '../../src/services/recovery/write-behind.ts';
import { DeferredAuditLog, DeferredCallRecords, DeferredEscalationLog, DeferredQueueEvents } from '../../src/services/recovery/deferred-stores.ts';
import { MemoryDurableWriter } from './memory-durable-writer.ts';
import { MemoryWriteBacklog } from './memory-write-backlog.ts';
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

/** The call-handling services wired as src/app.ts wires them (keep in step with it), over fakes. */
export async function startTestHotline(o: HarnessOptions = {}) {
  const telephony = o.telephony ?? new FakeTelephony();
  const stores = o.stores ?? memoryStores();
  const config = o.config ?? serviceTestConfig();
  const roster = o.roster ?? serviceTestRoster();
  const { clock, jobs } = stores;
  const log = pino({ level: process.env.HOTLINE_TEST_LOG ?? 'silent' });
  const notifier = new InProcessNotifier();
  const published: HotlineEvent[] = [];
  notifier.subscribe((e) => published.push(e));
  // As in app.ts: database writes go through WriteBehind, so an outage defers them.
  const writes = new WriteBehind({ writer: stores.database, backlog: stores.backlog, clock, notifier, log });
  const records = new DeferredCallRecords(stores.records, writes);
  const queueEvents = new DeferredQueueEvents(stores.events, writes);
  const audit = new DeferredAuditLog(stores.audit, writes, clock);
  const escalationLog = new DeferredEscalationLog(stores.escalationLog, writes);
  await writes.start();
  // As in app.ts: the services write through wrappers that remember, the stores stand for Redis.
  const store = new RememberingQueueStore(stores.store);
  const liveCalls = new RememberingLiveCalls(stores.liveCalls);
  const sessions = new RememberingSessions(stores.sessions, clock, 12 * 3600_000);
  const playbacks = new PlaybackOwners();

  const calls = new CallService({ telephony, clock, calls: liveCalls, records, playbacks, log, legRoles: new Set(['counsellor', 'emergency', 'snoop', 'supervisor', 'colleague', 'dialback']) });
  let queue: QueueService | null = null;
  const counsellors = new CounsellorService({
    store, telephony, clock, events: queueEvents, notifier, settings: config.queue, log,
    onAvailable: () => queue?.onCounsellorAvailable(),
    onWithdrawOffer: (id, callId) => {
      const call = calls.getCall(callId);
      if (call?.offerId) void telephony.hangup(`offer-${call.offerId}-${id}`);
    },
  });
  queue = new QueueService({ telephony, store, counsellors, calls, liveCalls, records, events: queueEvents, notifier, jobs, clock, config, playbacks, log });
  const ivr = new IvrService({
    telephony, config, clock, calls: liveCalls, records, playbacks, queue,
    schedule: (id, ms) => calls.schedule(id, ms), cancelSchedule: (id) => calls.cancelSchedule(id),
    transition: (call, event) => calls.transition(call, event),
  });
  const escalations = new EscalationService({
    telephony, calls, liveCalls, records, log: escalationLog, audit, notifier, clock, playbacks, queue, settings: config.escalation,
    routes: o.routes ?? [PRIMARY_110, FALLBACK_110], defaultLanguage: config.defaultLanguage,
    hotlineNumber: hotlineNumber(config),
  });
  const monitors = new MonitorService({ telephony, calls, liveCalls, audit, roster: () => roster, store: stores.supervision, hotlineNumber: hotlineNumber(config) });
  const transfers = new TransferService({ telephony, calls, liveCalls, store, counsellors, audit, ringTimeoutMs: config.queue.ringTimeoutMs, hotlineNumber: hotlineNumber(config) });
  queue.promoteColleague = (call) => transfers.promoteColleague(call);
  const dialBacks = new DialBackService({
    telephony, calls, liveCalls, records, store, counsellors, jobs, audit, notifier, clock, playbacks, log,
    settings: { dialTemplate: CALLBACK_DIAL, counsellorRingSec: 20, callerRingSec: 40, defaultLanguage: config.defaultLanguage, hotlineNumber: hotlineNumber(config) },
  });
  calls.use(ivr, [dialBacks, queue, escalations, monitors, transfers]);
  await counsellors.loadRoster(roster);
  const stopEvents = calls.start();
  let reportLoss: (why: string) => void = () => undefined;
  const watch: StoreLossWatch = { start: async (onLost) => void (reportLoss = onLost), stop: () => undefined };
  const storeLoss = new StoreLossRecovery({
    watch,
    remembered: [{ name: 'counsellors and queue', store }, { name: 'channel links', store: liveCalls }, { name: 'sessions', store: sessions }],
    recoverCalls: async () => {
      await counsellors.loadRoster(roster);
      await calls.recoverLostStore();
    },
    notifier, log,
  });
  await storeLoss.start();
  // The ARI adapter reports 'up' once its event stream is connected; that starts the resync.
  telephony.emit({ type: 'connection', state: 'up' });
  await settle();

  const q = queue;
  const h = {
    telephony, stores, config, roster, notifier, published, playbacks, calls, ivr, queue: q, counsellors, escalations, monitors, transfers, dialBacks, clock, settle, sessions, writes,
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
    alerts(): Array<Extract<HotlineEvent, { type: 'alert' }>> {
      return published.filter((e): e is Extract<HotlineEvent, { type: 'alert' }> => e.type === 'alert');
    },
    /** Stops the services the way app.ts does, leaving the PBX and the stores as they are. */
    async stop(): Promise<void> {
      stopEvents();
      storeLoss.stop();
      writes.stop();
      q.shutdown();
      escalations.shutdown();
      dialBacks.shutdown();
      await counsellors.shutdown();
      await calls.shutdown();
    },
  };
  return h;
}

export type TestHotline = Awaited<ReturnType<typeof startTestHotline>>;
