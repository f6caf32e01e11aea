import type { Principal, Sessions } from '../../ports/auth.ts';
import type { Clock } from '../../ports/clock.ts';
import { RememberedWrites, type Restorable } from './remembered-writes.ts';

interface KnownSession {
  principal: Principal;
  lastSeen: number;
}

/**
 * Sign-in sessions, remembering the ones this instance created or served, so that a counsellor
 * on a call is not signed out because Redis lost its data. Entries idle longer than the store's
 * own time-to-live are forgotten, as the store forgets them.
 */
export class RememberingSessions implements Sessions, Restorable {
  private readonly known = new RememberedWrites<KnownSession>();

  constructor(private readonly inner: Sessions, private readonly clock: Clock, private readonly ttlMs: number) {}

  async create(principal: Principal): Promise<string> {
    const token = await this.inner.create(principal);
    this.prune();
    this.known.put(token, { principal, lastSeen: this.clock.now().getTime() });
    return token;
  }
  async get(token: string): Promise<Principal | null> {
    const p = await this.inner.get(token);
    // Not forgotten on a miss: the miss may be the loss itself, seen before the watch reports it.
    if (p) this.known.put(token, { principal: p, lastSeen: this.clock.now().getTime() });
    return p;
  }
  async destroy(token: string): Promise<void> {
    this.known.drop(token);
    await this.inner.destroy(token);
  }
  restoreSession(token: string, principal: Principal): Promise<void> {
    return this.inner.restoreSession(token, principal);
  }

  async restore(): Promise<number> {
    this.prune();
    let n = 0;
    for (const [token, s] of this.known.entries()) {
      await this.inner.restoreSession(token, s.principal);
      n++;
    }
    return n;
  }

  private prune(): void {
    const oldest = this.clock.now().getTime() - this.ttlMs;
    for (const [token, s] of this.known.entries()) if (s.lastSeen < oldest) this.known.drop(token);
  }
}
