import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { AriTelephony } from './adapters/ari/ari-telephony.ts';
import { readSecrets } from './adapters/asterisk/secrets.ts';
import { createHttpApp } from './adapters/http/app.ts';
import { hotlineRouters } from './adapters/http/hotline-routers.ts';
import { HotlineMetrics } from './adapters/http/routes/metrics-routes.ts';
import { PgEscalationLog } from './adapters/storage/pg-escalation-log.ts';
import { EscalationService } from './services/escalation/escalation-service.ts';
import { AlertLog } from './services/monitoring/alert-log.ts';
import { MonitorService } from './services/monitoring/monitor-service.ts';
import { QueueWatchdog } from './services/queue/queue-watchdog.ts';
import { DialBackService } from './services/callbacks/dial-back-service.ts';
import { TransferService } from './services/transfer/transfer-service.ts';
import { scheduleRecordingRetention } from './services/escalation/recording-retention.ts';
import { BullmqJobs } from './adapters/jobs/bullmq-jobs.ts';
import { connectRedis } from './adapters/redis/redis-connection.ts';
import { RedisLiveCalls } from './adapters/redis/redis-live-calls.ts';
import { RedisQueueStore } from './adapters/redis/redis-queue-store.ts';
import { RedisSessions } from './adapters/redis/redis-sessions.ts';
import { RedisSupervisionStore } from './adapters/redis/redis-supervision-store.ts';
import { RedisLoginThrottle } from './adapters/redis/redis-login-throttle.ts';
import { webSocketOrigin } from './adapters/http/security-headers.ts';
import { RedisEpochWatch } from './adapters/redis/redis-epoch.ts';
import { redisDurabilityGaps } from './adapters/redis/redis-durability.ts';
import { RememberingLiveCalls } from './services/recovery/remembering-live-calls.ts';
import { RememberingQueueStore } from './services/recovery/remembering-queue-store.ts';
import { RememberingSessions } from './services/recovery/remembering-sessions.ts';
import { StoreLossRecovery } from './services/recovery/store-loss-recovery.ts';
import { ensureDatabase, openDatabase } from './adapters/storage/database.ts';
import { PgAuditLog } from './adapters/storage/pg-audit-log.ts';
import { PgCallRecords } from './adapters/storage/pg-call-records.ts';
import { PgQueueEvents } from './adapters/storage/pg-queue-events.ts';
import { PgDurableWriter } from './adapters/storage/pg-durable-writer.ts';
import { RedisWriteBacklog } from './adapters/redis/redis-write-backlog.ts';
import { WriteBehind } from './services/recovery/write-behind.ts';
import { DeferredAuditLog, DeferredCallRecords, DeferredEscalationLog, DeferredQueueEvents } from './services/recovery/deferred-stores.ts';
import { hotlineNumber, loadHotlineConfig } from './config/hotline-config.ts';
import { loadRoster, type Roster } from './config/roster.ts';
import type { Settings } from './config/settings.ts';
import type { Logger } from './logger.ts';
import { clockStartingAt, systemClock } from './ports/clock.ts';
import { InProcessNotifier } from './ports/notifier.ts';
import { UserDirectory } from './services/auth/directory.ts';
import { SignInService, signInPolicy } from './services/auth/sign-in.ts';
import { CallService } from './services/calls/call-service.ts';
import { IvrService } from './services/calls/ivr-service.ts';
import { PlaybackOwners } from './services/calls/playback-owners.ts';
import { CounsellorService } from './services/queue/counsellor-service.ts';
import { QueueService } from './services/queue/queue-service.ts';
import { offerChannelId } from './services/queue/queue-context.ts';

const SESSION_TTL_SEC = 12 * 3600;

export interface RunningHotline {
  server: Server;
  stop(): Promise<void>;
}

