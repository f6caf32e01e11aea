/**
 * Who may send which event, and in which states it applies. One table, so that the machine, the
 * tests and (later) the pages agree on what a role can do.
 */
import type { OrderEventType, OrderRole, OrderStatus } from './order-types.ts';

export interface EventRule {
  from: readonly OrderStatus[];
  roles: readonly OrderRole[];
}

const PEOPLE_WHO_DISPATCH: readonly OrderRole[] = ['counsellor', 'supervisor'];
const SUPERVISORS: readonly OrderRole[] = ['supervisor'];
const CENTRE: readonly OrderRole[] = ['centre'];
const SYSTEM: readonly OrderRole[] = ['system'];
const SUPERVISORS_AND_SYSTEM: readonly OrderRole[] = ['supervisor', 'system'];
const ALL_STATUSES: readonly OrderStatus[] = [
  'draft', 'dispatched', 'accepted', 'in-progress', 'replied', 'awaiting-follow-up', 'closed', 'returned', 'reopened', 'discarded',
];

export const EVENT_RULES: Record<OrderEventType, EventRule> = {
  dispatch: { from: ['draft'], roles: PEOPLE_WHO_DISPATCH },
  redispatch: { from: ['returned', 'dispatched', 'reopened'], roles: SUPERVISORS },
  accept: { from: ['dispatched', 'reopened'], roles: CENTRE },
  progress: { from: ['accepted', 'in-progress'], roles: CENTRE },
  reply: { from: ['accepted', 'in-progress'], roles: CENTRE },
  return: { from: ['dispatched', 'reopened', 'accepted'], roles: CENTRE },
  'approve-reply': { from: ['replied'], roles: SUPERVISORS },
  'send-back': { from: ['replied'], roles: SUPERVISORS },
  // The system too: the outcome of a follow-up call the service made (回访), recorded by its counsellor.
  'record-follow-up': { from: ['awaiting-follow-up'], roles: SUPERVISORS_AND_SYSTEM },
  close: { from: ['awaiting-follow-up'], roles: SUPERVISORS },
  reopen: { from: ['awaiting-follow-up', 'closed'], roles: SUPERVISORS_AND_SYSTEM },
  discard: { from: ['draft'], roles: PEOPLE_WHO_DISPATCH },
  // Timers may fire in any state; one that no longer matches the order's deadline changes nothing.
  'deadline-reminder': { from: ALL_STATUSES, roles: SYSTEM },
  'deadline-missed': { from: ALL_STATUSES, roles: SYSTEM },
  'second-level-supervision': { from: ALL_STATUSES, roles: SYSTEM },
};

/** Roles that may create an order: people from a case, the system for grades that require one. */
export const CREATOR_ROLES: readonly OrderRole[] = ['counsellor', 'supervisor', 'system'];

/** States in which the order runs against a deadline, and which one. */
export const DEADLINE_OF_STATUS: Partial<Record<OrderStatus, 'accept' | 'reply'>> = {
  dispatched: 'accept',
  reopened: 'accept',
  accepted: 'reply',
  'in-progress': 'reply',
};

export const FINAL_STATUSES: readonly OrderStatus[] = ['closed', 'discarded'];

/** Events people send (timers are the system's alone). */
const PEOPLE_EVENTS = (Object.keys(EVENT_RULES) as OrderEventType[]).filter((t) => EVENT_RULES[t].roles.some((r) => r !== 'system'));

/** What `role` may do to an order in `status`, in table order: the buttons a page offers. */
export function allowedOrderActions(status: OrderStatus, role: OrderRole): OrderEventType[] {
  return PEOPLE_EVENTS.filter((t) => EVENT_RULES[t].from.includes(status) && EVENT_RULES[t].roles.includes(role));
}
