import { Redis } from 'ioredis';

/**
 * One Redis connection for state and one for BullMQ (which needs maxRetriesPerRequest: null).
 * Both retry forever with a capped backoff: a Redis blip must not crash the service.
 */
export function connectRedis(url: string, forBullmq = false): Redis {
  return new Redis(url, {
    lazyConnect: false,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(times * 200, 3000),
    ...(forBullmq ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 3 }),
  });
}
