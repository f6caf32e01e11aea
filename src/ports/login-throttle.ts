/** How many failed sign-ins a key may have before it is locked out, and for how long. */
export interface ThrottlePolicy {
  /** Failures within one window that lock the key. */
  maxFailures: number;
  /** The window starts at the first failure and lasts this long. */
  windowMs: number;
  /** How long a key stays locked once it reaches `maxFailures`. */
  lockMs: number;
}

/**
 * Failed sign-ins counted per key (a user name, a client address). Kept where every instance of
 * the service sees it, so that spreading guesses over instances gains nothing.
 */
export interface LoginThrottle {
  /** Milliseconds until `key` may try again; 0 when it is not locked out. */
  lockedFor(key: string): Promise<number>;
  /**
   * Counts one failure of `key`; the failure that reaches `policy.maxFailures` locks the key for
   * `policy.lockMs` and starts a fresh count. Answers the lock now in force (ms, 0 when none).
   */
  recordFailure(key: string, policy: ThrottlePolicy): Promise<number>;
  /** Forgets the key's failures and lock (a successful sign-in of that user). */
  clear(key: string): Promise<void>;
}
