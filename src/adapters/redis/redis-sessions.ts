import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Principal, Sessions } from '../../ports/auth.ts';

/** Sign-in sessions in Redis with a sliding time-to-live. */
export class RedisSessions implements Sessions {
  constructor(private readonly redis: Redis, private readonly prefix: string, private readonly ttlSec = 12 * 3600) {}

  async create(principal: Principal): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.redis.set(`${this.prefix}:session:${token}`, JSON.stringify(principal), 'EX', this.ttlSec);
    return token;
  }
  async get(token: string): Promise<Principal | null> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
    const key = `${this.prefix}:session:${token}`;
    const raw = await this.redis.get(key);
    if (!raw) return null;
    await this.redis.expire(key, this.ttlSec);
    return JSON.parse(raw) as Principal;
  }
  async destroy(token: string): Promise<void> {
    await this.redis.del(`${this.prefix}:session:${token}`);
  }
  async restoreSession(token: string, principal: Principal): Promise<void> {
    // NX: a session the store still has (or got back meanwhile) is left as it is.
    await this.redis.set(`${this.prefix}:session:${token}`, JSON.stringify(principal), 'EX', this.ttlSec, 'NX');
  }
}
