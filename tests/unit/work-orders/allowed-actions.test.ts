import { describe, expect, test } from 'vitest';
import { allowedOrderActions, EVENT_RULES } from '../../../src/domain/work-orders/order-rules.ts';
import { ORDER_STATUSES, type OrderRole } from '../../../src/domain/work-orders/order-types.ts';

describe('the actions a page offers', () => {
  test('the loop, role by role', () => {
    expect(allowedOrderActions('draft', 'counsellor')).toEqual(['dispatch', 'discard']);
    expect(allowedOrderActions('dispatched', 'centre')).toEqual(['accept', 'return']);
    expect(allowedOrderActions('accepted', 'centre')).toEqual(['progress', 'reply', 'return']);
    expect(allowedOrderActions('replied', 'supervisor')).toEqual(['approve-reply', 'send-back']);
    expect(allowedOrderActions('awaiting-follow-up', 'supervisor')).toEqual(['record-follow-up', 'close', 'reopen']);
    expect(allowedOrderActions('awaiting-follow-up', 'counsellor')).toEqual([]);
    expect(allowedOrderActions('closed', 'centre')).toEqual([]);
  });

  test('exactly the machine table, never a timer event, for every status and role', () => {
    const roles: OrderRole[] = ['counsellor', 'supervisor', 'admin', 'centre', 'system'];
    for (const status of ORDER_STATUSES) {
      for (const role of roles) {
        for (const a of allowedOrderActions(status, role)) {
          expect(EVENT_RULES[a].from).toContain(status);
          expect(EVENT_RULES[a].roles).toContain(role);
          // Timer events are the system's alone; record-follow-up and reopen are people's and the system's (回访).
          expect(EVENT_RULES[a].roles.some((r) => r !== 'system')).toBe(true);
        }
      }
    }
    expect(allowedOrderActions('dispatched', 'system')).toEqual([]);
    expect(allowedOrderActions('awaiting-follow-up', 'system')).toEqual(['record-follow-up', 'reopen']);
  });
});
