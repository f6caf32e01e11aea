/** Cases and orders for the store contracts, made with the real domain so that they are realistic. */
import type { CaseForm } from '../../src/domain/cases/case-form.ts';
import { createOrder, handleOrderEvent } from '../../src/domain/work-orders/order-machine.ts';
import type { OrderContext, OrderEvent, WorkOrderState } from '../../src/domain/work-orders/order-types.ts';
import type { CaseSubmission } from '../../src/ports/cases.ts';
import type { NewWorkOrder, WorkOrderChange, WorkOrderRecord } from '../../src/ports/work-orders.ts';

export const orderCtx: OrderContext = {
  planDeadline: (kind, grade, _centreId, from) => {
    const hours = (kind === 'accept' ? 1 : 24) * grade;
    const due = new Date(from.getTime() + hours * 3_600_000);
    return { kind, dueAt: due.toISOString(), remindAt: new Date(due.getTime() - 600_000).toISOString(), secondLevelAt: new Date(due.getTime() + 3_600_000).toISOString() };
  },
  centreExists: () => true,
};

export const form = (patch: Partial<CaseForm> = {}): CaseForm => ({
  categories: ['legal/bullying', 'mental-health/anxiety'], grade: 2, summary: '在校遭受言语攻击，情绪低落',
  area: { city: '广州市', county: '天河区' }, consent: { followUpCall: true, centreContact: true }, orderRequested: true, ...patch,
});

/** A new order as the machine creates it (with its commands). */
export function newOrder(id: string, at: string, grade: 1 | 2 | 3 | 4 = 2, automatic = true): Omit<NewWorkOrder, 'caseId'> {
  const step = createOrder({ grade, proposedCentreId: 'gz-tianhe', automatic, actor: automatic ? { id: 'system', role: 'system' } : { id: 'c1', role: 'counsellor' }, at });
  if (!step.ok || !step.record) throw new Error('createOrder refused');
  return { id, state: step.state, record: step.record, commands: step.commands };
}

/** The machine's step for `event` on a stored order, ready for `apply`. */
export function change(order: WorkOrderRecord | WorkOrderState, event: OrderEvent): WorkOrderChange {
  const state = 'state' in order ? order.state : order;
  const step = handleOrderEvent(state, event, orderCtx);
  if (!step.ok) throw step.error;
  if (!step.record) throw new Error('no change');
  return { state: step.state, record: step.record, commands: step.commands };
}

export const counselled = (callId: string, at: string, patch: Partial<CaseSubmission> = {}): CaseSubmission => ({
  idempotencyKey: `key-${callId}`, id: `case-${callId}`, callId, kind: 'counselled', counsellorId: 'c1', form: form(),
  facts: { escalated: false, emergencyKey: true }, callerKey: 'k'.repeat(64), callerNumber: '13800138000', at, order: null,
  ...patch,
} as CaseSubmission);
