/**
 * Tells when the shared store came back without its data: Redis restarted without persistence,
 * was flushed, or failed over to an empty replica. Whatever this instance held there is gone and
 * must be given back, or waiting callers are forgotten while they still hear music.
 */
export interface StoreLossWatch {
  /** Starts watching; `onLost` runs once per loss seen. */
  start(onLost: (why: string) => void): Promise<void>;
  stop(): void;
}
