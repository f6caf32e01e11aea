import { AsyncLocalStorage } from 'node:async_hooks';

/** A task holding its key: the key's turn, or work of the same key asked for from inside one. */
interface Holder {
  key: string;
  /** Work asked for this key from inside this holder: it runs in order, one at a time. */
  inner: Promise<void>;
  pending: number;
  over: boolean;
}

/**
 * Runs tasks one at a time per key (a call), in arrival order, so that events of one call never
 * interleave. A task that fails does not block the ones after it: the error goes to `onError`.
 *
 * Turns are re-entrant: work asked for a key from inside a task holding that key (directly, or
 * through another key's task it waits on) runs at once within that task's turn, instead of
 * queueing behind the turn and waiting for itself. Such inner work runs in order among itself,
 * and the turn ends only when all of it has ended, so the key's next task never overlaps it.
 */
export class SerialExecutor {
  private readonly tails = new Map<string, Promise<void>>();
  /** The holders the current async context runs inside, outermost first. */
  private readonly inside = new AsyncLocalStorage<readonly Holder[]>();

  constructor(private readonly onError: (key: string, err: unknown) => void) {}

  run(key: string, task: () => Promise<void>): Promise<void> {
    const within = (this.inside.getStore() ?? []).filter((h) => !h.over);
    const holder = [...within].reverse().find((h) => h.key === key);
    if (holder) return this.runInside(holder, within, task);
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(() => this.hold(key, within, task));
    this.tails.set(key, next);
    void next.finally(() => {
      if (this.tails.get(key) === next) this.tails.delete(key);
    });
    return next;
  }

  /** Resolves when every queued task has run (for graceful shutdown). */
  async drain(): Promise<void> {
    while (this.tails.size > 0) await Promise.allSettled([...this.tails.values()]);
  }

  private runInside(outer: Holder, within: readonly Holder[], task: () => Promise<void>): Promise<void> {
    outer.pending++;
    const done = outer.inner.then(() => this.hold(outer.key, within, task)).finally(() => outer.pending--);
    outer.inner = done;
    return done;
  }

  /** Runs the task holding `key`, then waits for the work asked for from inside it. */
  private async hold(key: string, within: readonly Holder[], task: () => Promise<void>): Promise<void> {
    const holder: Holder = { key, inner: Promise.resolve(), pending: 0, over: false };
    try {
      await this.inside.run([...within, holder], task);
    } catch (err) {
      this.onError(key, err);
    }
    while (holder.pending > 0) await holder.inner;
    holder.over = true;
  }
}
