import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { readSecrets } from './adapters/asterisk/secrets.ts';
import { createHttpApp } from './adapters/http/app.ts';
import { hotlineRouters } from './adapters/http/hotline-routers.ts';
import { HotlineMetrics } from './adapters/http/routes/metrics-routes.ts';
import { PgEscalationLog } from './adapters/storage/pg-escalation-log.ts';
import { AlertLog } from './services/monitoring/alert-log.ts';
import { QueueWatchdog } from './services/queue/queue-watchdog.ts';
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
import { ensureDatabase, openDatabase } from './adapters/storage/database.ts';
import { PgAuditLog } from './adapters/storage/pg-audit-log.ts';
import { PgCallRecords } from './adapters/storage/pg-call-records.ts';
import { PgQueueEvents } from './adapters/storage/pg-queue-events.ts';
import { PgDurableWriter } from './adapters/storage/pg-durable-writer.ts';
import { RedisWriteBacklog } from './adapters/redis/redis-write-backlog.ts';
import { wireCallServices } from './wiring/call-services.ts';
import { wireAnalytics } from './wiring/analytics.ts';
import { createTelephony, takeClusterLease } from './wiring/telephony.ts';
import { startOrderDelivery } from './wiring/order-delivery.ts';
import { startFollowUps } from './wiring/follow-ups.ts';
import { ServiceOrderSystemEvents } from './services/work-orders/service-system-events.ts';
import { centreStaffAccounts, loadCaseSetup, wireCaseServices } from './wiring/case-services.ts';
import { PgCaseStore } from './adapters/storage/pg-case-store.ts';
import { PgWorkOrderStore } from './adapters/storage/pg-work-order-store.ts';
import { PgPersonalData } from './adapters/storage/pg-personal-data.ts';
import { loadHotlineConfig } from './config/hotline-config.ts';
import { loadRoster, type Roster } from './config/roster.ts';
import { buildAreaTable, checkRosterTeams } from './config/area-config.ts';
import { readChinaGeocodes } from './adapters/phone-areas/phone-area-data.ts';
import { ValidationError } from './errors.ts';
import { queuePolicy } from './config/queue-config.ts';
import type { Settings } from './config/settings.ts';
import type { Logger } from './logger.ts';
import { clockStartingAt, systemClock } from './ports/clock.ts';
import { InProcessNotifier } from './ports/notifier.ts';
import { UserDirectory } from './services/auth/directory.ts';
import { SignInService, signInPolicy } from './services/auth/sign-in.ts';

const SESSION_TTL_SEC = 12 * 3600;

export interface RunningHotline {
  server: Server;
  stop(): Promise<void>;
}

