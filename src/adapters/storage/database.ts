import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

/**
 * PostgreSQL pool plus forward-only migrations (numbered .sql files, applied once each,
 * under an advisory lock so that two instances starting together don't race).
 */
export async function openDatabase(url: string, schema?: string): Promise<pg.Pool> {
  // Bounded waits: a database that hangs (or a pool that stays full) fails a write after 10 s, and
  // the write is deferred to the backlog; a call is never held longer than that by its records.
  // Idle connections are kept a minute (pg's default is 10 s): calls write in bursts a few seconds
  // apart, and a connection opened again for each burst cost more CPU than the writes themselves.
  const pool = new pg.Pool({
    connectionTimeoutMillis: 10_000, query_timeout: 10_000, connectionString: url, max: 10, idleTimeoutMillis: 60_000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  pool.on('error', () => undefined); // idle client errors surface on the next query instead
  if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await migrate(pool);
  return pool;
}

const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations');

export async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(12355)');
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
    for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort()) {
      if (done.has(file)) continue;
      await client.query('BEGIN');
      await client.query(readFileSync(join(MIGRATIONS_DIR, file), 'utf8'));
      await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
      await client.query('COMMIT');
    }
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.query('SELECT pg_advisory_unlock(12355)').catch(() => undefined);
    client.release();
  }
}

/** Creates the database if it does not exist (PostgreSQL has no CREATE DATABASE IF NOT EXISTS). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
}
