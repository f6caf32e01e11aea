import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullmqJobs } from '../../src/adapters/jobs/bullmq-jobs.ts';
import { RedisLiveCalls } from '../../src/adapters/redis/redis-live-calls.ts';
import { RedisQueueStore } from '../../src/adapters/redis/redis-queue-store.ts';
import { RedisSessions } from '../../src/adapters/redis/redis-sessions.ts';
import { RedisLoginThrottle } from '../../src/adapters/redis/redis-login-throttle.ts';
import { profileRedisUrl } from '../../src/config/profiles.ts';
import { ensureDatabase, openDatabase } from '../../src/adapters/storage/database.ts';
import { PgAuditLog } from '../../src/adapters/storage/pg-audit-log.ts';
import { PgCallRecords } from '../../src/adapters/storage/pg-call-records.ts';
import { PgCaseStore } from '../../src/adapters/storage/pg-case-store.ts';
import { PgPersonalData } from '../../src/adapters/storage/pg-personal-data.ts';
import { personalDataContract } from './personal-data.contract.ts';
import { followUpStoreContract } from './follow-ups.contract.ts';
import { PgFollowUpStore } from '../../src/adapters/storage/pg-follow-up-store.ts';
import { PgWorkOrderStore } from '../../src/adapters/storage/pg-work-order-store.ts';
import { PgQueueEvents } from '../../src/adapters/storage/pg-queue-events.ts';
import { deleteKeysUnder } from '../support/redis-keys.ts';
import { auditLogContract } from './audit-log.contract.ts';
import { callRecordsContract } from './call-records.contract.ts';
import { caseStoreContract } from './cases.contract.ts';
import { counselled, newOrder } from './case-order-fixtures.ts';
import { jobsContract } from './jobs.contract.ts';
import { loginThrottleContract } from './login-throttle.contract.ts';
import { liveCallsContract } from './live-calls.contract.ts';
import { queueEventLogContract } from './queue-events.contract.ts';
import { queueStoreContract } from './queue-store.contract.ts';
import { sessionsContract } from './sessions.contract.ts';
import { writeBacklogContract } from './write-backlog.contract.ts';
import { RedisWriteBacklog } from '../../src/adapters/redis/redis-write-backlog.ts';
import { workOrderStoreContract } from './work-orders.contract.ts';
import { analyticsContract } from './analytics.contract.ts';
import { PgAnalytics } from '../../src/adapters/storage/pg-analytics.ts';
import { supervisionStoreContract } from './supervision-store.contract.ts';
import { RedisSupervisionStore } from '../../src/adapters/redis/redis-supervision-store.ts';

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
describe('RedisSupervisionStore', () => supervisionStoreContract(async () => new RedisSupervisionStore(redis, freshPrefix())));
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

const caseTables = ['work_order_outbox', 'work_order_events', 'work_orders', 'cases'];
async function pgCaseStores() {
  const pool = await emptied(...caseTables);
  return { cases: new PgCaseStore(pool), orders: new PgWorkOrderStore(pool) };
}
describe('PgCaseStore', () => caseStoreContract(pgCaseStores));
describe('PgPersonalData', () =>
  personalDataContract(async () => {
    const pool = await emptied('calls', ...caseTables);
    return { eraser: new PgPersonalData(pool), records: new PgCallRecords(pool), cases: new PgCaseStore(pool), orders: new PgWorkOrderStore(pool) };
  }));
describe('PgFollowUpStore', () =>
  followUpStoreContract(async () => {
    const pool = await emptied('follow_ups', ...caseTables);
    return { followUps: new PgFollowUpStore(pool), cases: new PgCaseStore(pool), orders: new PgWorkOrderStore(pool) };
  }));
describe('PgWorkOrderStore', () =>
  workOrderStoreContract(pgCaseStores, {
    update: (orderId) => db.query(`UPDATE work_order_events SET actor_id = 'forged' WHERE order_id = $1`, [orderId]),
    delete: (orderId) => db.query('DELETE FROM work_order_events WHERE order_id = $1', [orderId]),
  }));

const analyticsTables = [
  'calls', 'queue_events', 'follow_ups', ...caseTables, 'analytics_calls', 'analytics_orders', 'analytics_follow_ups', 'analytics_refresh',
  'analytics_daily', 'analytics_daily_categories', 'analytics_rolled_months', 'analytics_monthly_categories', 'analytics_monthly_hours', 'analytics_monthly_areas',
  'analytics_monthly_orders', 'analytics_monthly_follow_ups',
];
describe('PgAnalytics', () => analyticsContract(async () => {
  const pool = await emptied(...analyticsTables);
  return { db: pool, analytics: new PgAnalytics(pool) };
}));

describe('PgCaseStore under a real race', () => {
  it('a submission that loses the race to the same key returns the winner\'s case', async () => {
    const pool = await emptied(...caseTables);
    const store = new PgCaseStore(pool);
    const winner = await pool.connect();
    try {
      // Another instance has inserted the case with this key but not committed yet.
      await winner.query('BEGIN');
      await winner.query(
        `INSERT INTO cases (id, call_id, idempotency_key, kind, status, created_at, updated_at, saved_at)
         VALUES ('case-winner', 'call-race', 'key-race', 'unanswered', 'saved', now(), now(), now())`,
      );
      const loser = store.submit({
        idempotencyKey: 'key-race', id: 'case-loser', callId: 'call-race', kind: 'unanswered', reason: 'abandoned',
        facts: { escalated: false, emergencyKey: false }, callerKey: null, callerNumber: null, at: '2026-03-10T02:00:00.000Z', order: null,
      });
      await new Promise((resolve) => setTimeout(resolve, 200)); // the loser is now waiting on the unique index
      await winner.query('COMMIT');
      expect(await loser).toMatchObject({ created: false, case: { id: 'case-winner' } });
    } finally {
      winner.release();
    }
  });

  it('a double click on a draft: the submission waiting for the draft\'s lock returns the first one\'s case and order', async () => {
    const pool = await emptied(...caseTables);
    const store = new PgCaseStore(pool);
    await store.saveDraft({
      id: 'case-draft', callId: 'call-click', counsellorId: 'c1', draft: { summary: '草稿' }, facts: { escalated: false, emergencyKey: false },
      callerKey: null, callerNumber: null, at: '2026-03-10T02:00:00.000Z',
    });
    const winner = await pool.connect();
    try {
      // The first submission holds the draft's row lock and has saved it, not committed yet.
      await winner.query('BEGIN');
      await winner.query('SELECT 1 FROM cases WHERE call_id = $1 FOR UPDATE', ['call-click']);
      await winner.query(`UPDATE cases SET status = 'saved', idempotency_key = 'key-click', saved_at = now() WHERE call_id = 'call-click'`);
      const second = store.submit(counselled('call-click', '2026-03-10T02:01:00.000Z', { idempotencyKey: 'key-click', order: newOrder('order-click', '2026-03-10T02:01:00.000Z') }));
      await new Promise((resolve) => setTimeout(resolve, 200)); // the second is now waiting on the draft's row lock
      await winner.query('COMMIT');
      expect(await second).toMatchObject({ created: false, case: { id: 'case-draft', status: 'saved' }, order: null });
      expect(await new PgWorkOrderStore(pool).get('order-click')).toBeNull();
    } finally {
      winner.release();
    }
  });
});
