import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createHttpApp } from '../../src/adapters/http/app.ts';
import { hotlineRouters } from '../../src/adapters/http/hotline-routers.ts';
import { HotlineMetrics } from '../../src/adapters/http/routes/metrics-routes.ts';
import type { Roster } from '../../src/config/roster.ts';
import type { Principal, Role } from '../../src/ports/auth.ts';
import { UserDirectory } from '../../src/services/auth/directory.ts';
import { SignInService } from '../../src/services/auth/sign-in.ts';
import { MemoryLoginThrottle } from './memory-login-throttle.ts';
import { AlertLog } from '../../src/services/monitoring/alert-log.ts';
import type { TestHotline } from './hotline-harness.ts';
import { join } from 'node:path';
import { analyticsContext, analyticsLabels } from '../../src/config/analytics-setup.ts';
import { loadCasesConfig } from '../../src/config/cases-config.ts';
import { loadCentresConfig } from '../../src/config/centres-config.ts';
import { AnalyticsService } from '../../src/services/analytics/analytics-service.ts';
import { EmptyAnalytics } from './memory-analytics.ts';

const CONFIG = join(import.meta.dirname, '../../config');
const cases = loadCasesConfig(join(CONFIG, 'cases.yaml'));
const centres = loadCentresConfig(join(CONFIG, 'centres.yaml'), cases);

/** Who signs in as each role over the harness's roster (admin is not on it: staff only). */
const PEOPLE: Record<Role, Principal> = {
  counsellor: { userId: 'c1', name: '陈老师', role: 'counsellor', team: 'gz', level: 'city' },
  supervisor: { userId: 's1', name: '王督导', role: 'supervisor', team: 'gz', level: 'province' },
  admin: { userId: 'a1', name: 'Admin', role: 'admin', team: 'gz', level: 'province' },
  centre: { userId: 'gz-tianhe-01', name: '天河区12355青少年服务站', role: 'centre', team: 'gz-tianhe', level: 'county', centreId: 'gz-tianhe' },
};

/**
 * The HTTP API as src/app.ts builds it (createHttpApp + hotlineRouters), over a test hotline's
 * services, listening on an ephemeral loopback port; with a session token per role.
 */
export async function startTestHttp(h: TestHotline) {
  let roster: Roster = h.roster;
  const directory = new UserDirectory(roster, {});
  const signIn = new SignInService({ directory, sessions: h.sessions, throttle: new MemoryLoginThrottle(h.clock), audit: h.audit });
  const log = pino({ level: process.env.HOTLINE_TEST_LOG ?? 'silent' });
  const app = createHttpApp({
    sessions: h.sessions,
    log,
    routers: hotlineRouters({
      probes: [{ name: 'ari', check: async () => true }, { name: 'redis', check: async () => true }],
      sessions: h.sessions, signIn, secureCookie: false, notifier: h.notifier, metrics: new HotlineMetrics(h.store, { ari: () => true, redis: () => true }, h.notifier),
      clock: h.clock, store: h.store, queueEvents: h.queueEvents, records: h.records, audit: h.audit, escalationLog: h.escalationLog, jobs: h.jobs,
      satisfaction: h.stores.records,
      calls: h.calls, counsellors: h.counsellors, queue: h.queue, escalations: h.escalations, monitors: h.monitors, transfers: h.transfers,
      dialBacks: h.dialBacks, alerts: new AlertLog(h.notifier, h.stores.supervision),
      analytics: new AnalyticsService({
        analytics: new EmptyAnalytics(), clock: h.clock, serviceLevelSeconds: h.config.queue.serviceLevelSeconds, refreshEveryMs: 0,
        labels: () => analyticsLabels(h.config, cases, centres, roster), context: () => analyticsContext(h.config, roster),
      }),
      roster: () => roster,
      replaceRoster: async (next) => {
        roster = next;
        directory.replaceRoster(next);
        await h.counsellors.loadRoster(next);
      },
      sip: { passwords: {}, wsUrl: 'ws://127.0.0.1:18088/ws', domain: '127.0.0.1' },
      settings: { timeZone: h.config.timezone, serviceLevelSeconds: h.config.queue.serviceLevelSeconds, wrapUpMs: h.config.queue.wrapUpMs },
      afterCall: h.afterCall,
      followUps: h.followUps,
    }),
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const tokens = Object.fromEntries(await Promise.all(Object.entries(PEOPLE).map(async ([role, p]) => [role, await h.sessions.create(p)]))) as Record<Role, string>;
  return {
    async renew(role: Role): Promise<void> {
      tokens[role] = await h.sessions.create(PEOPLE[role]);
    },
    url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    tokens,
    roster: () => roster,
    async close(): Promise<void> {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
