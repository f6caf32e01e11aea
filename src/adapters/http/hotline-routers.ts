import type { Router } from 'express';
import type { Roster } from '../../config/roster.ts';
import type { AuditLog, Sessions } from '../../ports/auth.ts';
import type { CallRecords } from '../../ports/call-records.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EscalationLog } from '../../ports/escalation-log.ts';
import type { Jobs } from '../../ports/jobs.ts';
import type { Notifier } from '../../ports/notifier.ts';
import type { QueueEventLog } from '../../ports/queue-events.ts';
import type { QueueStore } from '../../ports/queue-store.ts';
import type { SignInService } from '../../services/auth/sign-in.ts';
import type { DialBackService } from '../../services/callbacks/dial-back-service.ts';
import type { CallService } from '../../services/calls/call-service.ts';
import type { EscalationService } from '../../services/escalation/escalation-service.ts';
import type { AlertLog } from '../../services/monitoring/alert-log.ts';
import type { MonitorService } from '../../services/monitoring/monitor-service.ts';
import type { CounsellorService } from '../../services/queue/counsellor-service.ts';
import type { QueueService } from '../../services/queue/queue-service.ts';
import type { TransferService } from '../../services/transfer/transfer-service.ts';
import type { ActiveEscalation } from '../../wire/calls.ts';
import type { AnalyticsService } from '../../services/analytics/analytics-service.ts';
import { analyticsRoutes } from './routes/analytics-routes.ts';
import type { CaseService } from '../../services/cases/case-service.ts';
import type { WorkOrderService } from '../../services/work-orders/work-order-service.ts';
import { authRoutes } from './routes/auth-routes.ts';
import { followUpRoutes } from './routes/follow-up-routes.ts';
import type { FollowUpService } from '../../services/follow-ups/follow-up-service.ts';
import { caseRoutes } from './routes/case-routes.ts';
import { centreRoutes } from './routes/centre-routes.ts';
import { workOrderRoutes } from './routes/work-order-routes.ts';
import { callbackRoutes } from './routes/callback-routes.ts';
import { callRoutes } from './routes/call-routes.ts';
import { counsellorRoutes } from './routes/counsellor-routes.ts';
import { eventsRoutes } from './routes/events-routes.ts';
import { healthRoutes, type ReadinessProbe } from './routes/health-routes.ts';
import type { HotlineMetrics } from './routes/metrics-routes.ts';
import { queueRoutes, startOfDay } from './routes/queue-routes.ts';
import { rosterRoutes } from './routes/roster-routes.ts';
import { supervisionRoutes } from './routes/supervision-routes.ts';
import { satisfactionRoutes } from './routes/satisfaction-routes.ts';
import type { SatisfactionStats } from '../../ports/call-records.ts';
import type { QueuePolicy } from '../../domain/routing/types.ts';

/** Without the queue's policy, the board shows no widening. */
const NO_WIDENING: QueuePolicy = { strategy: 'longest-idle', wideningMs: { province: Infinity, any: Infinity } };

/** What the HTTP routes need from the running service. */
export interface HotlineRouterDeps {
  probes: ReadinessProbe[];
  sessions: Sessions;
  signIn: SignInService;
  /** The session cookie is Secure on every answer, not only those over TLS (HTTP_SECURE_COOKIE=always). */
  secureCookie: boolean;
  notifier: Notifier;
  metrics: HotlineMetrics;
  clock: Clock;
  store: QueueStore;
  queueEvents: QueueEventLog;
  records: CallRecords;
  /** Survey answers per counsellor (read straight from the database: a page may fail, a call may not). */
  satisfaction: SatisfactionStats;
  audit: AuditLog;
  escalationLog: EscalationLog;
  jobs: Jobs;
  calls: CallService;
  counsellors: CounsellorService;
  queue: QueueService;
  escalations: EscalationService;
  monitors: MonitorService;
  transfers: TransferService;
  dialBacks: DialBackService;
  alerts: AlertLog;
  analytics: AnalyticsService;
  roster: () => Roster;
  replaceRoster: (next: Roster) => Promise<void>;
  sip: { passwords: Record<string, string>; wsUrl: string; domain: string };
  settings: { timeZone: string; serviceLevelSeconds: number; wrapUpMs: number; policy?: QueuePolicy; teamNames?: Record<string, string> };
  /** Cases and work orders (src/wiring/case-services.ts). */
  afterCall: { cases: CaseService; workOrders: WorkOrderService };
  /** Follow-up calls (回访), src/wiring/follow-ups.ts. */
  followUps: FollowUpService;
}

/**
 * Every router of the API, in the order they are mounted. src/app.ts and the HTTP tests both
 * build them here, so the tested surface is the served one.
 */
export function hotlineRouters(d: HotlineRouterDeps): Router[] {
  const escalationOf = (callId: string): ActiveEscalation | null => {
    const e = d.escalations.activeFor(callId);
    return e ? { id: e.id, state: e.status, startedAt: e.startedAt, connectedAt: e.connectedAt } : null;
  };
  return [
    healthRoutes(d.probes),
    authRoutes({ sessions: d.sessions, signIn: d.signIn, secureCookie: d.secureCookie }),
    counsellorRoutes({
      counsellors: d.counsellors, calls: d.calls, audit: d.audit, roster: d.roster, sipPasswords: d.sip.passwords,
      sipWsUrl: d.sip.wsUrl, sipDomain: d.sip.domain, wrapUpMs: d.settings.wrapUpMs, escalationOf,
      transferOf: (callId) => d.transfers.activeFor(callId),
    }),
    queueRoutes({
      store: d.store, events: d.queueEvents, queue: d.queue, calls: d.calls, audit: d.audit, clock: d.clock,
      timeZone: d.settings.timeZone, serviceLevelSeconds: d.settings.serviceLevelSeconds, escalationOf,
      policy: d.settings.policy ?? NO_WIDENING, teamNames: d.settings.teamNames ?? {},
      // Today is the calendar day in the hotline's time zone, like the queue's figures (not the last 24 hours).
      escalationsToday: () => d.escalationLog.countSince(startOfDay(d.clock.now(), d.settings.timeZone)),
    }),
    // After queueRoutes: /api/calls/active must win over /api/calls/:callId.
    callRoutes(d.records, d.audit),
    eventsRoutes(d.notifier),
    supervisionRoutes({
      calls: d.calls, escalations: d.escalations, escalationLog: d.escalationLog, monitors: d.monitors, audit: d.audit, alerts: d.alerts, transfers: d.transfers,
    }),
    satisfactionRoutes({ stats: d.satisfaction, clock: d.clock }),
    callbackRoutes({ jobs: d.jobs, audit: d.audit, dialBacks: d.dialBacks }),
    d.metrics.routes(),
    rosterRoutes({ roster: d.roster, audit: d.audit, replace: d.replaceRoster }),
    caseRoutes({ get cases() { return d.afterCall.cases; }, get workOrders() { return d.afterCall.workOrders; } }),
    workOrderRoutes({ get workOrders() { return d.afterCall.workOrders; } }),
    centreRoutes({ get workOrders() { return d.afterCall.workOrders; } }),
    analyticsRoutes({ analytics: d.analytics, audit: d.audit }),
    followUpRoutes({ get followUps() { return d.followUps; } }),
  ];
}
