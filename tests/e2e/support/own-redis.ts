import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { testSlot } from '../../../src/config/profiles.ts';
import { trackChild } from './service.ts';
import { sleep } from './wait.ts';

/**
 * A Redis of the test's own, run from the project's config/redis/hotline-redis.conf (AOF, fsync
 * every second, noeviction) on a port of this slot, so that a test can crash and restart it
 * without touching the Redis every other test shares.
 */

const ROOT = resolve(import.meta.dirname, '../../..');

export class OwnRedis {
  readonly port = 16390 + testSlot();
  readonly url = `redis://127.0.0.1:${this.port}`;
  readonly dir = mkdtempSync(join(tmpdir(), 'hotline-redis-'));
  private child: ChildProcess | null = null;

  async start(): Promise<void> {
    const child = spawn('redis-server', [join(ROOT, 'config/redis/hotline-redis.conf'), '--port', String(this.port), '--dir', this.dir, '--daemonize', 'no'], {
      stdio: 'ignore',
    });
    trackChild(child);
    this.child = child;
    const redis = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => undefined); // refused while it starts: the loop below retries
    try {
      for (let i = 0; ; i++) {
        try {
          await redis.connect();
          await redis.ping();
          return;
        } catch (err) {
          if (i > 50 || child.exitCode !== null) throw new Error(`own Redis on ${this.port} did not start: ${(err as Error).message}`);
          await sleep(100);
        }
      }
    } finally {
      redis.disconnect();
    }
  }

  /** A crash: SIGKILL, nothing flushed beyond what the AOF's once-a-second fsync wrote. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
    this.child = null;
  }

  /** Crashes it and starts it again: with its files (AOF) or, `wiped`, empty as a Redis that keeps nothing. */
  async restart(o: { wiped: boolean }): Promise<void> {
    await this.kill();
    if (o.wiped) {
      rmSync(this.dir, { recursive: true, force: true });
      mkdirSync(this.dir);
    }
    await this.start();
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
