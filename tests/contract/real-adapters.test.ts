import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { BullmqJobs } from '../../src/adapters/jobs/bullmq-jobs.ts';
import { RedisLiveCalls } from '../../src/adapters/redis/redis-live-calls.ts';
import { RedisQueueStore } from '../../src/adapters/redis/redis-queue-store.ts';
import { RedisSessions } from '../../src/adapters/redis/redis-sessions.ts';
import { RedisLoginThrottle } from '../../src/adapters/redis/redis-login-throttle.ts';
import { profileRedisUrl } from '../../src/config/profiles.ts';
import { ensureDatabase, openDatabase } from '../../src/adapters/storage/database.ts';
import { PgAuditLog } from '../../src/adapters/storage/pg-audit-log.ts';
import { PgCallRecords } from '../../src/adapters/storage/pg-call-records.ts';
import { PgQueueEvents } from '../../src/adapters/storage/pg-queue-events.ts';
import { deleteKeysUnder } from '../support/redis-keys.ts';
import { auditLogContract } from './audit-log.contract.ts';
import { callRecordsContract } from './call-records.contract.ts';
import { jobsContract } from './jobs.contract.ts';
import { loginThrottleContract } from './login-throttle.contract.ts';
import { liveCallsContract } from './live-calls.contract.ts';
import { queueEventLogContract } from './queue-events.contract.ts';
import { queueStoreContract } from './queue-store.contract.ts';
import { sessionsContract } from './sessions.contract.ts';
import { writeBacklogContract } from './write-backlog.contract.ts';
import { RedisWriteBacklog } from '../../src/adapters/redis/redis-write-backlog.ts';

// The same contract suites as tests/unit/contract-fakes.test.ts, against the real adapters:
// Redis with a fresh key prefix per test, PostgreSQL in a schema of its own for this file.

const REDIS_URL = profileRedisUrl();
const DATABASE_URL = process.env.HOTLINE_CONTRACT_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hotline_test';
const SCHEMA = `contract_${randomBytes(6).toString('hex')}`;

let redis: Redis;
let db: pg.Pool;
const prefixes: string[] = [];
const openJobs: BullmqJobs[] = [];

function freshPrefix(): string {
  const prefix = `contract-${randomBytes(6).toString('hex')}`;
  prefixes.push(prefix);
  return prefix;
}

/** Empties tables of this file's schema (TRUNCATE does not fire the audit log's row trigger). */
async function emptied(...tables: string[]): Promise<pg.Pool> {
  await db.query(`TRUNCATE ${tables.join(', ')} RESTART IDENTITY`);
  return db;
}

beforeAll(async () => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
  await redis.ping();
  await ensureDatabase(DATABASE_URL);
  db = await openDatabase(DATABASE_URL, SCHEMA);
});

afterAll(async () => {
  for (const jobs of openJobs) await jobs.close();
  for (const prefix of prefixes) await deleteKeysUnder(redis, prefix);
  redis.disconnect();
  await db?.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
  await db?.end();
});

describe('RedisQueueStore', () => queueStoreContract(async () => new RedisQueueStore(redis, freshPrefix()), { runs: 25 }));
describe('RedisLiveCalls', () => liveCallsContract(async () => new RedisLiveCalls(redis, freshPrefix())));
describe('RedisSessions', () => sessionsContract(async () => new RedisSessions(redis, freshPrefix())));
describe('RedisLoginThrottle', () => loginThrottleContract(async () => new RedisLoginThrottle(redis, freshPrefix())));
describe('RedisWriteBacklog', () => writeBacklogContract(async (capacity) => new RedisWriteBacklog(redis, freshPrefix(), capacity)));
describe('BullmqJobs', () =>
  jobsContract(async () => {
    const jobs = new BullmqJobs(redis, freshPrefix());
    openJobs.push(jobs);
    return jobs;
  }));
describe('PgCallRecords', () => callRecordsContract(async () => new PgCallRecords(await emptied('calls'))));
describe('PgQueueEvents', () => queueEventLogContract(async () => new PgQueueEvents(await emptied('queue_events'))));
describe('PgAuditLog', () =>
  auditLogContract(async () => ({
    log: new PgAuditLog(await emptied('audit_log')),
    tamper: {
      update: (id) => db.query(`UPDATE audit_log SET actor = 'forged' WHERE id = $1`, [id]),
      delete: (id) => db.query('DELETE FROM audit_log WHERE id = $1', [id]),
    },
  })));
