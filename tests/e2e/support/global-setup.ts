import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { isAsteriskRunning, startAsterisk, stopAsterisk } from '../../../src/adapters/asterisk/asterisk-process.ts';
import { pbxForProfile } from '../../../src/adapters/asterisk/pbx-profile.ts';
import { profileRedisUrl, testSlot } from '../../../src/config/profiles.ts';
import { ensureDatabase, openDatabase } from '../../../src/adapters/storage/database.ts';
import { e2eDatabaseUrl, E2E_REDIS_PATTERN, killStaleChildren } from './service.ts';

/**
 * Once per e2e run: prompts rendered, Redis and the test database there and empty, and a fresh
 * test-profile Asterisk, all of the run's slot (HOTLINE_TEST_SLOT, default 0). E2E_KEEP_PBX=1
 * leaves Asterisk running afterwards.
 */

const ROOT = resolve(import.meta.dirname, '../../..');

function step(what: string): void {
  console.error(`[e2e setup] ${what}`);
}

function renderPrompts(): void {
  // scripts/render-prompts.ts is a CLI with no exported entry; it skips prompts that are up to date.
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/render-prompts.ts', '--out', 'var/sounds'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function resetRedis(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3000 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', E2E_REDIS_PATTERN, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch (err) {
    throw new Error(`e2e setup: Redis at ${url} does not answer (${(err as Error).message}); start it with redis-server --daemonize yes`);
  } finally {
    redis.disconnect();
  }
}

/** Migrates the test database and empties its tables, so call lists start empty each run. */
async function resetDatabase(url: string): Promise<void> {
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

/** A test Asterisk left by an earlier run is stopped; a pid file naming some other process is dropped. */
async function freshAsterisk(): Promise<void> {
  const { params } = pbxForProfile(ROOT, 'test');
  const pid = isAsteriskRunning(params);
  const pidFile = join(params.runDir, 'run/asterisk.pid');
  if (pid) {
    const cmd = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8') : '';
    if (cmd.includes(params.runDir)) {
      step(`stopping the test Asterisk left running (pid ${pid})`);
      await stopAsterisk(params);
    } else {
      rmSync(pidFile, { force: true });
    }
  }
  step('starting the test Asterisk');
  try {
    const started = await startAsterisk(ROOT, params, 30_000);
    step(`Asterisk running (pid ${started}), ARI on ${params.httpPort}, SIP on ${params.sipPort}`);
  } catch (err) {
    const log = join(params.runDir, 'log/console.log');
    const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-15).join('\n') : '';
    throw new Error(`${(err as Error).message}\n${tail}`);
  }
}

/** Ports are per machine: two runs of one slot (any checkout) take turns instead of restarting each other's PBX. */
const LOCK = join(tmpdir(), `hotline12355-e2e-slot${testSlot()}.lock`);
async function lockSlot(timeoutMs = 20 * 60_000): Promise<void> {
  for (let until = Date.now() + timeoutMs, said = false; ; said = true) {
    try {
      return writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
    } catch {
      const holder = Number(existsSync(LOCK) ? readFileSync(LOCK, 'utf8') : 0);
      if (!holder || !existsSync(`/proc/${holder}`)) rmSync(LOCK, { force: true });
      else if (Date.now() > until) throw new Error(`e2e setup: the run of pid ${holder} still holds ${LOCK}`);
      else if (!said) step(`waiting for the e2e run of pid ${holder} (slot ${testSlot()}) to finish`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** SIPp traces (tests/e2e/support/sipp.ts) are kept for a failed test's post-mortem, for a day. */
function dropOldSippDirs(): void {
  for (const d of readdirSync(tmpdir()).filter((n) => n.startsWith('sipp-'))) {
    const path = join(tmpdir(), d);
    if (Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 86_400_000) rmSync(path, { recursive: true, force: true });
  }
}

export default async function setup(): Promise<() => Promise<void>> {
  await lockSlot();
  dropOldSippDirs();
  const stale = killStaleChildren();
  if (stale.length) step(`ended services and SIPps an earlier run left: ${stale.join(', ')}`);
  step('rendering prompts');
  renderPrompts();
  step('resetting Redis keys and the test database');
  await resetRedis(profileRedisUrl());
  await resetDatabase(e2eDatabaseUrl());
  await freshAsterisk();
  return async () => {
    if (process.env.E2E_KEEP_PBX !== '1') await stopAsterisk(pbxForProfile(ROOT, 'test').params);
    if (existsSync(LOCK) && readFileSync(LOCK, 'utf8') === String(process.pid)) rmSync(LOCK);
  };
}
