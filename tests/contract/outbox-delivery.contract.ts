import { expect, it } from 'vitest';
import type { OutboxDelivery } from '../../src/ports/order-delivery.ts';

/**
 * The outbox as the delivery worker uses it, for the PostgreSQL adapter and the memory fake alike.
 * `seed(n)` stores n orders in turn, each with three outbox rows (ids 3i+1…3i+3, the order's
 * `notify-supervisors`, then `notify-centre`, then `schedule-deadline`).
 */
export function outboxDeliveryContract(make: () => Promise<{ outbox: OutboxDelivery; seed: (orders: number) => Promise<void> }>): void {
  const T0 = Date.parse('2026-03-10T02:00:00.000Z');
  const at = (ms: number) => new Date(T0 + ms);

  it('two claims at once never lease the same row; an order\'s later rows wait for its first', async () => {
    const { outbox, seed } = await make();
    await seed(20);
    const [a, b] = await Promise.all([outbox.claim('a', 15, at(0), 60_000), outbox.claim('b', 15, at(0), 60_000)]);
    const ids = [...a, ...b].map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(20);
    expect([...a, ...b].every((m) => m.command.type === 'notify-supervisors' && m.attempts === 0)).toBe(true);
  });

  it('a lease keeps other workers off until it runs out; the worker that lost it cannot complete', async () => {
    const { outbox, seed } = await make();
    await seed(1);
    expect((await outbox.claim('a', 10, at(0), 60_000)).map((m) => m.id)).toEqual([1]);
    expect(await outbox.claim('b', 10, at(59_000), 60_000)).toEqual([]);
    expect((await outbox.claim('b', 10, at(60_000), 60_000)).map((m) => m.id)).toEqual([1]);
    await outbox.complete(1, 'a', at(60_000));
    expect((await outbox.claim('c', 10, at(120_000), 60_000)).map((m) => m.id)).toEqual([1]);
    await outbox.complete(1, 'c', at(120_000));
    expect((await outbox.claim('c', 10, at(120_000), 60_000)).map((m) => m.id)).toEqual([2]);
  });

  it('channel marks: a sent channel stays sent, a sending one is reported as such', async () => {
    const { outbox, seed } = await make();
    await seed(1);
    await outbox.claim('a', 1, at(0), 1000);
    await outbox.markSending(1, 'webhook', at(0));
    await outbox.markSent(1, 'webhook', at(0));
    await outbox.markSending(1, 'webhook', at(0)); // a late repeat does not undo `sent`
    await outbox.markSending(1, 'email', at(0));
    const [m] = await outbox.claim('b', 1, at(1000), 1000);
    expect(m?.channels).toEqual({ webhook: 'sent', email: 'sending' });
  });

  it('a failure waits for its retry time; the last one sets the row aside and lets the order\'s next row through', async () => {
    const { outbox, seed } = await make();
    await seed(1);
    await outbox.claim('a', 1, at(0), 60_000);
    await outbox.fail(1, 'a', 'HTTP 503', at(5000), at(0));
    expect(await outbox.claim('a', 10, at(4999), 60_000)).toEqual([]);
    const [m] = await outbox.claim('a', 10, at(5000), 60_000);
    expect(m).toMatchObject({ id: 1, attempts: 1 });
    await outbox.fail(1, 'a', 'HTTP 503 again', null, at(5000));
    expect(await outbox.deadLetters(10)).toEqual([expect.objectContaining({ id: 1, attempts: 2, lastError: 'HTTP 503 again' })]);
    expect((await outbox.claim('a', 10, at(5000), 60_000)).map((x) => x.id)).toEqual([2]);
  });

  it('released rows are claimable at once, by anyone', async () => {
    const { outbox, seed } = await make();
    await seed(2);
    expect((await outbox.claim('a', 10, at(0), 60_000)).map((m) => m.id)).toEqual([1, 4]);
    await outbox.release([4], 'b'); // not b's: nothing happens
    expect(await outbox.claim('b', 10, at(0), 60_000)).toEqual([]);
    await outbox.release([4], 'a');
    expect((await outbox.claim('b', 10, at(0), 60_000)).map((m) => m.id)).toEqual([4]);
  });
}
