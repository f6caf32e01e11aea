/**
 * Live events the service publishes (src/ports/notifier.ts) and the pages receive over
 * server-sent events (`data:` lines of GET /api/events).
 */
import type { RiskGrade } from '../domain/cases/risk-grade.ts';
import type { EscalationStatus } from '../domain/escalation/escalation-machine.ts';
import type { OrderEventType, OrderStatus } from '../domain/work-orders/order-types.ts';

export type Severity = 'warning' | 'critical';

export type HotlineEvent =
  | { type: 'queue-changed' }
  | { type: 'counsellor-changed'; counsellorId: string }
  | { type: 'call-changed'; callId: string }
  | { type: 'offer'; callId: string; counsellorId: string }
  | { type: 'escalation'; callId: string; escalationId: string; state: EscalationStatus }
  | { type: 'alert'; severity: Severity; code: string; message: string; callId?: string }
  | { type: 'pbx'; connected: boolean }
  /**
   * A work order changed (created, dispatched, returned, overdue, …): the dashboard refreshes its
   * lists; `change` is the machine's event (`deadline-missed` / `second-level-supervision`: 督办).
   */
  | { type: 'work-order'; orderId: string; caseId: string; change: OrderEventType | 'create'; status: OrderStatus; centreId: string | null; grade: RiskGrade }
  /**
   * A follow-up call (回访) changed: `ringing` reaches the counsellor's console while their phone
   * rings, before the person is dialled (the console shows the case); `connected`; `not-reached`
   * (the person did not answer); `given-back` (the counsellor did not answer: tried again later);
   * `recorded`.
   */
  | { type: 'follow-up'; followUpId: string; caseId: string; counsellorId: string | null; change: 'ringing' | 'connected' | 'not-reached' | 'given-back' | 'recorded' };
