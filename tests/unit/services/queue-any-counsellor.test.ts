import { describe, expect, it } from 'vitest';
import type { TestHotline } from '../../fakes/hotline-harness.ts';
import { hotlinePerTest } from './hotline-per-test.ts';

let h: TestHotline;
hotlinePerTest((started) => void (h = started));

/** A caller on 12355 who picks Cantonese (2), then the emergency key, and hears the notice. */
async function cantoneseEmergency(channelId: string): Promise<void> {
  h.telephony.callerEnters(channelId, { number: '13800138000' });
  await h.settle();
  for (const key of ['2', '9']) {
    h.telephony.dtmf(channelId, key);
    await h.settle();
  }
  await h.hearAll(channelId);
}

describe('any counsellor after a wait', () => {
  it('offers a Cantonese emergency caller to a Mandarin-only counsellor after the urgent wait, and logs it as widened', async () => {
    expect(h.config.queue.anyCounsellorAfterMs).toEqual({ normal: 60_000, urgent: 10_000 });
    await h.online('1002'); // c2: Mandarin only
    await cantoneseEmergency('caller-1');
    expect(await h.stores.store.getCaller('caller-1')).toMatchObject({ language: 'yue', need: 'emergency', state: 'waiting' });
    await h.advance(8000);
    expect(h.telephony.dialled(), 'no offer before the wait').toEqual([]);

    await h.advance(3000);
    expect(h.offerFor('caller-1')?.appArgs.slice(0, 3)).toEqual(['counsellor', 'caller-1', 'c2']);
    expect(h.stores.events.ofType('offer')).toMatchObject([{ callId: 'caller-1', counsellorId: 'c2', data: { widened: true } }]);
  });

  it('an offer to a counsellor who matches is not marked', async () => {
    await h.online('1001'); // c1: Cantonese too
    await cantoneseEmergency('caller-1');
    expect(h.offerFor('caller-1')?.appArgs[2]).toBe('c1');
    expect(h.stores.events.ofType('offer')[0]?.data).not.toHaveProperty('widened');
  });
});
