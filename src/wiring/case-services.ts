/**
 * The after-call services (cases, work orders), built from their stores and the call services
 * they hang on: the router's `call-ended` event opens each call's case, and saving a form ends
 * the counsellor's wrap-up. src/app.ts passes the PostgreSQL stores, the test harness memory ones.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { loadCasesConfig } from '../config/cases-config.ts';
import { loadCentresConfig } from '../config/centres-config.ts';
import type { HotlineConfig } from '../config/hotline-config.ts';
import { orderContext } from '../config/work-order-setup.ts';
import { MIN_CALLER_KEY_SECRET_LENGTH } from '../domain/cases/caller-key.ts';
import type { AuditLog } from '../ports/auth.ts';
import type { CallRecords } from '../ports/call-records.ts';
import type { CaseStore } from '../ports/cases.ts';
import type { Clock } from '../ports/clock.ts';
import type { LiveCalls } from '../ports/live-calls.ts';
import type { Notifier } from '../ports/notifier.ts';
import type { PersonalDataEraser } from '../ports/personal-data.ts';
import type { WorkOrderStore } from '../ports/work-orders.ts';
import type { CentreStaffAccount } from '../services/auth/directory.ts';
import { CaseService, type CaseSetup } from '../services/cases/case-service.ts';
import type { CallService } from '../services/calls/call-service.ts';
import type { CounsellorService } from '../services/queue/counsellor-service.ts';
import { WorkOrderService } from '../services/work-orders/work-order-service.ts';

export interface CasePorts {
  cases: CaseStore;
  orders: WorkOrderStore;
  /** Erasure of personal data (also what the retention job uses, with CaseStore.eraseExpired). */
  personalData: PersonalDataEraser;
  clock: Clock;
  notifier: Notifier;
  log: Logger;
  /** From the call services (wireCallServices): the same deferred audit log, records and live calls. */
  calls: Pick<CallService, 'events'>;
  counsellors: Pick<CounsellorService, 'get' | 'apply'>;
  records: CallRecords;
  liveCalls: LiveCalls;
  audit: AuditLog;
}

/** Reads config/cases.yaml and config/centres.yaml (validated against each other) and the caller-key secret. */
export function loadCaseSetup(paths: { cases: string; centres: string }, hotline: HotlineConfig, callerKeySecret: string | null | undefined): CaseSetup {
  const cases = loadCasesConfig(paths.cases);
  const centres = loadCentresConfig(paths.centres, cases);
  if (callerKeySecret && callerKeySecret.length < MIN_CALLER_KEY_SECRET_LENGTH) {
    throw new Error(`HOTLINE_CALLER_KEY_SECRET must be at least ${MIN_CALLER_KEY_SECRET_LENGTH} characters`);
  }
  const emergencyTarget = hotline.targets[hotline.ivr.emergency.target];
  return { cases, centres, callerKeySecret: callerKeySecret || null, emergencyNeed: emergencyTarget?.need ?? null };
}

/** Centre staff accounts (role `centre`) from the centre directory, for the sign-in directory. */
export function centreStaffAccounts(setup: CaseSetup): CentreStaffAccount[] {
  return setup.centres.centres.flatMap((c) => c.staff.map((userId) => ({ userId, centreId: c.id, centreName: c.name, level: c.level })));
}

export function wireCaseServices(ports: CasePorts, setup: CaseSetup) {
  const newId = () => randomUUID();
  const workOrders = new WorkOrderService({
    orders: ports.orders, cases: ports.cases, audit: ports.audit, notifier: ports.notifier, clock: ports.clock,
    context: orderContext(setup.cases, setup.centres), centres: setup.centres, log: ports.log.child({ component: 'work-orders' }), newId,
  });
  const cases = new CaseService({
    cases: ports.cases, orders: workOrders, records: ports.records, liveCalls: ports.liveCalls, eraser: ports.personalData, audit: ports.audit, clock: ports.clock, setup,
    log: ports.log.child({ component: 'cases' }), newId,
    // Saving the form ends wrap-up (it lasts until the form is saved or its time runs out).
    // Only the wrap-up of that call: a form of an earlier call saved late does not cut a later wrap-up short.
    endWrapUp: async (counsellorId, callId) => {
      const s = await ports.counsellors.get(counsellorId);
      if (s?.status === 'wrap-up' && s.callId === callId) await ports.counsellors.apply(counsellorId, { type: 'resume' }, true);
    },
  });
  ports.calls.events.on('call-ended', ({ call, outcome }) => cases.callEnded(call, outcome));
  // The stores go out too: the outbox worker, the deadline timers and the retention job use them.
  return { cases, workOrders, personalData: ports.personalData, caseStore: ports.cases, orderStore: ports.orders };
}

export type CaseServices = ReturnType<typeof wireCaseServices>;
