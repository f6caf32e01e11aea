import { describe, expect, it } from 'vitest';
import { PbxNotFoundError, PbxOperationError, PbxUnavailableError } from '../../../src/errors.ts';
import type { TestHotline } from '../../fakes/hotline-harness.ts';
import { hotlinePerTest } from './hotline-per-test.ts';

const FALLBACK = { context: 'hotline-fallback', extension: 's', priority: 1 };
let h: TestHotline;
hotlinePerTest((started) => void (h = started));

describe('duty of care: a failure while handling a caller', () => {
  it('hands the caller to the dialplan fallback when the first prompt cannot be played', async () => {
    h.telephony.failOn('play');
    h.telephony.callerEnters('caller-1');
    await h.settle();

    expect(h.telephony.callsOf('continueInDialplan')).toEqual([['caller-1', FALLBACK]]);
    expect(h.telephony.channel('caller-1')).toMatchObject({ inApp: false, dialplan: FALLBACK });
    expect(h.telephony.callsOf('hangup')).toEqual([]);
    expect(await h.stores.records.get('caller-1')).toMatchObject({ outcome: 'handed-to-dialplan' });
    expect(await h.stores.liveCalls.get('caller-1')).toBeNull();
  });

  it('hands the caller over when a menu key cannot be handled', async () => {
    h.telephony.callerEnters('caller-1');
    await h.settle();
    h.telephony.failOn('stopPlayback', { error: new PbxOperationError('DELETE /playbacks', 500, 'boom') });
    h.telephony.dtmf('caller-1', '1');
    await h.settle();

    expect(h.telephony.callsOf('continueInDialplan')).toEqual([['caller-1', FALLBACK]]);
    expect((await h.stores.records.get('caller-1'))?.outcome).toBe('handed-to-dialplan');
    // Keys pressed after the hand-over are not ours any more.
    h.telephony.dtmf('caller-1', '0');
    await h.settle();
    expect(await h.stores.store.listCallers()).toEqual([]);
  });

  it('hands the caller over when the holding bridge refuses them', async () => {
    h.telephony.failOn('addToBridge', { when: (bridge) => bridge === 'hotline-holding' });
    await h.callerInQueue('caller-1');

    expect(h.telephony.callsOf('continueInDialplan')).toEqual([['caller-1', FALLBACK]]);
    expect((await h.stores.records.get('caller-1'))?.outcome).toBe('handed-to-dialplan');
    expect(await h.stores.store.listCallers()).toEqual([]);
  });

  it('hands the caller over only once, even when more events fail', async () => {
    h.telephony.failOn('play', { times: Infinity });
    h.telephony.autoEvents = false; // the channel-left after the hand-over is late
    h.telephony.callerEnters('caller-1');
    await h.settle();
    h.telephony.dtmf('caller-1', '1');
    await h.settle();
    expect(h.telephony.callsOf('continueInDialplan')).toHaveLength(1);
  });

  // Regression: a hand-over refused for a moment (ARI timeout, 5xx) must be tried again, never
  // leaving the caller in silence.
  it('tries the hand-over again when the PBX refused it for a moment', async () => {
    h.telephony.failOn('play');
    h.telephony.failOn('continueInDialplan', { error: new PbxUnavailableError('timeout') });
    h.telephony.callerEnters('caller-1');
    await h.settle();
    h.telephony.emit({ type: 'connection', state: 'up' }); // and ARI reconnects, too
    await h.settle();
    await h.advance(10_000);
    expect(h.telephony.channel('caller-1')).toMatchObject({ inApp: false, dialplan: FALLBACK });
  });

  it('survives a caller who is already gone when the hand-over is tried', async () => {
    h.telephony.failOn('play');
    h.telephony.failOn('continueInDialplan');
    h.telephony.callerEnters('caller-1');
    await h.settle();
    expect(h.telephony.callsOf('continueInDialplan')).toHaveLength(1);
    h.telephony.remoteHangup('caller-1');
    await h.settle();
    expect((await h.stores.records.get('caller-1'))?.outcome).toBe('handed-to-dialplan');
  });
});

