import { describe, expect, it } from 'vitest';
import { runBounded } from '../../../src/services/queue/bounded-pass.ts';

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('runBounded', () => {
  it('starts items in order, at most `limit` at a time, and resolves when all ended', async () => {
    const log: string[] = [];
    let running = 0;
    let most = 0;
    await runBounded([1, 2, 3, 4, 5], 2, async (n) => {
      log.push(`start ${n}`);
      most = Math.max(most, ++running);
      for (let i = 0; i < n; i++) await tick();
      running--;
      log.push(`end ${n}`);
    });
    expect(most).toBe(2);
    expect(log.filter((l) => l.startsWith('start'))).toEqual(['start 1', 'start 2', 'start 3', 'start 4', 'start 5']);
    expect(log.filter((l) => l.startsWith('end'))).toHaveLength(5);
  });

  it('after a failure starts nothing new, waits for the running ones, then throws the first failure', async () => {
    const ended: number[] = [];
    const run = runBounded([1, 2, 3, 4], 2, async (n) => {
      if (n === 1) throw new Error('one failed');
      for (let i = 0; i < 5; i++) await tick();
      ended.push(n);
    });
    await expect(run).rejects.toThrow('one failed');
    expect(ended, 'item 2 was running and finished; 3 and 4 never started').toEqual([2]);
  });

  it('takes a limit of at least one, and an empty list', async () => {
    const seen: number[] = [];
    await runBounded([1, 2], 0, async (n) => void seen.push(n));
    await runBounded([], 4, async () => undefined);
    expect(seen).toEqual([1, 2]);
  });
});
