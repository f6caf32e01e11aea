import type { Redis } from 'ioredis';
import { BacklogFullError, type BacklogItem, type WriteBacklog } from '../../ports/deferred-writes.ts';

// Appends unless the list is full, in one step: two instances must not both slip past the cap.
const PUSH_BOUNDED = `
if redis.call('LLEN', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('RPUSH', KEYS[1], ARGV[1])
return 1`;

// Releases the flush lock only if it is still ours.
const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** The database write backlog as a Redis list (`<prefix>:db-backlog`), oldest at the head. */
export class RedisWriteBacklog implements WriteBacklog {
  private readonly key: string;

  constructor(private readonly redis: Redis, prefix: string, private readonly capacity = 100_000) {
    this.key = `${prefix}:db-backlog`;
    redis.defineCommand('hotlineBacklogPush', { numberOfKeys: 1, lua: PUSH_BOUNDED });
    redis.defineCommand('hotlineBacklogUnlock', { numberOfKeys: 1, lua: UNLOCK });
  }

  async push(item: BacklogItem): Promise<void> {
    const ok = await (this.redis as unknown as { hotlineBacklogPush: (k: string, v: string, cap: number) => Promise<number> })
      .hotlineBacklogPush(this.key, JSON.stringify(item), this.capacity);
    if (ok !== 1) throw new BacklogFullError(this.capacity);
  }
  async head(n: number): Promise<BacklogItem[]> {
    return (await this.redis.lrange(this.key, 0, n - 1)).map((raw) => JSON.parse(raw) as BacklogItem);
  }
  async dropHead(n: number): Promise<void> {
    await this.redis.ltrim(this.key, n, -1);
  }
  async deadLetter(item: BacklogItem, why: string): Promise<void> {
    await this.redis.rpush(`${this.key}:dead`, JSON.stringify({ ...item, why }));
  }
  length(): Promise<number> {
    return this.redis.llen(this.key);
  }
  async lockFlush(owner: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(`${this.key}:lock`, owner, 'PX', ttlMs, 'NX')) === 'OK';
  }
  async unlockFlush(owner: string): Promise<void> {
    await (this.redis as unknown as { hotlineBacklogUnlock: (k: string, v: string) => Promise<number> }).hotlineBacklogUnlock(`${this.key}:lock`, owner);
  }
}
