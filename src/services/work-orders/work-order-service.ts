/**
 * Runs the work-order machine (domain/work-orders) through the store: people's actions (dispatch,
 * accept, reply, return, follow-up, …) and the system's timer events. Each change is decided on
 * the order as stored, written with its event and outbox rows in one transaction (the store),
 * then audited and published live. Who may see an order: supervisors and admins all of them,
 * centre staff their own centre's (another centre's is 404), counsellors those of their own cases.
 */
import type { Logger } from 'pino';
import type { CentresConfig } from '../../config/centres-config.ts';
import { centreProfiles } from '../../config/work-order-setup.ts';
import { proposeCentre } from '../../domain/work-orders/centre-proposal.ts';
import { createOrder, handleOrderEvent } from '../../domain/work-orders/order-machine.ts';
import { allowedOrderActions, FINAL_STATUSES } from '../../domain/work-orders/order-rules.ts';
import type { OrderActor, OrderContext, OrderEvent, OrderEventRecord, OrderStatus } from '../../domain/work-orders/order-types.ts';
import { maskNumber } from '../../domain/calls/mask.ts';
import { AuthError, ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import type { AuditLog, Principal } from '../../ports/auth.ts';
import type { CaseRecord, CaseStore } from '../../ports/cases.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Notifier } from '../../ports/notifier.ts';
import type { WorkOrderRecord, WorkOrderStore } from '../../ports/work-orders.ts';
import type {
  CentreOrderAction, OrderCaseView, PlatformOrderAction, WorkOrderDetailResponse, WorkOrderSummary,
} from '../../wire/work-orders.ts';
import { centreNamer, orderSummary } from '../cases/case-views.ts';

export interface WorkOrderServiceDeps {
  orders: WorkOrderStore;
  cases: CaseStore;
  audit: AuditLog;
  notifier: Notifier;
  clock: Clock;
  context: OrderContext;
  centres: CentresConfig;
  log: Logger;
  newId: () => string;
}

/** Timer events the deadline worker sends (催办, 督办, second level). */
export type SystemOrderEvent = Extract<OrderEvent, { type: 'deadline-reminder' | 'deadline-missed' | 'second-level-supervision' }>;

/** What a follow-up call's outcome does to an order (see domain/follow-ups/follow-up-outcome.ts). */
export type FollowUpOrderEvent =
  | { type: 'record-follow-up'; outcome: Extract<OrderEvent, { type: 'record-follow-up' }>['outcome']; note: string }
  | { type: 'reopen'; reason: string };

/** Where the centre works the order with the caller: only then may it see the number (with consent). */
const CONTACT_STATUSES: readonly OrderStatus[] = ['accepted', 'in-progress'];
/** Tries of a change whose order moved under it meanwhile (another person acted first). */
const MAX_TRIES = 3;

export class WorkOrderService {
  private readonly nameOf: (id: string | null) => string | null;
  private readonly profiles;

  constructor(private readonly d: WorkOrderServiceDeps) {
    this.nameOf = centreNamer(d.centres);
    this.profiles = centreProfiles(d.centres);
  }

  /** The service's clock, for countdowns on the pages. */
  now(): string {
    return this.d.clock.now().toISOString();
  }

  summary(order: WorkOrderRecord): WorkOrderSummary {
    return orderSummary(order, this.nameOf);
  }

  /** An order created (with its case, by the case service, or here): audited and published. */
  async created(order: WorkOrderRecord, record: OrderEventRecord, callId: string | null): Promise<void> {
    await this.changed(order, record, callId);
  }

  /** A person asks for an order on a saved case (the grade did not require one, or it was discarded). */
  async createForCase(caseId: string, who: Principal): Promise<{ order: WorkOrderSummary; created: boolean }> {
    const c = await this.d.cases.get(caseId);
    if (!c || (who.role === 'counsellor' && c.counsellorId !== who.userId)) throw new NotFoundError('case-not-found', `no case ${caseId}`);
    if (c.status !== 'saved') throw new ValidationError('the case is a draft: save it first (an order is created with it when needed)');
    const open = (await this.d.orders.listByCase(caseId)).find((o) => !FINAL_STATUSES.includes(o.state.status));
    if (open) return { order: this.summary(open), created: false };
    const at = this.d.clock.now().toISOString();
    const step = createOrder({
      grade: c.grade ?? 4, proposedCentreId: proposeCentre(this.profiles, c.area, c.categories).centreId, automatic: false, actor: actorOf(who), at,
    });
    if (!step.ok) throw step.error;
    if (!step.record) throw new Error('createOrder returned no record');
    const order = await this.d.orders.create({ id: this.d.newId(), caseId, state: step.state, record: step.record, commands: step.commands }, at);
    await this.created(order, step.record, c.callId);
    return { order: this.summary(order), created: true };
  }

  /** An action of a person; refused actions throw the machine's typed error. */
  async act(orderId: string, who: Principal, action: PlatformOrderAction | CentreOrderAction): Promise<WorkOrderSummary> {
    const { version, ...rest } = action;
    for (let attempt = 1; ; attempt++) {
      const { order, c } = await this.visible(orderId, who);
      if (version !== undefined && version !== order.version) {
        throw new ConflictError('order-changed', `work order ${orderId} is at version ${order.version}, not ${version}`);
      }
      const event = { ...rest, actor: actorOf(who), at: this.d.clock.now().toISOString() } as OrderEvent;
      try {
        const next = await this.step(order, event, c.callId);
        return this.summary(next);
      } catch (err) {
        // Someone acted between our read and write: decide again on what is stored now, unless
        // the person named the version they saw (then they should see the change first).
        if (!(err instanceof ConflictError && err.code === 'order-changed') || version !== undefined || attempt >= MAX_TRIES) throw err;
      }
    }
  }

  /**
   * A timer event (from the deadline worker): applied when it still matches the order's running
   * deadline; a stale one changes nothing (`changed: false`). Unknown orders: NotFoundError.
   */
  async applySystemEvent(orderId: string, event: Omit<SystemOrderEvent, 'actor' | 'at'> & { at?: string }): Promise<{ order: WorkOrderSummary; changed: boolean }> {
    for (let attempt = 1; ; attempt++) {
      const order = await this.d.orders.get(orderId);
      if (!order) throw new NotFoundError('order-not-found', `no work order ${orderId}`);
      const c = await this.d.cases.get(order.caseId);
      const full = { ...event, actor: { id: 'system', role: 'system' }, at: event.at ?? this.d.clock.now().toISOString() } as SystemOrderEvent;
      try {
        const next = await this.step(order, full, c?.callId ?? null);
        return { order: this.summary(next), changed: next.version !== order.version };
      } catch (err) {
        if (!(err instanceof ConflictError && err.code === 'order-changed') || attempt >= MAX_TRIES) throw err;
      }
    }
  }

  /**
   * The outcome of a follow-up call (回访) the service made, as the system: `record-follow-up`
   * (closes, reopens or counts an unreachable try) or `reopen` of a closed order (重新办理).
   */
  async applyFollowUp(orderId: string, event: FollowUpOrderEvent): Promise<WorkOrderSummary> {
    for (let attempt = 1; ; attempt++) {
      const order = await this.d.orders.get(orderId);
      if (!order) throw new NotFoundError('order-not-found', `no work order ${orderId}`);
      const c = await this.d.cases.get(order.caseId);
      const full = { ...event, actor: { id: 'system', role: 'system' }, at: this.d.clock.now().toISOString() } as OrderEvent;
      try {
        return this.summary(await this.step(order, full, c?.callId ?? null));
      } catch (err) {
        if (!(err instanceof ConflictError && err.code === 'order-changed') || attempt >= MAX_TRIES) throw err;
      }
    }
  }

  /** A new order for a case whose young person needs more help (a follow-up call found it), as the system. */
  async openForFollowUp(caseId: string): Promise<WorkOrderSummary> {
    const c = await this.d.cases.get(caseId);
    if (!c) throw new NotFoundError('case-not-found', `no case ${caseId}`);
    const at = this.d.clock.now().toISOString();
    const step = createOrder({
      grade: c.grade ?? 4, proposedCentreId: proposeCentre(this.profiles, c.area, c.categories).centreId, automatic: true, actor: { id: 'system', role: 'system' }, at,
    });
    if (!step.ok) throw step.error;
    if (!step.record) throw new Error('createOrder returned no record');
    const order = await this.d.orders.create({ id: this.d.newId(), caseId, state: step.state, record: step.record, commands: step.commands }, at);
    await this.created(order, step.record, c.callId);
    return this.summary(order);
  }

  async detail(orderId: string, who: Principal): Promise<WorkOrderDetailResponse> {
    const { order, c } = await this.visible(orderId, who);
    return {
      order: this.summary(order),
      case: this.caseFor(order, c, who),
      events: await this.d.orders.events(orderId),
      candidates: proposeCentre(this.profiles, c.area, c.categories).candidates,
      allowedActions: allowedOrderActions(order.state.status, who.role) as WorkOrderDetailResponse['allowedActions'],
    };
  }

  /** Supervisors and admins: any centre; centre staff: their own; counsellors: not here (their case's orders come with the case). */
  async list(who: Principal, query: { statuses?: OrderStatus[]; centreId?: string; limit: number }): Promise<WorkOrderSummary[]> {
    const centreId = who.role === 'centre' ? who.centreId : query.centreId;
    if (who.role === 'centre' && !centreId) return [];
    // A centre does not see drafts (not yet sent to anyone).
    const statuses = who.role === 'centre' ? (query.statuses ?? ORDER_STATUSES_FOR_CENTRES).filter((s) => s !== 'draft') : query.statuses;
    const orders = await this.d.orders.list({ ...(centreId ? { centreId } : {}), ...(statuses ? { statuses } : {}), limit: query.limit });
    return orders.map((o) => this.summary(o));
  }

  async ordersOfCase(caseId: string): Promise<WorkOrderSummary[]> {
    return (await this.d.orders.listByCase(caseId)).map((o) => this.summary(o));
  }

  /**
   * The caller's full number for a centre that works the order now, when the caller consented to
   * centre contact. Audited before it leaves; refused (403) otherwise.
   */
  async revealNumber(orderId: string, who: Principal): Promise<string> {
    const { order, c } = await this.visible(orderId, who);
    if (!this.revealable(order, c, who) || !c.callerNumber) {
      throw new AuthError('forbidden', 'the number is shown only for an order your centre is working on, when the caller agreed to be contacted');
    }
    await this.d.audit.append({ actor: who.userId, role: who.role, action: 'centre-reveal-number', callId: c.callId, target: orderId, data: { centreId: who.centreId } });
    return c.callerNumber;
  }

  private revealable(order: WorkOrderRecord, c: CaseRecord, who: Principal): boolean {
    return who.role === 'centre' && order.state.centreId === who.centreId && CONTACT_STATUSES.includes(order.state.status)
      && c.consent?.centreContact === true && c.callerNumber !== null && c.callerNumber !== '';
  }

  private caseFor(order: WorkOrderRecord, c: CaseRecord, who: Principal): OrderCaseView {
    const contact = c.consent?.centreContact === true;
    return {
      caseId: c.id, callId: c.callId, categories: [...c.categories], grade: c.grade, summary: c.summary, area: c.area, consent: c.consent,
      // Centre staff see even the masked number only where the caller agreed to their contact.
      callerNumber: c.callerNumber && (who.role !== 'centre' || contact) ? maskNumber(c.callerNumber) : null,
      numberRevealable: this.revealable(order, c, who),
    };
  }

  /** The order and its case, if `who` may see it; otherwise 404 (never telling another centre's order exists). */
  private async visible(orderId: string, who: Principal): Promise<{ order: WorkOrderRecord; c: CaseRecord }> {
    const order = await this.d.orders.get(orderId);
    const c = order ? await this.d.cases.get(order.caseId) : null;
    const missing = () => new NotFoundError('order-not-found', `no work order ${orderId}`);
    if (!order || !c) throw missing();
    if (who.role === 'centre' && (order.state.centreId !== who.centreId || order.state.status === 'draft')) throw missing();
    if (who.role === 'counsellor' && c.counsellorId !== who.userId) throw missing();
    return { order, c };
  }

  private async step(order: WorkOrderRecord, event: OrderEvent, callId: string | null): Promise<WorkOrderRecord> {
    const step = handleOrderEvent(order.state, event, this.d.context);
    if (!step.ok) throw step.error;
    if (!step.record) return order; // a stale timer: nothing changes
    const next = await this.d.orders.apply(order.id, order.version, { state: step.state, record: step.record, commands: step.commands }, event.at);
    await this.changed(next, step.record, callId);
    return next;
  }

  /** Who, when, why: the audit log (without the free text, which is erased with the case) and the live dashboard. */
  private async changed(order: WorkOrderRecord, record: OrderEventRecord, callId: string | null): Promise<void> {
    const s = order.state;
    this.d.notifier.publish({ type: 'work-order', orderId: order.id, caseId: order.caseId, change: record.type, status: s.status, centreId: s.centreId, grade: s.grade });
    try {
      await this.d.audit.append({
        actor: record.actorId, role: record.actorRole === 'system' ? 'system' : record.actorRole, action: `order-${record.type}`,
        ...(callId ? { callId } : {}), target: order.id,
        data: { from: record.from, to: record.to, centreId: s.centreId, ...(record.text ? { withText: true } : {}), ...pick(record.data) },
      });
    } catch (err) {
      // The change and its history are stored already (work_order_events); the audit copy is logged if it fails.
      this.d.log.error({ err, orderId: order.id, type: record.type }, 'work-order audit entry not written');
    }
  }
}

const ORDER_STATUSES_FOR_CENTRES: OrderStatus[] = ['dispatched', 'accepted', 'in-progress', 'replied', 'awaiting-follow-up', 'closed', 'returned', 'reopened'];

/** The machine's data without free text (centre ids, outcomes, deadline kinds). */
function pick(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['centreId', 'outcome', 'kind', 'dueAt', 'grade', 'proposedCentreId', 'automatic']) if (k in data) out[k] = data[k];
  return out;
}

export function actorOf(who: Principal): OrderActor {
  return { id: who.userId, role: who.role, ...(who.centreId ? { centreId: who.centreId } : {}) };
}
