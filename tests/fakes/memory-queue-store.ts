import { compareCallers } from '../../src/domain/routing/ordering.ts';
import type { CounsellorSnapshot } from '../../src/domain/routing/types.ts';
import type { QueuedCaller, QueueStore } from '../../src/ports/queue-store.ts';
import { jsonCopy } from './clone.ts';

/**
 * The live queue in memory, with the same claim rules as the Redis Lua scripts: a claim takes the
 * caller and every counsellor at once or nothing, and a release only frees a claim held with the
 * same token. Check-and-set happens without an await in between, so concurrent claims in one
 * process are exclusive exactly as they are in Redis.
 */
export class MemoryQueueStore implements QueueStore {
  private readonly callers = new Map<string, QueuedCaller>();
  private readonly counsellors = new Map<string, CounsellorSnapshot>();
  private readonly claims = new Map<string, string>();

  /** Test helper: the store lost its data (claims included). */
  clear(): void {
    this.callers.clear();
    this.counsellors.clear();
    this.claims.clear();
  }

  async putCaller(caller: QueuedCaller): Promise<void> {
    this.callers.set(caller.callId, jsonCopy(caller));
  }
  async getCaller(callId: string): Promise<QueuedCaller | null> {
    const c = this.callers.get(callId);
    return c ? jsonCopy(c) : null;
  }
  async removeCaller(callId: string): Promise<void> {
    this.callers.delete(callId);
  }
  async listCallers(): Promise<QueuedCaller[]> {
    return [...this.callers.values()].sort(compareCallers).map(jsonCopy);
  }
  async putCounsellor(snapshot: CounsellorSnapshot): Promise<void> {
    this.counsellors.set(snapshot.id, jsonCopy(snapshot));
  }
  async getCounsellor(id: string): Promise<CounsellorSnapshot | null> {
    const s = this.counsellors.get(id);
    return s ? jsonCopy(s) : null;
  }
  async listCounsellors(): Promise<CounsellorSnapshot[]> {
    return [...this.counsellors.values()].map(jsonCopy);
  }
  async removeCounsellor(id: string): Promise<void> {
    this.counsellors.delete(id);
  }

  async claim(callId: string, counsellorIds: string[], token: string): Promise<boolean> {
    const keys = [`caller:${callId}`, ...counsellorIds.map((id) => `agent:${id}`)];
    if (keys.some((k) => this.claims.has(k))) return false;
    for (const k of keys) this.claims.set(k, token);
    return true;
  }
  async releaseCaller(callId: string, token: string): Promise<void> {
    this.release(`caller:${callId}`, token);
  }
  async releaseCounsellor(counsellorId: string, token: string): Promise<void> {
    this.release(`agent:${counsellorId}`, token);
  }
  async claimOf(counsellorId: string): Promise<string | null> {
    return this.claims.get(`agent:${counsellorId}`) ?? null;
  }
  /** Test inspection: the token holding a caller, or null. */
  callerClaim(callId: string): string | null {
    return this.claims.get(`caller:${callId}`) ?? null;
  }

  private release(key: string, token: string): void {
    if (this.claims.get(key) === token) this.claims.delete(key);
  }
}
