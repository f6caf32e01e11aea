/** Cases and orders as the API shows them: numbers masked, caller keys never leave the service. */
import { maskNumber } from '../../domain/calls/mask.ts';
import type { CentresConfig } from '../../config/centres-config.ts';
import type { CaseRecord } from '../../ports/cases.ts';
import type { WorkOrderRecord } from '../../ports/work-orders.ts';
import type { CaseView } from '../../wire/cases.ts';
import type { WorkOrderSummary } from '../../wire/work-orders.ts';

const masked = (n: string | null): string | null => (n ? maskNumber(n) : null);

export function caseView(c: CaseRecord): CaseView {
  return {
    id: c.id, callId: c.callId, kind: c.kind, status: c.status, counsellorId: c.counsellorId, unansweredReason: c.unansweredReason,
    categories: [...c.categories], grade: c.grade, summary: c.summary, area: c.area, consent: c.consent, orderRequested: c.orderRequested,
    facts: { ...c.facts }, callerNumber: masked(c.callerNumber), createdAt: c.createdAt, updatedAt: c.updatedAt, savedAt: c.savedAt, erasedAt: c.erasedAt,
  };
}

/** Names centres by id (the directory in config/centres.yaml). */
export function centreNamer(centres: CentresConfig): (id: string | null) => string | null {
  const names = new Map(centres.centres.map((c) => [c.id, c.name]));
  return (id) => (id === null ? null : (names.get(id) ?? id));
}

export function orderSummary(o: WorkOrderRecord, nameOf: (id: string | null) => string | null): WorkOrderSummary {
  const s = o.state;
  return {
    id: o.id, caseId: o.caseId, version: o.version, status: s.status, grade: s.grade, centreId: s.centreId, centreName: nameOf(s.centreId),
    proposedCentreId: s.proposedCentreId, automatic: s.automatic, deadline: s.deadline, overdue: { ...s.overdue }, returnedBy: [...s.returnedBy],
    reopenCount: s.reopenCount, followUpAttempts: s.followUpAttempts, closedAt: s.closedAt, createdAt: o.createdAt, updatedAt: o.updatedAt,
  };
}
