import { beforeEach, expect, it } from 'vitest';
import { BacklogFullError, type BacklogItem, type WriteBacklog } from '../../src/ports/deferred-writes.ts';

const item = (n: number): BacklogItem => ({
  id: `w${n}`, at: new Date(1_800_000_000_000 + n).toISOString(),
  write: { kind: 'queue-event', event: { at: new Date(1_800_000_000_000 + n).toISOString(), type: 'enter', callId: `call-${n}` } },
});

/** The WriteBacklog contract: an ordered, bounded list with a dead-letter side and a flush lock. `make(capacity)`. */
export function writeBacklogContract(make: (capacity: number) => Promise<WriteBacklog>): void {
  let b: WriteBacklog;
  beforeEach(async () => {
    b = await make(5);
  });

  it('gives writes back oldest first and drops from the head', async () => {
    for (let i = 1; i <= 4; i++) await b.push(item(i));
    expect((await b.head(2)).map((x) => x.id)).toEqual(['w1', 'w2']);
    await b.dropHead(1);
    expect((await b.head(10)).map((x) => x.id)).toEqual(['w2', 'w3', 'w4']);
    expect(await b.length()).toBe(3);
    expect((await b.head(1))[0]).toEqual(item(2));
  });

  it('refuses a write beyond its capacity, and takes writes again once there is room', async () => {
    for (let i = 1; i <= 5; i++) await b.push(item(i));
    await expect(b.push(item(6))).rejects.toBeInstanceOf(BacklogFullError);
    await b.dropHead(1);
    await b.push(item(6));
    expect((await b.head(10)).map((x) => x.id)).toEqual(['w2', 'w3', 'w4', 'w5', 'w6']);
  });

  it('lets one owner flush at a time; only the owner unlocks', async () => {
    expect(await b.lockFlush('a', 10_000)).toBe(true);
    expect(await b.lockFlush('b', 10_000)).toBe(false);
    await b.unlockFlush('b');
    expect(await b.lockFlush('b', 10_000)).toBe(false);
    await b.unlockFlush('a');
    expect(await b.lockFlush('b', 10_000)).toBe(true);
  });

  it('keeps a dead-lettered write out of the backlog', async () => {
    await b.push(item(1));
    await b.deadLetter(item(1), 'refused');
    await b.dropHead(1);
    expect(await b.length()).toBe(0);
  });
}
