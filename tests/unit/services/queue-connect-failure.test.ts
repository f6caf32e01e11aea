import { describe, expect, it, vi } from 'vitest';
import { PbxOperationError } from '../../../src/errors.ts';
import type { TestHotline } from '../../fakes/hotline-harness.ts';
import { hotlinePerTest } from './hotline-per-test.ts';

let h: TestHotline;
hotlinePerTest((started) => void (h = started));

/** Asterisk answers 409 to a bridge of the call's first id, as while an earlier one is torn down. */
function asteriskStillHoldsCallBridge(): void {
  h.telephony.failOn('createBridge', { when: (id) => id === 'call-caller-1', error: new PbxOperationError('POST /bridges/call-caller-1', 409, '{"message":"Bridge with id \'call-caller-1\' already exists"}') });
}

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

  it('puts the caller back at their place when the counsellor hung up before the bridge, and offers them again', async () => {
    await h.online('1001');
    await h.callerInQueue('caller-1');
    const enqueuedAt = (await h.stores.store.getCaller('caller-1'))?.enqueuedAt;
    const first = h.offerFor('caller-1');
    const leg = first?.channelId ?? '';
    const plays = h.telephony.callsOf('play').length;
    // The phone answers and drops at once: its hang-up is in before the service bridges it.
    h.telephony.answerLeg(leg);
    h.telephony.remoteHangup(leg);
    await h.settle();

    expect(h.telephony.callsOf('continueInDialplan'), 'not handed to the dialplan').toEqual([]);
    expect(h.telephony.callsOf('hangup').map(([id]) => id)).not.toContain('caller-1');
    expect(h.calls.getCall('caller-1')?.phase).toBe('offered');
    expect(h.telephony.bridgeMembers('hotline-holding')).toEqual(['caller-1']);
    expect(h.telephony.pbx.bridges.has('call-caller-1'), 'the unused call bridge is gone').toBe(false);
    expect(h.telephony.callsOf('play'), 'no new prompt: they wait as they did').toHaveLength(plays);
    expect(h.stores.events.ofType('no-answer')).toMatchObject([{ callId: 'caller-1', counsellorId: 'c1', data: { cause: 'counsellor-left-before-bridge' } }]);
    // Offered again to the counsellor (free again, not counted as a miss), at the caller's first entry time.
    const again = h.offerFor('caller-1');
    expect(again?.appArgs[3]).not.toBe(first?.appArgs[3]);
    expect(await h.stores.store.getCaller('caller-1')).toMatchObject({ enqueuedAt, state: 'offered', offeredTo: ['c1'] });
    expect(await h.counsellors.get('c1')).toMatchObject({ status: 'offered', missedInARow: 0 });

    h.telephony.answerLeg(again?.channelId ?? '');
    await h.settle();
    expect(h.calls.getCall('caller-1')?.phase).toBe('connected');
    expect(h.telephony.bridgeMembers('call-caller-1').sort()).toEqual(['caller-1', again?.channelId].sort());
    expect(await h.stores.store.getCaller('caller-1')).toBeNull();
  });

  // Soak: a caller back from the dialplan fallback (same channel, same call id) found Asterisk still
  // holding the bridge of that id from before, and was handed to the fallback again with 409.
  it('connects in a bridge of a new id when Asterisk still has one of the call\'s id', async () => {
    await h.online('1001');
    await h.callerInQueue('caller-1');
    const offer = h.offerFor('caller-1');
    asteriskStillHoldsCallBridge();
    h.telephony.answerLeg(offer?.channelId ?? '');
    await h.settle();
    const spare = `call-caller-1-${offer?.appArgs[3]}`;
    expect(h.telephony.callsOf('continueInDialplan')).toEqual([]);
    expect(h.calls.getCall('caller-1')).toMatchObject({ phase: 'connected', bridgeId: spare });
    expect((await h.stores.liveCalls.get('caller-1'))?.bridgeId).toBe(spare);
    expect(h.telephony.bridgeMembers(spare).sort()).toEqual(['caller-1', offer?.channelId ?? ''].sort());
  });

  it('removes the spare bridge, not the one Asterisk still had, when the counsellor hung up before the bridge', async () => {
    await h.online('1001');
    await h.callerInQueue('caller-1');
    const offer = h.offerFor('caller-1');
    asteriskStillHoldsCallBridge();
    h.telephony.answerLeg(offer?.channelId ?? '');
    h.telephony.remoteHangup(offer?.channelId ?? '');
    await h.settle();
    const spare = `call-caller-1-${offer?.appArgs[3]}`;
    expect(h.telephony.callsOf('createBridge').map(([id]) => id)).toContain(spare);
    expect(h.telephony.callsOf('destroyBridge').map(([id]) => id)).toContain(spare);
    expect(h.telephony.pbx.bridges.has(spare), 'the spare bridge is gone').toBe(false);
    expect(h.calls.getCall('caller-1')?.phase).toBe('offered');
  });
});
