import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisLease } from '../../src/adapters/redis/redis-lease.ts';
import { profileRedisUrl } from '../../src/config/profiles.ts';

/** The cluster's lease on the PBX nodes against the project's real Redis: one holder, takeover on release or expiry. */

let redis: Redis;
const log = pino({ level: 'silent' });
beforeAll(async () => {
  redis = new Redis(profileRedisUrl(), { maxRetriesPerRequest: 2 });
  await redis.ping();
});
afterAll(() => redis.disconnect());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('RedisLease', () => {
  it('lets one instance hold it; the other takes it when released, and the first cannot renew it back', async () => {
    const key = `contract-lease-${randomBytes(6).toString('hex')}`;
    const a = new RedisLease(redis, key, 'a', 1500, log);
    const b = new RedisLease(redis, key, 'b', 1500, log);
    await a.acquire();
    const lostA: string[] = [];
    a.keep(() => lostA.push('a'));
    let bHolds = false;
    const bWaits = b.acquire().then(() => (bHolds = true));
    await sleep(2500); // longer than the lease: renewals keep it with a
    expect(bHolds).toBe(false);
    expect(await redis.get(key)).toBe('a');
    await a.release();
    await bWaits;
    expect(await redis.get(key)).toBe('b');
    expect(lostA).toEqual([]);
    await b.release();
    expect(await redis.get(key)).toBeNull();
  });

  it('tells the holder at once when the lease was taken from it', async () => {
    const key = `contract-lease-${randomBytes(6).toString('hex')}`;
    const a = new RedisLease(redis, key, 'a', 1200, log);
    await a.acquire();
    const lost: string[] = [];
    a.keep(() => lost.push('lost'));
    await redis.set(key, 'someone-else', 'PX', 5000);
    await sleep(900);
    expect(lost).toEqual(['lost']);
    // Releasing what is no longer ours leaves the other holder's lease alone.
    await a.release();
    expect(await redis.get(key)).toBe('someone-else');
    await redis.del(key);
  });
});
