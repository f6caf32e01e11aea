import { describe, expect, it } from 'vitest';
import { backoffMs, SIP_BACKOFF } from '../../../web/src/console/backoff.ts';

describe('backoffMs', () => {
  const mid = () => 0.5;
  it('doubles from one second up to ten', () => {
    expect([1, 2, 3, 4, 5, 6, 50].map((n) => backoffMs(n, SIP_BACKOFF, mid))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
  });
  it('follows other settings', () => {
    expect(backoffMs(6, { baseMs: 1000, maxMs: 30_000, jitter: 0 })).toBe(30_000);
    expect(backoffMs(5, { baseMs: 1000, maxMs: 30_000, jitter: 0 })).toBe(16_000);
  });
  it('spreads by the jitter fraction and never exceeds the cap', () => {
    expect(backoffMs(1, SIP_BACKOFF, () => 0)).toBe(800);
    expect(backoffMs(1, SIP_BACKOFF, () => 1)).toBe(1200);
    expect(backoffMs(10, SIP_BACKOFF, () => 1)).toBe(10_000);
    expect(backoffMs(10, SIP_BACKOFF, () => 0)).toBe(8000);
  });
  it('treats a bad attempt number as the first', () => {
    expect(backoffMs(0, SIP_BACKOFF, mid)).toBe(1000);
    expect(backoffMs(-3, SIP_BACKOFF, mid)).toBe(1000);
  });
});
