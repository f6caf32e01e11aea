import { describe, expect, it } from 'vitest';
import type { TestHotline } from '../../fakes/hotline-harness.ts';
import { hotlinePerTest } from './hotline-per-test.ts';

let h: TestHotline;
hotlinePerTest((started) => void (h = started));

const mediaOn = (channelId: string) => h.telephony.playbacksOn(channelId).map((p) => p.sounds);

describe('callback while waiting', () => {
  it('after the offer prompt, key 1 creates a job, plays the confirmation and then hangs up', async () => {
    await h.callerInQueue('caller-1', '0', { number: '13700001111' });
    const enqueuedAt = (await h.stores.store.getCaller('caller-1'))?.enqueuedAt;
    // Nobody qualified is signed in, so the callback is offered early (8 s).
    await h.advance(8000);
    expect(mediaOn('caller-1')).toEqual([[{ prompt: 'queue_callback_offer', language: 'cmn' }]]);
    const offerPrompt = h.telephony.playbacksOn('caller-1')[0]?.id;

    h.telephony.dtmf('caller-1', '1');
    await h.settle();
    expect(h.stores.jobs.callbacks).toEqual([
      expect.objectContaining({ callId: 'caller-1', callerNumber: '13700001111', enqueuedAt, routing: expect.objectContaining({ need: 'general', priority: 50 }) }),
    ]);
    expect(h.telephony.callsOf('stopPlayback')).toContainEqual([offerPrompt]);
    expect(mediaOn('caller-1')).toEqual([[{ prompt: 'queue_callback_confirmed', language: 'cmn' }]]);
    expect(h.telephony.channel('caller-1')).toBeDefined(); // not hung up before the confirmation is heard
    expect(h.stores.events.ofType('callback-requested')).toMatchObject([{ callId: 'caller-1', data: { jobId: 'callback-caller-1', waitMs: 8000 } }]);

    h.telephony.finishPlaybacksOn('caller-1');
    await h.settle();
    expect(h.telephony.callsOf('hangup')).toContainEqual(['caller-1', undefined]);
    expect(h.telephony.channel('caller-1')).toBeUndefined();
    expect((await h.stores.records.get('caller-1'))?.outcome).toBe('callback-requested');
    expect(h.stores.events.ofType('abandon')).toEqual([]);
    expect(await h.stores.store.listCallers()).toEqual([]);
  });

  it('ignores key 1 before the callback was offered', async () => {
    await h.callerInQueue('caller-1');
    h.telephony.dtmf('caller-1', '1');
    await h.settle();
    expect(h.stores.jobs.callbacks).toEqual([]);
    expect(h.telephony.channel('caller-1')?.inApp).toBe(true);
  });

  it('offers the callback after callbackOfferAfterMs when a qualified counsellor is signed in but busy', async () => {
    await h.online('1002');
    await h.counsellors.apply('c2', { type: 'pause', reason: 'break' });
    await h.callerInQueue('caller-1');
    const heard = () => h.telephony.callsOf('play').flatMap(([, m]) => m);
    const listen = async (ms: number) => {
      for (let t = 0; t < ms; t += 5000) {
        await h.advance(5000);
        h.telephony.finishPlaybacksOn('caller-1'); // each announcement is heard to the end
        await h.settle();
      }
    };
    await listen(115_000);
    expect(heard()).toContainEqual({ prompt: 'queue_position_prefix', language: 'cmn' });
    expect(heard()).not.toContainEqual({ prompt: 'queue_callback_offer', language: 'cmn' });
    await listen(5000);
    expect(heard()).toContainEqual({ prompt: 'queue_callback_offer', language: 'cmn' });
  });

  it('keeps the caller waiting in the queue when the callback cannot be stored', async () => {
    h.stores.jobs.failWith = new Error('redis down');
    await h.callerInQueue('caller-1');
    await h.advance(8000);
    h.telephony.dtmf('caller-1', '1');
    await h.settle();
    // Nothing is lost and nobody is hung up on: the caller keeps their place.
    expect(h.telephony.callsOf('hangup')).toEqual([]);
    expect(h.telephony.callsOf('continueInDialplan')).toEqual([]);
    expect((await h.stores.store.listCallers()).map((c) => c.callId)).toEqual(['caller-1']);
    expect((await h.stores.store.getCaller('caller-1'))?.callbackRequested).toBe(false);
  });
});

describe('a callback offer that falls due while another prompt plays', () => {
  // Regression: the offer must neither be lost nor count as heard while another prompt plays.
  async function offerDueDuringNotice(): Promise<void> {
    await h.callerInQueue('caller-1', '0', { hearNotice: false });
    await h.advance(8000); // the notice is still playing when the (early) callback offer is due
    await h.hearAll('caller-1');
  }

  it('key 1 does not hang up a caller who never heard the callback offer', async () => {
    await offerDueDuringNotice();
    h.telephony.dtmf('caller-1', '1');
    await h.settle();
    expect(h.stores.jobs.callbacks).toEqual([]);
  });

  it('the offer is played once the prompt it would have talked over has ended', async () => {
    await offerDueDuringNotice();
    await h.advance(10_000);
    expect(h.telephony.callsOf('play').flatMap(([, m]) => m)).toContainEqual({ prompt: 'queue_callback_offer', language: 'cmn' });
  });
});

describe('position announcements', () => {
  it('tells a waiting caller their position every announceEveryMs, never over another prompt', async () => {
    await h.callerInQueue('caller-1');
    await h.callerInQueue('caller-2');
    await h.advance(8000); // the callback offers play first
    h.telephony.finishPlaybacksOn('caller-1');
    h.telephony.finishPlaybacksOn('caller-2');
    await h.settle();
    await h.advance(37_000, 5000);
    const announced = mediaOn('caller-2')[0] ?? [];
    expect(announced[0]).toEqual({ prompt: 'queue_position_prefix', language: 'cmn' });
    expect(announced).toContainEqual({ prompt: 'digit_1', language: 'cmn' }); // one caller ahead
  });
});
