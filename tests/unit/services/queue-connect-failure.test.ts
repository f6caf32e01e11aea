import { describe, expect, it, vi } from 'vitest';
import type { TestHotline } from '../../fakes/hotline-harness.ts';
import { hotlinePerTest } from './hotline-per-test.ts';

let h: TestHotline;
hotlinePerTest((started) => void (h = started));

describe('a counsellor answers but the caller cannot be bridged', () => {
  it('leaves no queue entry or caller claim behind, so the caller can be offered again', async () => {
    await h.online('1001');
    await h.callerInQueue('caller-1');
    const leg = h.offerFor('caller-1')?.channelId ?? '';
    vi.spyOn(h.telephony, 'addToBridge').mockRejectedValueOnce(new Error('ARI 500'));
    h.telephony.answerLeg(leg);
    await h.settle();
    expect(h.telephony.callsOf('continueInDialplan').map(([id]) => id), 'handed to the dialplan').toContain('caller-1');

    expect(await h.stores.store.getCaller('caller-1')).toBeNull();
    expect(await h.stores.store.claim('caller-1', [], 'probe'), 'the caller claim was released').toBe(true);
  });
});
