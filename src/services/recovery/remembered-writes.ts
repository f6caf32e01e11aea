/**
 * What this instance last wrote under each key, as a copy (the store holds JSON too). Kept so that
 * a store that lost its data (Redis restarted without persistence, or flushed) can be given back
 * what this instance knows, instead of every waiting caller being forgotten.
 */
export class RememberedWrites<T> {
  private readonly items = new Map<string, T>();

  put(key: string, value: T): void {
    this.items.set(key, structuredClone(value));
  }
  drop(key: string): void {
    this.items.delete(key);
  }
  has(key: string): boolean {
    return this.items.has(key);
  }
  /** The keys whose remembered value passes `test` (no copies made: `test` must not change it). */
  keysWhere(test: (value: Readonly<T>) => boolean): string[] {
    const keys: string[] = [];
    for (const [k, v] of this.items) if (test(v)) keys.push(k);
    return keys;
  }
  entries(): Array<[string, T]> {
    return [...this.items.entries()].map(([k, v]) => [k, structuredClone(v)]);
  }
  get size(): number {
    return this.items.size;
  }
}

/** A port wrapper that can write back what this instance remembers after the store lost its data. */
export interface Restorable {
  /** Writes back every remembered item; returns how many were written. */
  restore(): Promise<number>;
}
