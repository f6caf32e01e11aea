import type { Redis } from 'ioredis';
import type { CounsellorSnapshot } from '../../domain/routing/types.ts';
import type { QueuedCaller, QueueStore } from '../../ports/queue-store.ts';

// Claims a caller and every counsellor it will ring, all or nothing.
const CLAIM = `
for i = 1, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then return 0 end
end
for i = 1, #KEYS do
  redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2])
end
return 1`;

// Releases a claim only if it is still ours.
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const CLAIM_TTL_MS = 6 * 3600 * 1000;

/**
 * Sort key: higher priority first, then the original entry time. Priorities are clamped to
 * 0..200 so the key stays below 2^53 and keeps millisecond precision.
 */
export function queueScore(priority: number, enqueuedAt: number): number {
  const p = Math.max(0, Math.min(200, Math.round(priority)));
  return (200 - p) * 1e13 + enqueuedAt;
}

export class RedisQueueStore implements QueueStore {
  constructor(private readonly redis: Redis, private readonly prefix: string) {
    redis.defineCommand('hotlineClaim', { lua: CLAIM });
    redis.defineCommand('hotlineRelease', { numberOfKeys: 1, lua: RELEASE });
  }

  private k(...parts: string[]) {
    return [this.prefix, ...parts].join(':');
  }

  async putCaller(c: QueuedCaller): Promise<void> {
    await this.redis
      .multi()
      .set(this.k('q', 'caller', c.callId), JSON.stringify(c))
      .zadd(this.k('q', 'order'), queueScore(c.priority, c.enqueuedAt), c.callId)
      .exec();
  }
  async getCaller(callId: string): Promise<QueuedCaller | null> {
    const raw = await this.redis.get(this.k('q', 'caller', callId));
    return raw ? (JSON.parse(raw) as QueuedCaller) : null;
  }
  async removeCaller(callId: string): Promise<void> {
    await this.redis.multi().del(this.k('q', 'caller', callId)).zrem(this.k('q', 'order'), callId).exec();
  }
  async listCallers(): Promise<QueuedCaller[]> {
    const ids = await this.redis.zrange(this.k('q', 'order'), 0, -1);
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => this.k('q', 'caller', id)));
    return raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as QueuedCaller);
  }
  async putCounsellor(s: CounsellorSnapshot): Promise<void> {
    await this.redis.multi().set(this.k('agent', s.id), JSON.stringify(s)).sadd(this.k('agents'), s.id).exec();
  }
  async getCounsellor(id: string): Promise<CounsellorSnapshot | null> {
    const raw = await this.redis.get(this.k('agent', id));
    return raw ? (JSON.parse(raw) as CounsellorSnapshot) : null;
  }
  async listCounsellors(): Promise<CounsellorSnapshot[]> {
    const ids = await this.redis.smembers(this.k('agents'));
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => this.k('agent', id)));
    return raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as CounsellorSnapshot);
  }
  async removeCounsellor(id: string): Promise<void> {
    await this.redis.multi().del(this.k('agent', id)).srem(this.k('agents'), id).exec();
  }
  async claim(callId: string, counsellorIds: string[], token: string): Promise<boolean> {
    const keys = [this.k('claim', 'caller', callId), ...counsellorIds.map((id) => this.k('claim', 'agent', id))];
    const r = await (this.redis as unknown as { hotlineClaim: (n: number, ...a: Array<string | number>) => Promise<number> })
      .hotlineClaim(keys.length, ...keys, token, CLAIM_TTL_MS);
    return r === 1;
  }
  async releaseCaller(callId: string, token: string): Promise<void> {
    await this.release(this.k('claim', 'caller', callId), token);
  }
  async releaseCounsellor(counsellorId: string, token: string): Promise<void> {
    await this.release(this.k('claim', 'agent', counsellorId), token);
  }
  async claimOf(counsellorId: string): Promise<string | null> {
    return this.redis.get(this.k('claim', 'agent', counsellorId));
  }
  private async release(key: string, token: string): Promise<void> {
    await (this.redis as unknown as { hotlineRelease: (k: string, t: string) => Promise<number> }).hotlineRelease(key, token);
  }
}
