import type { Redis } from 'ioredis';

/**
 * How far this Redis is from what a hotline needs: AOF with fsync every second (a restart keeps
 * waiting callers, sessions and callback jobs) and no eviction (BullMQ and the queue must never
 * lose keys to memory pressure). Empty when it is right; null when CONFIG is not allowed here.
 */
export async function redisDurabilityGaps(redis: Redis): Promise<string[] | null> {
  let pairs: string[];
  try {
    pairs = (await redis.config('GET', 'appendonly', 'appendfsync', 'maxmemory-policy')) as string[];
  } catch {
    return null;
  }
  const conf = new Map<string, string>();
  for (let i = 0; i + 1 < pairs.length; i += 2) conf.set(pairs[i]!, pairs[i + 1]!);
  const gaps: string[] = [];
  if (conf.get('appendonly') !== 'yes') gaps.push('appendonly is not yes: a restart loses every waiting caller, session and callback job');
  else if (conf.get('appendfsync') === 'no') gaps.push('appendfsync is no: a crash may lose many seconds of writes');
  if (conf.has('maxmemory-policy') && conf.get('maxmemory-policy') !== 'noeviction') {
    gaps.push(`maxmemory-policy is ${conf.get('maxmemory-policy')}: keys may be evicted under memory pressure`);
  }
  return gaps;
}
