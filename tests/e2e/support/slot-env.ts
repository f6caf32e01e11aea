import { Redis } from 'ioredis';
import { ensureDatabase, openDatabase } from '../../../src/adapters/storage/database.ts';
import { serviceEnvForProfile } from '../../../src/adapters/asterisk/pbx-profile.ts';
import { testSlot } from '../../../src/config/profiles.ts';
import { resolve } from 'node:path';
import type { EnvOverrides } from './service.ts';

/**
 * Keeps a test slot's durable state to itself. HOTLINE_TEST_SLOT gives a run its own Asterisk and
 * ports, but the test profile's database (hotline_test) and the `hotline-e2e*` Redis keys are
 * shared by every slot, and global setup empties both. In a slot above 0 the services these tests
 * start therefore use the slot's own database (hotline_test_<slot>) and a Redis prefix global setup
 * does not match; slot 0 keeps the plain test profile.
 */

const ROOT = resolve(import.meta.dirname, '../../..');
const slot = testSlot();
let starts = 0;

export function slotDatabaseUrl(): string {
  const url = new URL(serviceEnvForProfile(ROOT, 'test').DATABASE_URL!);
  if (slot > 0) url.pathname = `${url.pathname}_${slot}`;
  return url.toString();
}

/** Environment overrides for startService in this slot ({} in slot 0). */
export function slotServiceEnv(extra: EnvOverrides = {}): EnvOverrides {
  if (slot === 0) return extra;
  return {
    DATABASE_URL: slotDatabaseUrl(),
    REDIS_PREFIX: `hotline-slot${slot}-e2e-${process.pid}-${++starts}-${Date.now().toString(36)}`,
    ...extra,
  };
}

/** Empties this slot's database (slot 0: global setup already did, and other files' data is theirs). */
export async function resetSlotDatabase(): Promise<void> {
  if (slot === 0) return;
  const url = slotDatabaseUrl();
  await ensureDatabase(url);
  const db = await openDatabase(url);
  try {
    const { rows } = await db.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'");
    if (rows.length) await db.query(`TRUNCATE ${rows.map((r) => `"${r.name}"`).join(', ')} RESTART IDENTITY`);
  } finally {
    await db.end();
  }
}

/** Deletes the Redis keys of a stopped service that used a slot prefix (global setup does not). */
export async function dropRedisPrefix(prefix: string | undefined): Promise<void> {
  if (!prefix || !prefix.startsWith(`hotline-slot${slot}-e2e-`)) return;
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
