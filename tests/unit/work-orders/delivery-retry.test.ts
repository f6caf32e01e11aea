import { describe, expect, it } from 'vitest';
import { afterFailure, retryDelayMs } from '../../../src/domain/work-orders/delivery-retry.ts';

const policy = { baseMs: 1000, maxMs: 60_000, maxAttempts: 5 };

describe('outbox retry backoff', () => {
  it('doubles the wait after each failure, from the base, up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelayMs(n, policy))).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
    expect(retryDelayMs(0, policy)).toBe(0);
    expect(retryDelayMs(10_000, policy)).toBe(60_000);
  });

  it('retries at now + the wait until the last attempt, then sets the message aside', () => {
    const now = new Date('2026-03-10T02:00:00Z');
    expect(afterFailure(1, now, policy)).toEqual({ kind: 'retry', at: new Date('2026-03-10T02:00:01Z') });
    expect(afterFailure(4, now, policy)).toEqual({ kind: 'retry', at: new Date('2026-03-10T02:00:08Z') });
    expect(afterFailure(5, now, policy)).toEqual({ kind: 'dead' });
    expect(afterFailure(6, now, policy)).toEqual({ kind: 'dead' });
  });
});
