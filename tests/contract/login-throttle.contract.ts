import { beforeEach, expect, it } from 'vitest';
import type { LoginThrottle, ThrottlePolicy } from '../../src/ports/login-throttle.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The LoginThrottle contract: failures count per key within a window, the one that reaches the
 * limit locks the key for a while, and clearing forgets both. Real time, short windows.
 */
export function loginThrottleContract(make: () => Promise<LoginThrottle>): void {
  let t: LoginThrottle;
  const policy: ThrottlePolicy = { maxFailures: 3, windowMs: 60_000, lockMs: 400 };
  beforeEach(async () => {
    t = await make();
  });

  it('locks a key on the failure that reaches the limit, and only that key', async () => {
    expect(await t.lockedFor('user:c1001')).toBe(0);
    expect(await t.recordFailure('user:c1001', policy)).toBe(0);
    expect(await t.recordFailure('user:c1001', policy)).toBe(0);
    expect(await t.lockedFor('user:c1001')).toBe(0);
    expect(await t.recordFailure('user:c1001', policy)).toBe(400);
    const left = await t.lockedFor('user:c1001');
    expect(left).toBeGreaterThan(200);
    expect(left).toBeLessThanOrEqual(400);
    expect(await t.lockedFor('user:c1002')).toBe(0);
    expect(await t.lockedFor('addr:127.0.0.1')).toBe(0);
  });

  it('answers the lock in force for a failure while locked', async () => {
    for (let i = 0; i < 3; i++) await t.recordFailure('addr:10.0.0.9', policy);
    const during = await t.recordFailure('addr:10.0.0.9', policy);
    expect(during).toBeGreaterThan(0);
    expect(during).toBeLessThanOrEqual(400);
  });

  it('lifts the lock once its time is up, with a fresh count', async () => {
    for (let i = 0; i < 3; i++) await t.recordFailure('user:s2001', policy);
    expect(await t.lockedFor('user:s2001')).toBeGreaterThan(0);
    await sleep(450);
    expect(await t.lockedFor('user:s2001')).toBe(0);
    expect(await t.recordFailure('user:s2001', policy), 'the count started again').toBe(0);
  });

  it('forgets failures outside the window', async () => {
    const short: ThrottlePolicy = { maxFailures: 2, windowMs: 200, lockMs: 10_000 };
    expect(await t.recordFailure('user:admin', short)).toBe(0);
    await sleep(260);
    expect(await t.recordFailure('user:admin', short), 'the first failure fell out of the window').toBe(0);
    expect(await t.recordFailure('user:admin', short)).toBe(10_000);
  });

  it('clear forgets the count and the lock of that key only', async () => {
    for (let i = 0; i < 3; i++) await t.recordFailure('user:c1001', policy);
    await t.recordFailure('user:c1002', policy);
    await t.recordFailure('user:c1002', policy);
    await t.clear('user:c1001');
    expect(await t.lockedFor('user:c1001')).toBe(0);
    expect(await t.recordFailure('user:c1002', policy), 'c1002 kept its count').toBe(400);
  });

  it('keeps keys with odd characters apart', async () => {
    for (let i = 0; i < 3; i++) await t.recordFailure('user:a:b', policy);
    expect(await t.lockedFor('user:a')).toBe(0);
    expect(await t.lockedFor('user:a:b')).toBeGreaterThan(0);
    expect(await t.lockedFor('addr:::1')).toBe(0);
  });
}