/** The composition root: config → adapters → services → HTTP. Everything is built here, once. */
export async function startHotline(settings: Settings, log: Logger): Promise<RunningHotline> {
  const config = loadHotlineConfig(settings.HOTLINE_CONFIG, settings.HOTLINE_SOUNDS_DIR);
  let roster: Roster = loadRoster(settings.HOTLINE_ROSTER);
  const secrets = settings.HOTLINE_SECRETS_FILE ? readSecrets(settings.HOTLINE_SECRETS_FILE) : { ariPassword: '', sip: {}, web: {} };
  const clock = settings.HOTLINE_NOW ? clockStartingAt(new Date(settings.HOTLINE_NOW)) : systemClock;
  const prefix = settings.REDIS_PREFIX;

  await ensureDatabase(settings.DATABASE_URL);
  const db = await openDatabase(settings.DATABASE_URL);
  const redis = connectRedis(settings.REDIS_URL);
  const bullRedis = connectRedis(settings.REDIS_URL, true);
  await redis.ping();
  const gaps = await redisDurabilityGaps(redis);
  if (gaps?.length) log.warn({ gaps }, 'Redis is not configured the way a hotline needs (see README, Redis)');

  const telephony = new AriTelephony({ url: settings.ARI_URL, user: settings.ARI_USER, password: settings.ARI_PASSWORD }, settings.ARI_APP, log.child({ component: 'ari' }));
  const notifier = new InProcessNotifier();
  // What this instance writes to Redis is remembered, to be given back if Redis loses its data.
  const liveCalls = new RememberingLiveCalls(new RedisLiveCalls(redis, prefix));
  const store = new RememberingQueueStore(new RedisQueueStore(redis, prefix));
  const sessions = new RememberingSessions(new RedisSessions(redis, prefix, SESSION_TTL_SEC), clock, SESSION_TTL_SEC * 1000);
  const metrics = new HotlineMetrics(store, { ari: () => telephony.connected, redis: () => redis.status === 'ready' }, notifier);
  // The call path writes to PostgreSQL through WriteBehind: an outage defers the writes to a Redis
  // backlog (written back in order, none twice) instead of failing the call.
  const pg = { records: new PgCallRecords(db), events: new PgQueueEvents(db), audit: new PgAuditLog(db), escalations: new PgEscalationLog(db) };
  const writes = new WriteBehind({ writer: new PgDurableWriter(db, pg), backlog: new RedisWriteBacklog(redis, prefix), clock, notifier, log: log.child({ component: 'db-writes' }) });
  const records = new DeferredCallRecords(pg.records, writes);
  const audit = new DeferredAuditLog(pg.audit, writes, clock);
  const escalationLog = new DeferredEscalationLog(pg.escalations, writes);
  const queueEvents = new DeferredQueueEvents(pg.events, writes, (e) => {
    if (e.type === 'connect' && typeof e.data?.waitMs === 'number') metrics.waitSeconds.observe(e.data.waitMs / 1000);
  });
  await writes.start();
  const jobs = new BullmqJobs(bullRedis, prefix);
  const playbacks = new PlaybackOwners();
  const directory = new UserDirectory(roster, secrets.web);

  const calls = new CallService({ telephony, clock, calls: liveCalls, records, playbacks, log, legRoles: new Set(['counsellor', 'emergency', 'snoop', 'supervisor', 'colleague', 'dialback']) });
  let queue: QueueService | null = null;
  const counsellors = new CounsellorService({
    store, telephony, clock, events: queueEvents, notifier, settings: config.queue, log: log.child({ component: 'counsellors' }),
    onAvailable: () => queue?.onCounsellorAvailable(),
    onWithdrawOffer: (counsellorId, callId) => {
      const call = calls.getCall(callId);
      if (call?.offerId) void telephony.hangup(offerChannelId(call.offerId, counsellorId));
    },
  });
  queue = new QueueService({ telephony, store, counsellors, calls, liveCalls, records, events: queueEvents, notifier, jobs, clock, config, playbacks, log: log.child({ component: 'queue' }) });
  const ivr = new IvrService({
    telephony, config, clock, calls: liveCalls, records, playbacks, queue,
    schedule: (id, ms) => calls.schedule(id, ms), cancelSchedule: (id) => calls.cancelSchedule(id),
    transition: (call, event) => calls.transition(call, event),
  });
  const escalations = new EscalationService({
    telephony, calls, liveCalls, records, log: escalationLog, audit, notifier, clock, playbacks, queue, settings: config.escalation,
    routes: [settings.EMERGENCY_DIAL, settings.EMERGENCY_FALLBACK_DIAL].filter((r) => r.length > 0), defaultLanguage: config.defaultLanguage,
    hotlineNumber: hotlineNumber(config),
  });
  const supervision = new RedisSupervisionStore(redis, prefix);
  const monitors = new MonitorService({ telephony, calls, liveCalls, audit, roster: () => roster, store: supervision, hotlineNumber: hotlineNumber(config) });
  const alerts = new AlertLog(notifier, supervision);
  await alerts.load();
  const watchdog = new QueueWatchdog({ store, jobs, notifier, config, clock });
  const transfers = new TransferService({ telephony, calls, liveCalls, store, counsellors, audit, ringTimeoutMs: config.queue.ringTimeoutMs, hotlineNumber: hotlineNumber(config) });
  queue.promoteColleague = (call) => transfers.promoteColleague(call);
  const dialBacks = new DialBackService({
    telephony, calls, liveCalls, records, store, counsellors, jobs, audit, notifier, clock, playbacks, log: log.child({ component: 'dial-back' }),
    settings: {
      dialTemplate: settings.CALLBACK_DIAL, counsellorRingSec: Math.max(1, Math.round(config.queue.ringTimeoutMs / 1000)), callerRingSec: 40,
      defaultLanguage: config.defaultLanguage, hotlineNumber: hotlineNumber(config),
    },
  });
  // Dial-backs first: their resync frees counsellors the queue's resync would otherwise only half release.
  calls.use(ivr, [dialBacks, queue, escalations, monitors, transfers]);
  await counsellors.loadRoster(roster);
  const stopEvents = calls.start();
  const storeLoss = new StoreLossRecovery({
    watch: new RedisEpochWatch(redis, `${prefix}:epoch`),
    remembered: [{ name: 'counsellors and queue', store }, { name: 'channel links', store: liveCalls }, { name: 'sessions', store: sessions }],
    recoverCalls: async () => {
      await counsellors.loadRoster(roster);
      await calls.recoverLostStore();
    },
    notifier, log,
  });
  await storeLoss.start();
  telephony.onEvent((e) => {
    if (e.type === 'connection') notifier.publish({ type: 'pbx', connected: e.state === 'up' });
  });
  telephony.start();
  watchdog.start();
  const stopRetention = scheduleRecordingRetention(settings.HOTLINE_RECORDINGS_DIR, config.escalation.recordingRetentionDays, log);

  const ariUrl = new URL(settings.ARI_URL);
  const sipWsUrl = settings.SIP_WS_URL ?? `${ariUrl.protocol === 'https:' ? 'wss' : 'ws'}://${ariUrl.host}/ws`;
  // Failed sign-ins are counted in Redis, so every instance sees them.
  const signIn = new SignInService({
    directory, sessions, throttle: new RedisLoginThrottle(redis, prefix), audit,
    policy: signInPolicy({
      userMaxFailures: settings.SIGN_IN_MAX_FAILURES_USER, addressMaxFailures: settings.SIGN_IN_MAX_FAILURES_ADDRESS,
      windowMin: settings.SIGN_IN_WINDOW_MIN, lockMin: settings.SIGN_IN_LOCK_MIN,
    }),
  });
  const app = createHttpApp({
    sessions,
    log,
    connectSrc: [webSocketOrigin(sipWsUrl)],
    ...(settings.HTTP_TRUST_PROXY ? { trustProxy: settings.HTTP_TRUST_PROXY } : {}),
    staticDir: resolve(import.meta.dirname, '../web/dist'),
    routers: hotlineRouters({
      probes: [
        { name: 'ari', check: async () => telephony.connected && (await telephony.ping()) },
        { name: 'redis', check: async () => (await redis.ping()) === 'PONG' },
        // Calls go on without it (writes are deferred): degraded, not unready.
        { name: 'database', check: async () => (await db.query('SELECT 1')).rowCount === 1, optional: true },
      ],
      sessions, signIn, secureCookie: settings.HTTP_SECURE_COOKIE === 'always', notifier, metrics, clock, store, queueEvents, records, audit, escalationLog, jobs,
      calls, counsellors, queue, escalations, monitors, transfers, dialBacks, alerts,
      roster: () => roster,
      replaceRoster: async (next) => {
        roster = next;
        directory.replaceRoster(next);
        await counsellors.loadRoster(next);
        // New people's presence: their endpoints exist once the PBX config is re-rendered.
        await counsellors.subscribePresence().catch((err: unknown) => log.warn({ err }, 'presence subscription not updated'));
        writeFileSync(settings.HOTLINE_ROSTER, stringify(next));
      },
      sip: { passwords: secrets.sip, wsUrl: sipWsUrl, domain: new URL(sipWsUrl).hostname },
      settings: { timeZone: config.timezone, serviceLevelSeconds: config.queue.serviceLevelSeconds, wrapUpMs: config.queue.wrapUpMs },
    }),
  });
  // With an operator's certificate the pages are HTTPS: browsers give the microphone only to secure pages.
  const tls = settings.HTTP_TLS_CERT_FILE && settings.HTTP_TLS_KEY_FILE
    ? { cert: readFileSync(settings.HTTP_TLS_CERT_FILE), key: readFileSync(settings.HTTP_TLS_KEY_FILE) }
    : null;
  const server: Server = tls ? createTlsServer(tls, app) : createServer(app);
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(settings.HTTP_PORT, settings.HTTP_BIND, () => resolveListen());
  });
  log.info({ port: settings.HTTP_PORT, bind: settings.HTTP_BIND, tls: tls !== null }, tls ? 'HTTPS listening' : 'HTTP listening');

  return {
    server,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      stopEvents();
      storeLoss.stop();
      writes.stop();
      watchdog.stop();
      stopRetention();
      queue?.shutdown();
      escalations.shutdown();
      dialBacks.shutdown();
      await counsellors.shutdown();
      await calls.shutdown();
      await telephony.close();
      await jobs.close();
      redis.disconnect();
      bullRedis.disconnect();
      await db.end();
    },
  };
}
