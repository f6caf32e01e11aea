import type { Clock } from '../../src/ports/clock.ts';
import { systemClock } from '../../src/ports/clock.ts';
import type { LoginThrottle, ThrottlePolicy } from '../../src/ports/login-throttle.ts';

/** Failed sign-ins in memory, with the Redis adapter's windows and locks, timed by a Clock. */
export class MemoryLoginThrottle implements LoginThrottle {
  private readonly failures = new Map<string, { count: number; until: number }>();
  private readonly locks = new Map<string, number>();

  constructor(private readonly clock: Clock = systemClock) {}

  private now(): number {
    return this.clock.now().getTime();
  }

  async lockedFor(key: string): Promise<number> {
    return Math.max(0, (this.locks.get(key) ?? 0) - this.now());
  }

  async recordFailure(key: string, policy: ThrottlePolicy): Promise<number> {
    const now = this.now();
    const current = this.failures.get(key);
    const window = current && current.until > now ? current : { count: 0, until: now + policy.windowMs };
    window.count += 1;
    if (window.count >= policy.maxFailures) {
      this.failures.delete(key);
      this.locks.set(key, now + policy.lockMs);
      return policy.lockMs;
    }
    this.failures.set(key, window);
    return this.lockedFor(key);
  }

  async clear(key: string): Promise<void> {
    this.failures.delete(key);
    this.locks.delete(key);
  }
}
