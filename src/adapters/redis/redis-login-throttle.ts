import type { Redis } from 'ioredis';
import type { LoginThrottle, ThrottlePolicy } from '../../ports/login-throttle.ts';

// One script, so that two instances counting the same key at once cannot both miss the limit.
// KEYS: failure count, lock. ARGV: maxFailures, windowMs, lockMs. Returns the lock's ms (0: none).
const RECORD_FAILURE = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if n >= tonumber(ARGV[1]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  redis.call('DEL', KEYS[1])
  return tonumber(ARGV[3])
end
local left = redis.call('PTTL', KEYS[2])
if left > 0 then return left end
return 0
`;

/** Failed sign-ins in Redis: a counter with the window as its TTL, and a lock key with the lockout's. */
export class RedisLoginThrottle implements LoginThrottle {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  private keys(key: string): [string, string] {
    const k = encodeURIComponent(key);
    return [`${this.prefix}:login-failures:${k}`, `${this.prefix}:login-lock:${k}`];
  }

  async lockedFor(key: string): Promise<number> {
    const ms = await this.redis.pttl(this.keys(key)[1]);
    return ms > 0 ? ms : 0;
  }

  async recordFailure(key: string, policy: ThrottlePolicy): Promise<number> {
    const [count, lock] = this.keys(key);
    const ms = await this.redis.eval(RECORD_FAILURE, 2, count, lock, policy.maxFailures, policy.windowMs, policy.lockMs);
    return Number(ms);
  }

  async clear(key: string): Promise<void> {
    await this.redis.del(...this.keys(key));
  }
}
