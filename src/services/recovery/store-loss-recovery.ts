import type { Logger } from 'pino';
import type { Notifier } from '../../ports/notifier.ts';
import type { StoreLossWatch } from '../../ports/store-loss.ts';
import type { Restorable } from './remembered-writes.ts';

export interface StoreLossRecoveryDeps {
  watch: StoreLossWatch;
  /** Writers of what this instance remembers (links, queue entries, counsellors, sessions). */
  remembered: Array<{ name: string; store: Restorable }>;
  /** Writes the router's live calls back and resyncs with the PBX, as after a reconnect. */
  recoverCalls(): Promise<void>;
  notifier: Notifier;
  log: Logger;
}

/**
 * When Redis comes back without its data, this instance gives back what it holds (its live calls,
 * the queue entries, counsellor states, channel links and sign-ins it wrote) and then resyncs with
 * Asterisk exactly as after its own restart: waiting callers keep their place and are served.
 * Supervisors are told, since callback jobs and other instances' state may be gone for good.
 */
export class StoreLossRecovery {
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly d: StoreLossRecoveryDeps) {}

  start(): Promise<void> {
    return this.d.watch.start((why) => {
      this.running = this.running.then(() => this.recover(why));
    });
  }

  stop(): void {
    this.stopped = true;
    this.d.watch.stop();
  }

  /** Resolves when the recoveries started so far are over (for tests and shutdown). */
  settled(): Promise<void> {
    return this.running;
  }

  private async recover(why: string): Promise<void> {
    const log = this.d.log.child({ recovery: 'store-loss' });
    log.error({ why }, 'Redis lost its data; restoring what this instance holds');
    this.d.notifier.publish({
      type: 'alert', severity: 'critical', code: 'store-data-lost',
      message: '共享存储（Redis）丢失了数据：正在恢复排队来电和坐席状态；待回拨请求可能需要人工核对',
    });
    const restored: Record<string, number> = {};
    for (const { name, store } of this.d.remembered) {
      try {
        restored[name] = await store.restore();
      } catch (err) {
        // Go on: the resync below still saves every live call and resumes waiting callers.
        log.error({ err, store: name }, 'could not restore');
      }
    }
    // Retried until it works: callers in the holding bridge are not in the queue until then.
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await this.d.recoverCalls();
        log.warn({ restored, attempt }, 'store recovered after data loss');
        return;
      } catch (err) {
        log.error({ err, attempt }, 'resync after the data loss failed; retrying');
        await new Promise((r) => setTimeout(r, Math.min(500 * 2 ** attempt, 10_000)));
      }
    }
  }
}
