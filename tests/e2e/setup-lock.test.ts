import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * scripts/setup.sh holds a machine-wide lock while it runs. A daemon it starts (the project Redis,
 * PostgreSQL, a service apt starts) must not inherit the lock's descriptor: it would hold the lock
 * for its whole life and every later setup (`npm test` after `npm run demo`) would wait forever.
 * The test run's own setup has finished and started Redis by now.
 */
const LOCK = '/run/lock/hotline12355-setup.lock';
const LOCK_ALIASES = new Set([LOCK, '/var/lock/hotline12355-setup.lock']);

function lockHolders(): Array<{ pid: string; command: string }> {
  const holders: Array<{ pid: string; command: string }> = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    const holds = fds.some((fd) => {
      try {
        return LOCK_ALIASES.has(readlinkSync(`/proc/${pid}/fd/${fd}`));
      } catch {
        return false;
      }
    });
    if (!holds) continue;
    let command = '';
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    } catch {
      continue;
    }
    holders.push({ pid, command });
  }
  return holders;
}

describe('the setup lock', () => {
  it('is held by no daemon once setup has finished (only a setup run in progress may hold it)', () => {
    const daemons = lockHolders().filter((h) => !/scripts\/setup\.sh|\bflock\b|install-asterisk|apt|dpkg|npm/.test(h.command));
    expect(daemons, 'processes holding the setup lock').toEqual([]);
  });
});
