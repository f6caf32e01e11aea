/** Work orders (工单): what the dispatcher, the supervisor and the centre pages read and send. */
import type { CallerArea, CaseConsent } from '../domain/cases/case-form.ts';
import type { RiskGrade } from '../domain/cases/risk-grade.ts';
import type { DeadlineKind } from '../domain/work-orders/deadlines.ts';
import type { CentreCandidate } from '../domain/work-orders/centre-proposal.ts';
import type { ActiveDeadline, FollowUpOutcome, OrderStatus } from '../domain/work-orders/order-types.ts';
import type { StoredOrderEvent } from '../ports/work-orders.ts';

export type { ActiveDeadline, FollowUpOutcome, OrderRole, OrderStatus } from '../domain/work-orders/order-types.ts';
export type { CentreCandidate } from '../domain/work-orders/centre-proposal.ts';
export type { DeadlineKind } from '../domain/work-orders/deadlines.ts';

/** An order in lists: its machine state, flattened. */
export interface WorkOrderSummary {
  id: string;
  caseId: string;
  /** Send it back as `version` with an action to act only on what you saw (409 `order-changed` otherwise). */
  version: number;
  status: OrderStatus;
  grade: RiskGrade;
  centreId: string | null;
  centreName: string | null;
  proposedCentreId: string | null;
  /** Created by the system because of the grade. */
  automatic: boolean;
  /** The running deadline (accept while dispatched/reopened, reply while accepted/in progress), or null. */
  deadline: ActiveDeadline | null;
  /** Highest supervision level each deadline kind reached (督办 marks). */
  overdue: Record<DeadlineKind, 0 | 1 | 2>;
  returnedBy: string[];
  reopenCount: number;
  followUpAttempts: number;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** One entry of an order's history: who, when, from → to, why. */
export type WorkOrderEventView = StoredOrderEvent;

/** What a centre (or the dispatcher) needs to know of the case behind an order. */
export interface OrderCaseView {
  caseId: string;
  callId: string;
  categories: string[];
  grade: RiskGrade | null;
  summary: string | null;
  area: CallerArea | null;
  consent: CaseConsent | null;
  /** Masked, or null when withheld or erased; the full number only through reveal-number. */
  callerNumber: string | null;
  /** The caller consented to centre contact and the order is with the viewer's centre now: reveal-number will answer. */
  numberRevealable: boolean;
}

/** GET /api/work-orders/{orderId}, GET /api/centre/orders/{orderId}. */
export interface WorkOrderDetailResponse {
  order: WorkOrderSummary;
  case: OrderCaseView;
  events: WorkOrderEventView[];
  /** The system's centre proposal for this case, best first (for dispatch). */
  candidates: CentreCandidate[];
  /** The actions the viewer's role may take on the order in its state (the order machine's table). */
  allowedActions: Array<PlatformOrderAction['type'] | CentreOrderAction['type']>;
}

/** GET /api/work-orders, GET /api/centre/orders. */
export interface WorkOrderListResponse {
  orders: WorkOrderSummary[];
  /** The service's clock (UTC ISO): count deadlines down from this, not from the browser's clock. */
  now: string;
}

/** Answer of every action. */
export interface WorkOrderActionResponse {
  order: WorkOrderSummary;
}

/** POST /api/centre/orders/{orderId}/reveal-number (audited). */
export interface RevealOrderNumberResponse {
  callerNumber: string;
}

/** Actions of the platform's people (POST /api/work-orders/{orderId}/actions). */
export type PlatformOrderAction = { version?: number } & (
  | { type: 'dispatch'; centreId: string; reason?: string }
  | { type: 'redispatch'; centreId: string; reason: string }
  | { type: 'approve-reply' }
  | { type: 'send-back'; reason: string }
  | { type: 'record-follow-up'; outcome: FollowUpOutcome; note: string }
  | { type: 'close'; reason: string }
  | { type: 'reopen'; reason: string }
  | { type: 'discard'; reason: string }
);

/** Actions of a centre's staff (POST /api/centre/orders/{orderId}/actions). */
export type CentreOrderAction = { version?: number } & (
  | { type: 'accept' }
  | { type: 'progress'; note: string }
  | { type: 'reply'; result: string }
  | { type: 'return'; reason: string }
);

/** POST /api/cases/{caseId}/orders: an order asked for after the case was saved. */
export interface CreateOrderResponse {
  order: WorkOrderSummary;
  created: boolean;
}
