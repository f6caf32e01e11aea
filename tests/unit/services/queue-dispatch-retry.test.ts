import { describe, expect, it, vi } from 'vitest';
import type { TestHotline } from '../../fakes/hotline-harness.ts';
import { hotlinePerTest } from './hotline-per-test.ts';

let h: TestHotline;
hotlinePerTest((started) => void (h = started));

describe('a matching pass that fails', () => {
  it('is retried by itself, without waiting for another event', async () => {
    await h.callerInQueue('caller-1');
    // The store does not answer for the pass the counsellor's sign-in starts (Redis restarting).
    const listCallers = vi.spyOn(h.stores.store, 'listCallers').mockRejectedValueOnce(new Error('Connection is closed.'));
    await h.online('1002');
    expect(listCallers).toHaveBeenCalled();
    expect(h.offerFor('caller-1'), 'the failed pass rang nobody').toBeUndefined();

    await h.advance(300, 100);
    expect(h.offerFor('caller-1')?.appArgs.slice(1, 3)).toEqual(['caller-1', 'c2']);
  });

  it('backs off while the store stays away, and rings once it answers', async () => {
    await h.callerInQueue('caller-1');
    const listCallers = vi.spyOn(h.stores.store, 'listCallers');
    for (let i = 0; i < 4; i++) listCallers.mockRejectedValueOnce(new Error('Connection is closed.'));
    await h.online('1002');
    await h.advance(1000, 50); // retries after 250, 500 ms: the third fails too
    expect(listCallers.mock.calls.length).toBe(3);
    expect(h.offerFor('caller-1')).toBeUndefined();
    await h.advance(3000, 100); // 1 s, then 2 s later: the fifth pass works
    expect(h.offerFor('caller-1')?.appArgs.slice(1, 3)).toEqual(['caller-1', 'c2']);
  });
});
