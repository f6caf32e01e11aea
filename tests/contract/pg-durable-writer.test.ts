import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDatabase, openDatabase } from '../../src/adapters/storage/database.ts';
import { PgAuditLog } from '../../src/adapters/storage/pg-audit-log.ts';
import { PgCallRecords } from '../../src/adapters/storage/pg-call-records.ts';
import { PgDurableWriter } from '../../src/adapters/storage/pg-durable-writer.ts';
import { PgEscalationLog } from '../../src/adapters/storage/pg-escalation-log.ts';
import { PgQueueEvents } from '../../src/adapters/storage/pg-queue-events.ts';
import type { DurableWrite } from '../../src/ports/deferred-writes.ts';

/** Deferred writes replayed on real PostgreSQL: the same write id twice lands once. */

const DATABASE_URL = process.env.HOTLINE_CONTRACT_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hotline_test';
const SCHEMA = `writer_${randomBytes(6).toString('hex')}`;
let db: pg.Pool;
let writer: PgDurableWriter;
let s: { records: PgCallRecords; events: PgQueueEvents; audit: PgAuditLog; escalations: PgEscalationLog };

beforeAll(async () => {
  await ensureDatabase(DATABASE_URL);
  db = await openDatabase(DATABASE_URL, SCHEMA);
  s = { records: new PgCallRecords(db), events: new PgQueueEvents(db), audit: new PgAuditLog(db), escalations: new PgEscalationLog(db) };
  writer = new PgDurableWriter(db, s);
});
afterAll(async () => {
  await db?.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
  await db?.end();
});

const twice = async (id: string, w: DurableWrite) => {
  await writer.apply(id, w);
  await writer.apply(id, w);
};

describe('PgDurableWriter', () => {
  it('lands each write once however often it is replayed, and a new id as a new row', async () => {
    const at = '2026-12-06T04:00:00.000Z';
    await twice('w1', { kind: 'call-open', record: { callId: 'c-1', line: 'main', dialled: '12355', callerNumber: '13800000001', startedAt: at } });
    await twice('w2', { kind: 'call-update', callId: 'c-1', patch: { outcome: 'completed', endedAt: at } });
    await twice('w3', { kind: 'queue-event', event: { at, type: 'enter', callId: 'c-1', data: { position: 1 } } });
    await twice('w4', { kind: 'audit', entry: { actor: 'c1', role: 'counsellor', action: 'escalate-110', callId: 'c-1' }, at: '2026-12-06T03:59:00.000Z' });
    await writer.apply('w5', { kind: 'queue-event', event: { at, type: 'enter', callId: 'c-1', data: { position: 1 } } });

    expect(await s.records.get('c-1')).toMatchObject({ outcome: 'completed', line: 'main' });
    expect((await s.events.list('2026-12-06T00:00:00.000Z', 10)).length, 'w3 once, w5 once').toBe(2);
    const audit = await s.audit.list(10);
    expect(audit).toHaveLength(1);
    expect(audit[0]?.at, 'the audit entry keeps the time of the action, not of the replay').toBe('2026-12-06T03:59:00.000Z');
  });

  it('answers a ping while the database is up', async () => {
    expect(await writer.ping()).toBe(true);
  });
});

describe('PgDurableWriter refusals', () => {
  it('calls a statement error a refusal (waiting will not help), not an outage', async () => {
    const { WriteRefusedError } = await import('../../src/ports/deferred-writes.ts');
    // A NUL byte: PostgreSQL answers 22021 (character not in repertoire) for text.
    await expect(writer.apply('w-nul', { kind: 'call-open', record: { callId: 'c-\u0000', line: 'main', dialled: '', callerNumber: '', startedAt: '2026-12-06T04:00:00.000Z' } }))
      .rejects.toBeInstanceOf(WriteRefusedError);
  });
});