// Regression (CI): a waiting caller's step failed because they were hanging up. The failure path
// asked the PBX about the channel (still listed for a moment after StasisEnd); the answer came
// while the hang-up was being handled, and marking the call 'ending' then turned the record's
// 'abandoned' into 'completed'.
describe('a failure and the hang-up that caused it, crossing', () => {
  it('closes a waiting caller who hung up as abandoned, not completed, and hands nothing to the dialplan', async () => {
    await h.callerInQueue('caller-1', '1');
    expect((await h.stores.store.listCallers()).map((c) => c.callId)).toEqual(['caller-1']);

    // The look-up is answered only once the hang-up's clean-up is under way.
    let answerLookUp!: () => void;
    const lookUpHeld = new Promise<void>((r) => (answerLookUp = r));
    const lookUp = h.telephony.getChannel.bind(h.telephony);
    h.telephony.getChannel = async (id) => {
      await lookUpHeld;
      return lookUp(id);
    };
    const removeCaller = h.stores.store.removeCaller.bind(h.stores.store);
    h.stores.store.removeCaller = async (id) => {
      answerLookUp();
      await h.settle();
      return removeCaller(id);
    };
    h.telephony.failOn('play', { times: Infinity });
    await h.advance(46_000); // the position announcement (or callback offer) fails
    expect(h.telephony.callsOf('continueInDialplan')).toEqual([]);
    h.telephony.emit({ type: 'channel-left', channelId: 'caller-1' }); // StasisEnd; not destroyed yet
    await h.settle(100);

    expect((await h.stores.records.get('caller-1'))?.outcome).toBe('abandoned');
    expect(h.telephony.callsOf('getChannel'), 'the failure was looked into').toEqual([['caller-1']]);
    expect(h.telephony.callsOf('continueInDialplan')).toEqual([]);
    expect(await h.stores.store.listCallers()).toEqual([]);
    expect(await h.stores.liveCalls.get('caller-1')).toBeNull();
  });

  // Soak: a waiting caller hung up as a prompt started; the play failed (404), Asterisk still
  // listed the channel, so the service handed the caller over; the hand-over found no channel.
  it('closes a waiting caller as abandoned when the hand-over finds them gone, whichever of the two is heard first', async () => {
    for (const departureFirst of [true, false]) {
      const id = `caller-${departureFirst ? 'a' : 'b'}`;
      await h.callerInQueue(id, '1');
      let answerContinue!: () => void;
      const continueHeld = new Promise<void>((r) => (answerContinue = r));
      h.telephony.continueInDialplan = async (channelId) => {
        await continueHeld;
        throw new PbxNotFoundError(`POST /channels/${channelId}/continue`);
      };
      h.telephony.failOn('play', { when: (target) => 'channelId' in target && target.channelId === id, error: new PbxNotFoundError('POST /channels/…/play') });
      await h.advance(46_000); // the position announcement fails
      if (departureFirst) {
        h.telephony.remoteHangup(id);
        await h.settle();
        answerContinue();
      } else {
        answerContinue();
        await h.settle();
        h.telephony.remoteHangup(id);
      }
      await h.settle(100);
      expect((await h.stores.records.get(id))?.outcome, `departure ${departureFirst ? 'first' : 'second'}`).toBe('abandoned');
      expect(await h.stores.liveCalls.get(id)).toBeNull();
    }
    expect(h.errorLogs().map((l) => l.msg)).not.toContain('could not hand the caller to the dialplan');
  });

  it('still counts a caller handed over as handed-to-dialplan when they hang up in the fallback', async () => {
    await h.callerInQueue('caller-1', '1');
    h.telephony.failOn('play', { times: Infinity });
    await h.advance(46_000);
    expect(h.telephony.callsOf('continueInDialplan')).toEqual([['caller-1', FALLBACK]]);
    h.telephony.remoteHangup('caller-1');
    await h.settle();
    expect((await h.stores.records.get('caller-1'))?.outcome).toBe('handed-to-dialplan');
  });
});
