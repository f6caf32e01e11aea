import type { Logger } from 'pino';
import { hotlineNumber, type HotlineConfig } from '../config/hotline-config.ts';
import { buildAreaTable } from '../config/area-config.ts';
import type { Roster } from '../config/roster.ts';
import type { AreaTable } from '../domain/routing/caller-area.ts';
import type { Sessions, AuditLog } from '../ports/auth.ts';
import type { CallRecords } from '../ports/call-records.ts';
import type { Clock } from '../ports/clock.ts';
import type { DurableWriter, WriteBacklog } from '../ports/deferred-writes.ts';
import type { EscalationLog } from '../ports/escalation-log.ts';
import type { Jobs } from '../ports/jobs.ts';
import type { LiveCalls } from '../ports/live-calls.ts';
import type { Notifier } from '../ports/notifier.ts';
import type { QueueEvent, QueueEventLog } from '../ports/queue-events.ts';
import type { QueueStore } from '../ports/queue-store.ts';
import type { StoreLossWatch } from '../ports/store-loss.ts';
import type { SupervisionStore } from '../ports/supervision-store.ts';
import type { Telephony } from '../ports/telephony.ts';
import { DialBackService } from '../services/callbacks/dial-back-service.ts';
import { CallService, type CallFeature } from '../services/calls/call-service.ts';
import { IvrService } from '../services/calls/ivr-service.ts';
import { PlaybackOwners } from '../services/calls/playback-owners.ts';
import { EscalationService } from '../services/escalation/escalation-service.ts';
import { MonitorService } from '../services/monitoring/monitor-service.ts';
import { CounsellorService } from '../services/queue/counsellor-service.ts';
import { QueueService } from '../services/queue/queue-service.ts';
import { DeferredAuditLog, DeferredCallRecords, DeferredEscalationLog, DeferredQueueEvents } from '../services/recovery/deferred-stores.ts';
import { RememberingLiveCalls } from '../services/recovery/remembering-live-calls.ts';
import { RememberingQueueStore } from '../services/recovery/remembering-queue-store.ts';
import { RememberingSessions } from '../services/recovery/remembering-sessions.ts';
import { StoreLossRecovery } from '../services/recovery/store-loss-recovery.ts';
import { WriteBehind } from '../services/recovery/write-behind.ts';
import { TransferService } from '../services/transfer/transfer-service.ts';

/** What the call services run on: the app passes Redis, PostgreSQL and ARI adapters, the tests fakes. */
export interface CallPorts {
  telephony: Telephony;
  clock: Clock;
  notifier: Notifier;
  log: Logger;
  jobs: Jobs;
  /** Redis: written through wrappers that remember, to be given back if Redis loses its data. */
  redis: { liveCalls: LiveCalls; queue: QueueStore; sessions: Sessions; lossWatch: StoreLossWatch; supervision: SupervisionStore };
  /** PostgreSQL: written through WriteBehind, which defers writes to the backlog during an outage. */
  database: { writer: DurableWriter; backlog: WriteBacklog; records: CallRecords; events: QueueEventLog; audit: AuditLog; escalations: EscalationLog };
  /** The roster as it is now (it can be replaced while running). */
  roster: () => Roster;
}

export interface CallSettings {
  /** Dial strings of the emergency trunks, first choice first. */
  emergencyRoutes: string[];
  /** How a callback dials the caller: a dial string with `{number}`. */
  callbackDial: string;
  sessionTtlMs: number;
  /** Sees every queue event written (the app's metrics). */
  observeQueueEvent?: (e: QueueEvent) => void;
  /** Callers' areas (config and the phone-number data set); default: from the config alone. */
  areas?: AreaTable;
}

/** How long a dialled-back caller's phone rings. */
const CALLER_RING_SEC = 40;

/**
 * Builds every call-handling service from ports, the one way both the app and the test harness
 * do it. Features reach each other only through the router's event bus (`CallService.events`),
 * which they subscribe to when built, so the order they are built in does not matter.
 */
