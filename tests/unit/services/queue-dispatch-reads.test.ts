import { describe, expect, it, vi } from 'vitest';
import type { TestHotline } from '../../fakes/hotline-harness.ts';
import { hotlinePerTest } from './hotline-per-test.ts';

let h: TestHotline;
hotlinePerTest((started) => void (h = started));

describe('a matching pass', () => {
  it('does not read the waiting callers while no counsellor can be rung', async () => {
    for (const id of ['caller-1', 'caller-2', 'caller-3']) await h.callerInQueue(id);
    const listCallers = vi.spyOn(h.stores.store, 'listCallers');
    await h.queue.offers.dispatch();
    expect(listCallers, 'nobody is free: the queue is not read').not.toHaveBeenCalled();

    await h.online('1002');
    expect(listCallers).toHaveBeenCalled();
    expect(h.offerFor('caller-1')?.appArgs.slice(1, 3)).toEqual(['caller-1', 'c2']);
  });
});
