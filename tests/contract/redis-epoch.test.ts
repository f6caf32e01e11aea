import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redisDurabilityGaps } from '../../src/adapters/redis/redis-durability.ts';
import { RedisEpochWatch } from '../../src/adapters/redis/redis-epoch.ts';
import { profileRedisUrl } from '../../src/config/profiles.ts';

/** The loss watch against the project's real Redis: the epoch key vanishing or changing is reported once. */

let redis: Redis;
const watches: RedisEpochWatch[] = [];
const keys: string[] = [];

beforeAll(async () => {
  redis = new Redis(profileRedisUrl(), { maxRetriesPerRequest: 2 });
  await redis.ping();
});
afterEach(async () => {
  watches.splice(0).forEach((w) => w.stop());
  if (keys.length) await redis.del(...keys.splice(0));
});
afterAll(() => redis.disconnect());

async function watching(): Promise<{ key: string; watch: RedisEpochWatch; lost: string[] }> {
  const key = `contract-epoch-${randomBytes(6).toString('hex')}`;
  keys.push(key);
  const watch = new RedisEpochWatch(redis, key, 60_000);
  watches.push(watch);
  const lost: string[] = [];
  await watch.start((why) => lost.push(why));
  return { key, watch, lost };
}

describe('RedisEpochWatch', () => {
  it('writes an epoch at start and reports nothing while it stays', async () => {
    const { key, watch, lost } = await watching();
    expect(await redis.get(key)).toMatch(/^[0-9a-f-]{36}$/);
    await watch.check();
    await watch.check();
    expect(lost).toEqual([]);
  });

  it('reports a missing epoch once, writes a new one, and is quiet after', async () => {
    const { key, watch, lost } = await watching();
    const first = await redis.get(key);
    await redis.del(key);
    await Promise.all([watch.check(), watch.check()]);
    expect(lost).toEqual(['epoch key missing']);
    const second = await redis.get(key);
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
    await watch.check();
    expect(lost).toHaveLength(1);
  });

  it('reports an epoch another instance rewrote after a loss', async () => {
    const { key, watch, lost } = await watching();
    await redis.set(key, 'written-by-another-instance');
    await watch.check();
    expect(lost).toEqual(['epoch changed']);
  });

  it('lets a second watcher of the same key adopt the first one’s epoch at start', async () => {
    const a = await watching();
    const b = new RedisEpochWatch(redis, a.key, 60_000);
    watches.push(b);
    const lostB: string[] = [];
    await b.start((why) => lostB.push(why));
    await b.check();
    expect(lostB).toEqual([]);
  });
});

describe('the project Redis', () => {
  it('runs as a hotline needs: AOF, fsync every second, no eviction', async () => {
    expect(await redisDurabilityGaps(redis)).toEqual([]);
    const conf = (await redis.config('GET', 'appendfsync')) as string[];
    expect(conf[1]).toBe('everysec');
  });
});