export async function wireCallServices(ports: CallPorts, config: HotlineConfig, settings: CallSettings) {
  const { telephony, clock, notifier, log, jobs } = ports;
  // The number the phones we ring show: the hotline's own.
  const shownNumber = hotlineNumber(config);
  const writes = new WriteBehind({ writer: ports.database.writer, backlog: ports.database.backlog, clock, notifier, log: log.child({ component: 'db-writes' }) });
  const records = new DeferredCallRecords(ports.database.records, writes);
  const audit = new DeferredAuditLog(ports.database.audit, writes, clock);
  const escalationLog = new DeferredEscalationLog(ports.database.escalations, writes);
  const queueEvents = new DeferredQueueEvents(ports.database.events, writes, settings.observeQueueEvent);
  await writes.start();
  const liveCalls = new RememberingLiveCalls(ports.redis.liveCalls);
  const store = new RememberingQueueStore(ports.redis.queue);
  const sessions = new RememberingSessions(ports.redis.sessions, clock, settings.sessionTtlMs);
  const playbacks = new PlaybackOwners();

  const calls = new CallService({ telephony, clock, calls: liveCalls, records, playbacks, log, areas: settings.areas ?? buildAreaTable(config) });
  const counsellors = new CounsellorService({
    store, telephony, clock, events: queueEvents, notifier, settings: config.queue, log: log.child({ component: 'counsellors' }), bus: calls.events,
  });
  const queue = new QueueService({ telephony, store, counsellors, calls, liveCalls, records, events: queueEvents, notifier, jobs, clock, config, playbacks, log: log.child({ component: 'queue' }) });
  const ivr = new IvrService({
    telephony, config, clock, calls: liveCalls, records, playbacks, queue,
    schedule: (id, ms) => calls.schedule(id, ms), cancelSchedule: (id) => calls.cancelSchedule(id),
    transition: (call, event) => calls.transition(call, event),
  });
  const escalations = new EscalationService({
    telephony, calls, liveCalls, records, log: escalationLog, audit, notifier, clock, playbacks, settings: config.escalation,
    routes: settings.emergencyRoutes, defaultLanguage: config.defaultLanguage, hotlineNumber: shownNumber,
  });
  const monitors = new MonitorService({ telephony, calls, liveCalls, audit, roster: ports.roster, store: ports.redis.supervision, hotlineNumber: shownNumber });
  const transfers = new TransferService({ telephony, calls, liveCalls, store, counsellors, audit, records, notifier, ringTimeoutMs: config.queue.ringTimeoutMs, hotlineNumber: shownNumber });
  const dialBacks = new DialBackService({
    telephony, calls, liveCalls, records, store, counsellors, jobs, audit, notifier, clock, playbacks, log: log.child({ component: 'dial-back' }),
    settings: {
      dialTemplate: settings.callbackDial, counsellorRingSec: Math.max(1, Math.round(config.queue.ringTimeoutMs / 1000)), callerRingSec: CALLER_RING_SEC,
      defaultLanguage: config.defaultLanguage, hotlineNumber: shownNumber,
    },
  });
  // The order features hear each event and the resync in. Dial-backs first: their resync frees
  // counsellors the queue's resync would otherwise only half release (withdrawing the offer and
  // forgetting its id). The others keep the order they have always had.
  const features: CallFeature[] = [dialBacks, queue, escalations, monitors, transfers];
  calls.use(ivr, features);
  await counsellors.loadRoster(ports.roster());
  const stopEvents = calls.start();
  const storeLoss = new StoreLossRecovery({
    watch: ports.redis.lossWatch,
    remembered: [{ name: 'counsellors and queue', store }, { name: 'channel links', store: liveCalls }, { name: 'sessions', store: sessions }],
    recoverCalls: async () => {
      await counsellors.loadRoster(ports.roster());
      await calls.recoverLostStore();
    },
    notifier, log,
  });
  await storeLoss.start();

  return {
    calls, ivr, queue, counsellors, escalations, monitors, transfers, dialBacks, playbacks,
    records, audit, escalationLog, queueEvents, liveCalls, store, sessions, writes, storeLoss,
    /** Stops the call services, leaving the PBX and the stores as they are. */
    async stop(): Promise<void> {
      stopEvents();
      storeLoss.stop();
      writes.stop();
      queue.shutdown();
      escalations.shutdown();
      transfers.shutdown();
      dialBacks.shutdown();
      await counsellors.shutdown();
      await calls.shutdown();
    },
  };
}

export type CallServices = Awaited<ReturnType<typeof wireCallServices>>;
