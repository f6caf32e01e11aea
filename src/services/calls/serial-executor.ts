/**
 * Runs tasks one at a time per key (a call), in arrival order, so that events of one call never
 * interleave. A task that fails does not block the ones after it: the error goes to `onError`.
 */
export class SerialExecutor {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly onError: (key: string, err: unknown) => void) {}

  run(key: string, task: () => Promise<void>): Promise<void> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(task).catch((err: unknown) => this.onError(key, err));
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
}
