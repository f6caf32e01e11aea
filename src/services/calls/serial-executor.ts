/** A task holding its key: the key's turn, or work of the same key asked for from inside one. */
interface Holder {
  key: string;
  /** Work asked for this key from inside this holder: it runs in order, one at a time. */
  inner: Promise<void>;
  pending: number;
  over: boolean;
}

/**
 * The turn a task runs in, handed to the task itself. Work the task asks for through it, on its
 * own key or on a key of a turn it runs inside, joins that turn instead of waiting for itself.
 */
export interface Turn {
  run(key: string, task: TurnTask): Promise<void>;
}

export type TurnTask = (turn: Turn) => Promise<void>;

const NONE: readonly Holder[] = [];

/**
 * Runs tasks one at a time per key (a call), in arrival order, so that events of one call never
 * interleave. A task that fails does not block the ones after it: the error goes to `onError`.
 *
 * Turns are re-entrant through the `Turn` each task is given: work asked for a key through the
 * turn of a task holding that key (directly, or through another key's turn it waits on) runs at
 * once within that turn, instead of queueing behind it and waiting for itself. Such inner work
 * runs in order among itself, and the turn ends only when all of it has ended, so the key's next
 * task never overlaps it. The context is passed explicitly rather than tracked with
 * AsyncLocalStorage, which on Node 20 hooks every promise the process creates.
 */
export class SerialExecutor {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly onError: (key: string, err: unknown) => void) {}

  /** Queues `task` on `key` as work from outside any turn. */
  run(key: string, task: TurnTask): Promise<void> {
    return this.runWithin(NONE, key, task);
  }

  /** Resolves when every queued task has run (for graceful shutdown). */
  async drain(): Promise<void> {
    while (this.tails.size > 0) await Promise.allSettled([...this.tails.values()]);
  }

  /** `holders`: the turns the asking task runs inside, outermost first (some may be over). */
  private runWithin(holders: readonly Holder[], key: string, task: TurnTask): Promise<void> {
    const within = holders.length === 0 ? NONE : holders.filter((h) => !h.over);
    let holder: Holder | undefined;
    for (let i = within.length - 1; i >= 0 && !holder; i--) if (within[i]!.key === key) holder = within[i];
    if (holder) return this.runInside(holder, within, task);
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(() => this.hold(key, within, task));
    this.tails.set(key, next);
    void next.finally(() => {
      if (this.tails.get(key) === next) this.tails.delete(key);
    });
    return next;
  }

  private runInside(outer: Holder, within: readonly Holder[], task: TurnTask): Promise<void> {
    outer.pending++;
    const done = outer.inner.then(() => this.hold(outer.key, within, task)).finally(() => outer.pending--);
    outer.inner = done;
    return done;
  }

  /** Runs the task holding `key`, then waits for the work asked for from inside it. */
  private async hold(key: string, within: readonly Holder[], task: TurnTask): Promise<void> {
    const holder: Holder = { key, inner: Promise.resolve(), pending: 0, over: false };
    const holders = [...within, holder];
    const turn: Turn = { run: (k, t) => this.runWithin(holders, k, t) };
    try {
      await task(turn);
    } catch (err) {
      this.onError(key, err);
    }
    while (holder.pending > 0) await holder.inner;
    holder.over = true;
  }
}
