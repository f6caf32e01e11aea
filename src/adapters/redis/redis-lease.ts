import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** Extends the lease only while it is still ours (a late renewal never steals it back). */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * Who drives the Asterisk nodes: one service instance at a time holds this lease in Redis and is
 * the only one with ARI event streams open (and so the only one acting on calls); the others wait
 * for it. The holder renews it every third of its time; if a renewal finds it gone or taken, or
 * cannot reach Redis for the lease's whole time, the holder stops at once (`onLost`), because by
 * then another instance may have taken over. A waiting instance takes it when it expires, and its
 * start-up resync adopts every call the nodes hold.
 */
export class RedisLease {
  private timer: NodeJS.Timeout | null = null;
  private lastRenewed = 0;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly holder: string,
    private readonly ttlMs: number,
    private readonly log: Logger,
  ) {}

  /** Resolves once this instance holds the lease (polling every ttl/6 while another holds it). */
  async acquire(signal?: AbortSignal): Promise<void> {
    let waiting = false;
    for (;;) {
      if (signal?.aborted) throw new Error('lease wait aborted');
      try {
        if ((await this.redis.set(this.key, this.holder, 'PX', this.ttlMs, 'NX')) === 'OK') break;
        if (!waiting) this.log.info({ holder: await this.redis.get(this.key) }, 'standby: another instance drives the PBX nodes; waiting for its lease');
        waiting = true;
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, 'lease not read; retrying');
      }
      await new Promise((r) => setTimeout(r, Math.max(100, Math.floor(this.ttlMs / 6))));
    }
    this.lastRenewed = Date.now();
    this.log.info({ key: this.key }, 'lease taken: this instance drives the PBX nodes');
  }

  /** Renews the lease until released; `onLost` is called once if it is lost. */
  keep(onLost: () => void): void {
    const every = Math.max(100, Math.floor(this.ttlMs / 3));
    const tick = async () => {
      try {
        const ok = await this.redis.eval(RENEW, 1, this.key, this.holder, String(this.ttlMs));
        if (ok !== 1) return this.lost('taken or expired', onLost);
        this.lastRenewed = Date.now();
      } catch (err) {
        if (Date.now() - this.lastRenewed >= this.ttlMs) return this.lost(`Redis unreachable: ${(err as Error).message}`, onLost);
      }
      this.timer = setTimeout(() => void tick(), every);
    };
    this.timer = setTimeout(() => void tick(), every);
  }

  private lost(why: string, onLost: () => void): void {
    this.timer = null;
    this.log.fatal({ why }, 'lease lost: another instance may drive the PBX nodes now; stopping');
    onLost();
  }

  /** Gives the lease up (a clean stop): the standby takes over at once instead of after it expires. */
  async release(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.redis.eval(RELEASE, 1, this.key, this.holder).catch(() => undefined);
  }
}
