import { describe, expect, test } from 'vitest';
import { NotFoundError } from '../../../src/errors.ts';
import { ServiceOrderSystemEvents } from '../../../src/services/work-orders/service-system-events.ts';

const firing = { orderId: 'o1', type: 'deadline-missed' as const, kind: 'accept' as const, dueAt: '2026-12-07T02:00:00.000Z' };
const noDeadlines = { runningDeadlines: async () => [] };

describe('timer events through the work-order service', () => {
  test('sends the event as a system event and reports whether it changed the order', async () => {
    const seen: unknown[] = [];
    const changed = new ServiceOrderSystemEvents({ applySystemEvent: async (id, e) => (seen.push([id, e]), { order: {} as never, changed: true }) }, noDeadlines);
    expect(await changed.applyTimer(firing)).toBe('applied');
    expect(seen).toEqual([['o1', { type: 'deadline-missed', kind: 'accept', dueAt: firing.dueAt }]]);
    const stale = new ServiceOrderSystemEvents({ applySystemEvent: async () => ({ order: {} as never, changed: false }) }, noDeadlines);
    expect(await stale.applyTimer(firing)).toBe('unchanged');
  });

  test('an order that is gone is not-found; any other failure is thrown for the job to retry', async () => {
    const gone = new ServiceOrderSystemEvents({ applySystemEvent: async () => { throw new NotFoundError('order-not-found', 'x'); } }, noDeadlines);
    expect(await gone.applyTimer(firing)).toBe('not-found');
    const broken = new ServiceOrderSystemEvents({ applySystemEvent: async () => { throw new Error('db down'); } }, noDeadlines);
    await expect(broken.applyTimer(firing)).rejects.toThrow('db down');
  });

  test('the running deadlines come from the store side', async () => {
    const d = [{ orderId: 'o2', deadline: {} as never }];
    expect(await new ServiceOrderSystemEvents({ applySystemEvent: async () => ({ order: {} as never, changed: false }) }, { runningDeadlines: async () => d }).runningDeadlines()).toBe(d);
  });
});
