import { planDeadline } from '../../../src/domain/work-orders/deadlines.ts';
import { createOrder, handleOrderEvent, type OrderStep } from '../../../src/domain/work-orders/order-machine.ts';
import type { OrderActor, OrderCommand, OrderContext, OrderEvent, OrderStatus, WorkOrderState } from '../../../src/domain/work-orders/order-types.ts';
import { rules } from './deadline-rules-fixture.ts';

export const ctx: OrderContext = {
  planDeadline: (kind, grade, centreId, from) => planDeadline(rules, kind, grade, centreId, from),
  centreExists: (id) => ['gz', 'gz-tianhe', 'sz'].includes(id),
};

export const counsellor: OrderActor = { id: 'c1', role: 'counsellor' };
export const supervisor: OrderActor = { id: 's1', role: 'supervisor' };
export const admin: OrderActor = { id: 'a1', role: 'admin' };
export const system: OrderActor = { id: 'system', role: 'system' };
export const tianheStaff: OrderActor = { id: 'th1', role: 'centre', centreId: 'gz-tianhe' };
export const gzStaff: OrderActor = { id: 'gz1', role: 'centre', centreId: 'gz' };
export const szStaff: OrderActor = { id: 'sz1', role: 'centre', centreId: 'sz' };

/** Events without `at`; `run` stamps them an hour apart from a Monday morning. */
export type Ev = OrderEvent extends infer E ? (E extends OrderEvent ? Omit<E, 'at'> : never) : never;

export const START = Date.parse('2026-03-09T01:00:00Z');
export const atStep = (i: number) => new Date(START + (i + 1) * 3_600_000).toISOString();

export function draft(grade: 1 | 2 | 3 | 4 = 3, automatic = false): WorkOrderState {
  const step = createOrder({ grade, proposedCentreId: 'gz-tianhe', automatic, actor: automatic ? system : counsellor, at: new Date(START).toISOString() });
  if (!step.ok) throw step.error;
  return step.state;
}

export interface Run {
  state: WorkOrderState;
  steps: OrderStep[];
  commands: OrderCommand[][];
}

/** Applies events in order; a refused event leaves the state as it was (the service would answer an error). */
export function run(events: Ev[], from: WorkOrderState = draft()): Run {
  let state = from;
  const steps: OrderStep[] = [];
  const commands: OrderCommand[][] = [];
  events.forEach((e, i) => {
    const step = handleOrderEvent(state, { ...e, at: atStep(i) } as OrderEvent, ctx);
    steps.push(step);
    commands.push(step.ok ? step.commands : []);
    if (step.ok) state = step.state;
  });
  return { state, steps, commands };
}

/** Must succeed; returns the state. */
export function through(events: Ev[], from?: WorkOrderState): WorkOrderState {
  const r = run(events, from);
  r.steps.forEach((s, i) => {
    if (!s.ok) throw new Error(`step ${i} (${events[i]?.type}) refused: ${s.error.code}`);
  });
  return r.state;
}

/** The shortest way from a new draft to each status. */
export const PATH_TO: Record<OrderStatus, Ev[]> = (() => {
  const dispatched: Ev[] = [{ type: 'dispatch', centreId: 'gz-tianhe', actor: counsellor }];
  const accepted: Ev[] = [...dispatched, { type: 'accept', actor: tianheStaff }];
  const inProgress: Ev[] = [...accepted, { type: 'progress', note: '已联系学校社工', actor: tianheStaff }];
  const replied: Ev[] = [...inProgress, { type: 'reply', result: '已约谈并跟进', actor: tianheStaff }];
  const awaiting: Ev[] = [...replied, { type: 'approve-reply', actor: supervisor }];
  const closed: Ev[] = [...awaiting, { type: 'record-follow-up', outcome: 'resolved', note: '问题已解决', actor: supervisor }];
  return {
    draft: [],
    dispatched,
    accepted,
    'in-progress': inProgress,
    replied,
    'awaiting-follow-up': awaiting,
    closed,
    returned: [...dispatched, { type: 'return', reason: '不属本中心辖区', actor: tianheStaff }],
    reopened: [...closed, { type: 'reopen', reason: '来电者反映未解决', actor: supervisor }],
    discarded: [{ type: 'discard', reason: '误建', actor: counsellor }],
  };
})();
