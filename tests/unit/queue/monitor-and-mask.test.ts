import { describe, expect, it } from 'vitest';
import { maskNumber } from '../../../src/domain/calls/mask.ts';
import { planMonitor } from '../../../src/domain/monitoring/monitor-modes.ts';
import { queueScore } from '../../../src/adapters/redis/redis-queue-store.ts';
import { PRIORITY } from '../../../src/domain/calls/routing-request.ts';

describe('planMonitor', () => {
  it('listen hears both sides and says nothing', () => {
    expect(planMonitor('listen')).toEqual({ snoop: { spy: 'both', whisper: 'none' } });
  });
  it('whisper speaks only towards the counsellor', () => {
    expect(planMonitor('whisper')).toEqual({ snoop: { spy: 'both', whisper: 'out' } });
  });
  it('barge joins the call bridge without a snoop', () => {
    expect(planMonitor('barge')).toEqual({ snoop: null });
  });
});

describe('maskNumber', () => {
  it.each([
    ['13800138000', '138******00'], ['020123456', '020****56'], ['12345', '***45'], ['1234567', '*****67'], ['1234', '****'], ['', ''],
  ])('masks %s as %s', (n, masked) => {
    expect(maskNumber(n)).toBe(masked);
  });
});

describe('queueScore', () => {
  it('orders by priority first, then by entry time, exactly', () => {
    const t = Date.parse('2026-11-28T10:00:00Z');
    const emergencyLate = queueScore(PRIORITY.emergency, t + 60_000);
    const normalEarly = queueScore(PRIORITY.normal, t);
    const normalLater = queueScore(PRIORITY.normal, t + 1);
    expect(emergencyLate).toBeLessThan(normalEarly);
    expect(normalEarly).toBeLessThan(normalLater);
    expect(Number.isSafeInteger(normalLater)).toBe(true);
  });
});
