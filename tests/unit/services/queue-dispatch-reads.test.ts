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

  it('reads the callers and the counsellors at once when a counsellor just became free (one round trip less per hand-off)', async () => {
    for (const id of ['caller-1', 'caller-2']) await h.callerInQueue(id);
    const store = h.stores.store;
    const inFlight = { callers: 0, counsellors: 0 };
    let overlapped = false;
    const track = <T>(kind: 'callers' | 'counsellors', read: () => Promise<T>) => async (): Promise<T> => {
      inFlight[kind]++;
      if (inFlight[kind === 'callers' ? 'counsellors' : 'callers'] > 0) overlapped = true;
      try {
        return await read();
      } finally {
        inFlight[kind]--;
      }
    };
    const readCallers = store.listCallers.bind(store);
    const readCounsellors = store.listCounsellors.bind(store);
    vi.spyOn(store, 'listCallers').mockImplementation(track('callers', readCallers));
    vi.spyOn(store, 'listCounsellors').mockImplementation(track('counsellors', readCounsellors));

    await h.queue.offers.dispatch();
    expect(overlapped, 'a pass for an arriving caller reads the counsellors first').toBe(false);

    await h.online('1002');
    expect(overlapped, 'the pass after c2 became available read both lists together').toBe(true);
    expect(h.offerFor('caller-1')?.appArgs.slice(1, 3)).toEqual(['caller-1', 'c2']);
  });
});
