import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { StoreLossWatch } from '../../ports/store-loss.ts';

/**
 * Notices that Redis lost its data through an epoch key: written once (SET NX) by the first
 * instance, read again after every reconnect and every `everyMs`. Missing means this Redis came
 * back empty; a different value means another instance saw the loss first and wrote a new one.
 * Either way every instance restores what it holds.
 */
export class RedisEpochWatch implements StoreLossWatch {
  private known: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  private onLost: (why: string) => void = () => undefined;
  private readonly onReady = () => void this.check();

  constructor(private readonly redis: Redis, private readonly key: string, private readonly everyMs = 1000) {}

  async start(onLost: (why: string) => void): Promise<void> {
    this.onLost = onLost;
    this.known = await this.ensure();
    this.redis.on('ready', this.onReady);
    this.timer = setInterval(this.onReady, this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.redis.off('ready', this.onReady);
  }

  /** One check at a time: a reconnect and the timer firing together must not report one loss twice. */
  check(): Promise<void> {
    this.checking ??= this.compare().finally(() => (this.checking = null));
    return this.checking;
  }

  private async compare(): Promise<void> {
    if (this.redis.status !== 'ready') return;
    let seen: string | null;
    try {
      seen = await this.redis.get(this.key);
      if (seen === this.known) return;
      const why = seen === null ? 'epoch key missing' : 'epoch changed';
      this.known = await this.ensure();
      this.onLost(why);
    } catch {
      // Redis went away during the check: the next 'ready' or tick looks again.
    }
  }

  private async ensure(): Promise<string> {
    await this.redis.set(this.key, randomUUID(), 'NX');
    const v = await this.redis.get(this.key);
    if (v === null) throw new Error(`${this.key} vanished right after being written`);
    return v;
  }
}
