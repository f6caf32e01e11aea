import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../ports/clock.ts';
import { WriteRefusedError, type BacklogItem, type DurableWrite, type DurableWriter, type WriteBacklog } from '../../ports/deferred-writes.ts';
import type { Notifier } from '../../ports/notifier.ts';

export interface WriteBehindDeps {
  writer: DurableWriter;
  backlog: WriteBacklog;
  clock: Clock;
  notifier: Notifier;
  log: Logger;
  /** How often a flush is tried while writes are deferred. */
  retryMs?: number;
}

/**
 * The call path never waits on the database: a write goes straight to PostgreSQL while it
 * answers; when it does not, the write joins a backlog in Redis and the call goes on (answered,
 * queued, connected, escalated). The backlog is written back in order once the database answers,
 * each write under its id so that none lands twice. While anything is deferred, later writes queue
 * behind it, so a call's record is never updated before it was opened.
 */
export class WriteBehind {
  private deferring = false;
  private pushing = 0;
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly owner = randomUUID();
  private readonly retryMs: number;

  constructor(private readonly d: WriteBehindDeps) {
    this.retryMs = d.retryMs ?? 1000;
  }

  /** Picks up a backlog an earlier run (or a crashed instance) left behind. */
  async start(): Promise<void> {
    if ((await this.d.backlog.length().catch(() => 0)) > 0) this.enterDeferring('backlog left from before');
    void this.flush();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** True while writes are being deferred (the database is away or too slow; readiness reports degraded). */
  get degraded(): boolean {
    return this.deferring;
  }

  async write(write: DurableWrite): Promise<void> {
    const item: BacklogItem = { id: randomUUID(), at: this.d.clock.now().toISOString(), write };
    if (!this.deferring) {
      try {
        await this.d.writer.apply(item.id, write);
        return;
      } catch (err) {
        if (err instanceof WriteRefusedError) throw err; // the database answered and refused it: a bug, not an outage
        this.enterDeferring((err as Error).message);
      }
    }
    this.pushing++;
    try {
      await this.d.backlog.push(item);
    } finally {
      this.pushing--;
    }
  }

  /** Writes the backlog back in order; one flush at a time here, one instance at a time overall. */
  flush(): Promise<void> {
    if (!this.deferring) return Promise.resolve();
    this.flushing ??= this.flushOnce().catch((err: unknown) => this.d.log.warn({ err }, 'database backlog not flushed yet')).finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    if (!(await this.d.writer.ping())) return;
    if (!(await this.d.backlog.lockFlush(this.owner, 30_000))) return;
    let written = 0;
    try {
      for (;;) {
        const batch = await this.d.backlog.head(100);
        if (batch.length === 0) {
          // Empty, and no write of ours on its way in: writes may go straight to the database again.
          if (this.pushing > 0) {
            await new Promise((r) => setTimeout(r, 5));
            continue;
          }
          this.leaveDeferring(written);
          return;
        }
        for (const item of batch) {
          try {
            await this.d.writer.apply(item.id, item.write);
          } catch (err) {
            if (!(err instanceof WriteRefusedError)) return; // away or slow again: the next round goes on from here
            this.d.log.error({ err, item }, 'the database refuses a deferred write; kept aside');
            await this.d.backlog.deadLetter(item, (err as Error).message);
          }
          await this.d.backlog.dropHead(1);
          written++;
        }
      }
    } finally {
      await this.d.backlog.unlockFlush(this.owner).catch(() => undefined);
    }
  }

  private enterDeferring(why: string): void {
    if (this.deferring) return;
    this.deferring = true;
    // Retried only while something is deferred: a healthy service holds no timer for this.
    this.timer = setInterval(() => void this.flush(), this.retryMs);
    this.timer.unref();
    this.d.log.error({ why }, 'database unavailable or too slow; deferring call records, queue events and audit entries');
    this.d.notifier.publish({
      type: 'alert', severity: 'critical', code: 'database-unavailable',
      message: '数据库暂时不可用或响应过慢：来电照常接听、排队和转接，通话记录先暂存，恢复后自动补写',
    });
  }

  private leaveDeferring(written: number): void {
    this.deferring = false;
    this.stop();
    this.d.log.warn({ written }, 'database back; deferred writes written');
    this.d.notifier.publish({ type: 'alert', severity: 'warning', code: 'database-restored', message: `数据库已恢复，暂存的 ${written} 条记录已补写` });
  }
}
