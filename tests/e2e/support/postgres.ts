import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { sleep } from './wait.ts';

/**
 * This machine's PostgreSQL cluster, stopped and started as an outage would: the e2e runs one
 * file at a time, so nothing else is using it meanwhile. Always start it again in a finally.
 */

const VERSION = readdirSync('/etc/postgresql').sort().at(-1) ?? '15';
const ctl = (action: 'start' | 'stop') =>
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', VERSION, 'main', action], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
const ready = (): boolean => {
  try {
    execFileSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432', '-q'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

export async function stopPostgres(): Promise<void> {
  ctl('stop');
  for (let i = 0; i < 100 && ready(); i++) await sleep(100);
  if (ready()) throw new Error('PostgreSQL still answers after stop');
}

export async function startPostgres(): Promise<void> {
  if (ready()) return;
  ctl('start');
  for (let i = 0; i < 150 && !ready(); i++) await sleep(200);
  if (!ready()) throw new Error('PostgreSQL did not come back');
}