/** The composition root: config → adapters → services → HTTP. Everything is built here, once. */
export async function startHotline(settings: Settings, log: Logger): Promise<RunningHotline> {
  const config = loadHotlineConfig(settings.HOTLINE_CONFIG, settings.HOTLINE_SOUNDS_DIR);
  let roster: Roster = loadRoster(settings.HOTLINE_ROSTER);
  checkRosterTeams(config.areas, [...roster.counsellors, ...roster.staff], settings.HOTLINE_ROSTER);
  // Mobile numbers' home areas: the data set is read once here (about 130,000 prefixes, a second).
  const areas = buildAreaTable(config, config.areas.mobileDataSet ? readChinaGeocodes() : []);
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

  // Cluster: the standby waits here until the instance driving the nodes stops or its lease expires.
  const lease = await takeClusterLease(settings, redis, log);
  const telephony = createTelephony(settings, log);
  const notifier = new InProcessNotifier();
  const redisQueue = new RedisQueueStore(redis, prefix);
  // Reads the queue only; the services write it through the wiring's remembering wrapper.
  const metrics = new HotlineMetrics(redisQueue, { ari: () => telephony.connected, redis: () => redis.status === 'ready' }, notifier);
  const jobs = new BullmqJobs(bullRedis, prefix);
  const directory = new UserDirectory(roster, secrets.web);
  // Cases and work orders: the centre directory's staff sign in as role `centre`.
  const caseSetup = loadCaseSetup(
    { cases: settings.HOTLINE_CASES_CONFIG, centres: settings.HOTLINE_CENTRES_CONFIG }, config, settings.HOTLINE_CALLER_KEY_SECRET ?? secrets.callerKeySecret,
  );
  if (!caseSetup.callerKeySecret) log.warn('no caller-key secret (HOTLINE_CALLER_KEY_SECRET or the secrets file): repeat callers are not linked');
  directory.setCentreStaff(centreStaffAccounts(caseSetup));
  const supervision = new RedisSupervisionStore(redis, prefix);
  const pg = { records: new PgCallRecords(db), events: new PgQueueEvents(db), audit: new PgAuditLog(db), escalations: new PgEscalationLog(db) };
  const services = await wireCallServices({
    telephony, clock, notifier, log, jobs, roster: () => roster,
    redis: {
      liveCalls: new RedisLiveCalls(redis, prefix), queue: redisQueue, sessions: new RedisSessions(redis, prefix, SESSION_TTL_SEC),
      lossWatch: new RedisEpochWatch(redis, `${prefix}:epoch`), supervision,
    },
    database: { writer: new PgDurableWriter(db, pg), backlog: new RedisWriteBacklog(redis, prefix), ...pg },
  }, config, {
    emergencyRoutes: [settings.EMERGENCY_DIAL, settings.EMERGENCY_FALLBACK_DIAL].filter((r) => r.length > 0),
    callbackDial: settings.CALLBACK_DIAL,
    sessionTtlMs: SESSION_TTL_SEC * 1000,
    areas,
    observeQueueEvent: (e) => {
      if (e.type === 'connect' && typeof e.data?.waitMs === 'number') metrics.waitSeconds.observe(e.data.waitMs / 1000);
    },
  });
  const { calls, queue, counsellors, escalations, monitors, transfers, dialBacks, records, audit, escalationLog, queueEvents, store, sessions } = services;
  const analytics = wireAnalytics({
    databaseUrl: settings.DATABASE_URL, config, roster: () => roster, clock, casesConfig: settings.HOTLINE_CASES_CONFIG, centresConfig: settings.HOTLINE_CENTRES_CONFIG,
  });
  const afterCall = wireCaseServices({
    cases: new PgCaseStore(db), orders: new PgWorkOrderStore(db), personalData: new PgPersonalData(db), clock, notifier, log, calls, counsellors, records, liveCalls: services.liveCalls, audit,
  }, caseSetup);
  const alerts = new AlertLog(notifier, supervision);
  await alerts.load();
  const watchdog = new QueueWatchdog({ store, jobs, notifier, config, clock });
  telephony.onEvent((e) => {
    if (e.type === 'connection') notifier.publish({ type: 'pbx', connected: e.state === 'up' });
  });
  telephony.start();
  watchdog.start();
  const stopRetention = scheduleRecordingRetention(settings.HOTLINE_RECORDINGS_DIR, config.escalation.recordingRetentionDays, log);
  // Work orders: outbox delivery to centres, deadline timers, retention (src/wiring/order-delivery.ts).
  const orderDelivery = await startOrderDelivery({
    settings, db, bullRedis, notifier, clock, log: log.child({ component: 'work-orders' }), audit: pg.audit,
    systemEvents: (onStore) => new ServiceOrderSystemEvents(afterCall.workOrders, onStore),
  });

  // Follow-up calls (回访): planned from saved cases, dialled through the dial-back path (src/wiring/follow-ups.ts).
  const followUps = await startFollowUps({
    config, db, bullRedis, redisPrefix: prefix, cases: afterCall.caseStore, records, queue: store, counsellors, dialBacks,
    workOrders: afterCall.workOrders, notifier, audit: pg.audit, clock, log,
  });

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
      satisfaction: pg.records,
      calls, counsellors, queue, escalations, monitors, transfers, dialBacks, alerts, analytics: analytics.analytics,
      roster: () => roster,
      replaceRoster: async (next) => {
        // A team no area lists would make its counsellors local to nobody: refused like any bad input.
        try {
          checkRosterTeams(config.areas, [...next.counsellors, ...next.staff]);
        } catch (err) {
          throw new ValidationError((err as Error).message);
        }
        roster = next;
        directory.replaceRoster(next);
        await counsellors.loadRoster(next);
        // New people's presence: their endpoints exist once the PBX config is re-rendered.
        await counsellors.subscribePresence().catch((err: unknown) => log.warn({ err }, 'presence subscription not updated'));
        writeFileSync(settings.HOTLINE_ROSTER, stringify(next));
      },
      sip: { passwords: secrets.sip, wsUrl: sipWsUrl, domain: new URL(sipWsUrl).hostname },
      settings: {
        timeZone: config.timezone, serviceLevelSeconds: config.queue.serviceLevelSeconds, wrapUpMs: config.queue.wrapUpMs,
        policy: queuePolicy(config.queue), teamNames: Object.fromEntries(Object.entries(config.areas.teams).map(([id, t]) => [id, t.name])),
      },
      afterCall,
      followUps: followUps.service,
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
      watchdog.stop();
      stopRetention();
      await followUps.stop();
      await orderDelivery.stop();
      await services.stop();
      await telephony.close();
      await lease?.release();
      await jobs.close();
      redis.disconnect();
      bullRedis.disconnect();
      await analytics.close();
      await db.end();
    },
  };
}
