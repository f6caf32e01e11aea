import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testSlot } from '../../../src/config/profiles.ts';

/**
 * A PostgreSQL server of the test's own (Debian's binaries, a data folder in /tmp, a port of this
 * slot), so that a test can stop it as an outage would without breaking the database every other
 * test, slot and developer on the machine shares.
 */

const VERSION = readdirSync('/usr/lib/postgresql').sort().at(-1) ?? '15';
const BIN = `/usr/lib/postgresql/${VERSION}/bin`;
const asPostgres = (cmd: string, args: string[]) =>
  execFileSync('runuser', ['-u', 'postgres', '--', join(BIN, cmd), ...args], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });

export class OwnPostgres {
  readonly port = 15440 + testSlot();
  readonly dir = mkdtempSync(join(tmpdir(), 'hotline-pg-'));
  private initialised = false;

  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    if (!this.initialised) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
      chownSync(this.dir, uid, gid);
      asPostgres('initdb', ['-D', join(this.dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync']);
      this.initialised = true;
    }
    asPostgres('pg_ctl', ['-D', join(this.dir, 'data'), '-w', '-l', join(this.dir, 'log'),
      '-o', `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  }

  /** An outage: the server stops (fast shutdown: connections are cut). */
  async stop(): Promise<void> {
    if (!this.initialised) return;
    try {
      asPostgres('pg_ctl', ['-D', join(this.dir, 'data'), '-w', '-m', 'fast', 'stop']);
    } catch {
      // already stopped
    }
  }

  async remove(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
