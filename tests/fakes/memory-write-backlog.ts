import { BacklogFullError, type BacklogItem, type WriteBacklog } from '../../src/ports/deferred-writes.ts';
import { jsonCopy } from './clone.ts';

/** The write backlog in memory, with the Redis adapter's cap and flush lock. */
export class MemoryWriteBacklog implements WriteBacklog {
  readonly items: BacklogItem[] = [];
  readonly dead: Array<BacklogItem & { why: string }> = [];
  private lock: string | null = null;

  constructor(private readonly capacity = 100_000) {}

  async push(item: BacklogItem): Promise<void> {
    if (this.items.length >= this.capacity) throw new BacklogFullError(this.capacity);
    this.items.push(jsonCopy(item));
  }
  async head(n: number): Promise<BacklogItem[]> {
    return this.items.slice(0, n).map(jsonCopy);
  }
  async dropHead(n: number): Promise<void> {
    this.items.splice(0, n);
  }
  async deadLetter(item: BacklogItem, why: string): Promise<void> {
    this.dead.push({ ...jsonCopy(item), why });
  }
  async length(): Promise<number> {
    return this.items.length;
  }
  async lockFlush(owner: string): Promise<boolean> {
    if (this.lock && this.lock !== owner) return false;
    this.lock = owner;
    return true;
  }
  async unlockFlush(owner: string): Promise<void> {
    if (this.lock === owner) this.lock = null;
  }
}
