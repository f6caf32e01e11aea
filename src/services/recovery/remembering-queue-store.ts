import type { CounsellorSnapshot } from '../../domain/routing/types.ts';
import type { QueuedCaller, QueueStore } from '../../ports/queue-store.ts';
import { RememberedWrites, type Restorable } from './remembered-writes.ts';

/**
 * The queue store, remembering the callers and counsellor snapshots this instance wrote. Claims
 * are not remembered: after a loss the resync withdraws ringing offers (their claims went with
 * the data) and a connected counsellor is kept out of matching by their restored busy state.
 */
export class RememberingQueueStore implements QueueStore, Restorable {
  private readonly callers = new RememberedWrites<QueuedCaller>();
  private readonly counsellors = new RememberedWrites<CounsellorSnapshot>();

  constructor(private readonly inner: QueueStore) {}

  async putCaller(caller: QueuedCaller): Promise<void> {
    await this.inner.putCaller(caller);
    this.callers.put(caller.callId, caller);
  }
  getCaller(callId: string): Promise<QueuedCaller | null> {
    return this.inner.getCaller(callId);
  }
  async removeCaller(callId: string): Promise<void> {
    this.callers.drop(callId);
    await this.inner.removeCaller(callId);
  }
  listCallers(): Promise<QueuedCaller[]> {
    return this.inner.listCallers();
  }
  async putCounsellor(snapshot: CounsellorSnapshot): Promise<void> {
    await this.inner.putCounsellor(snapshot);
    this.counsellors.put(snapshot.id, snapshot);
  }
  getCounsellor(id: string): Promise<CounsellorSnapshot | null> {
    return this.inner.getCounsellor(id);
  }
  listCounsellors(): Promise<CounsellorSnapshot[]> {
    return this.inner.listCounsellors();
  }
  async removeCounsellor(id: string): Promise<void> {
    this.counsellors.drop(id);
    await this.inner.removeCounsellor(id);
  }
  claim(callId: string, counsellorIds: string[], token: string): Promise<boolean> {
    return this.inner.claim(callId, counsellorIds, token);
  }
  releaseCaller(callId: string, token: string): Promise<void> {
    return this.inner.releaseCaller(callId, token);
  }
  releaseCounsellor(counsellorId: string, token: string): Promise<void> {
    return this.inner.releaseCounsellor(counsellorId, token);
  }
  claimOf(counsellorId: string): Promise<string | null> {
    return this.inner.claimOf(counsellorId);
  }

  /** Counsellors first: a restored caller may be matched at once, and needs them to be there. */
  async restore(): Promise<number> {
    let n = 0;
    for (const [, s] of this.counsellors.entries()) {
      // A snapshot written since the loss (by us or another instance) is newer than ours.
      if (await this.inner.getCounsellor(s.id)) continue;
      await this.inner.putCounsellor(s);
      n++;
    }
    for (const [callId, c] of this.callers.entries()) {
      if (!this.callers.has(callId) || (await this.inner.getCaller(callId))) continue;
      await this.inner.putCaller(c);
      n++;
    }
    return n;
  }
}
