import { describe, expect, it } from 'vitest';
import { PbxUnavailableError } from '../../../src/errors.ts';
import type { TestHotline } from '../../fakes/hotline-harness.ts';
import { hotlinePerTest } from './hotline-per-test.ts';

let h: TestHotline;
hotlinePerTest((started) => void (h = started));

/** The connection to Asterisk drops in the middle of a step: the request fails, then the event stream goes. */
function cutDuring(op: 'addToBridge' | 'play'): void {
  h.telephony.failOn(op, { error: new PbxUnavailableError('connect ECONNREFUSED 127.0.0.1:8088') });
  queueMicrotask(() => h.telephony.emit({ type: 'connection', state: 'down' }));
}

describe('the PBX connection drops in the middle of a step', () => {
  it('keeps a caller who was joining the queue: not handed to the dialplan, queued once the connection is back', async () => {
    await h.callerInQueue('caller-a', '0', { hearNotice: false });
    h.clock.advance(1000);
    h.telephony.callerEnters('caller-b');
    await h.settle();
    h.telephony.dtmf('caller-b', '1');
    await h.settle();
    cutDuring('addToBridge');
    h.telephony.dtmf('caller-b', '0');
    await h.settle();
    await h.advance(1500, 500);
    expect(h.telephony.callsOf('continueInDialplan'), 'not sent to the fallback').toEqual([]);
    expect(h.calls.getCall('caller-b')?.phase).toBe('queued');

    h.telephony.emit({ type: 'connection', state: 'up' });
    await h.settle();
    const queue = await h.stores.store.listCallers();
    expect(queue.map((c) => c.callId), 'joined again, behind the caller who was first').toEqual(['caller-a', 'caller-b']);
    expect(h.telephony.bridgeMembers('hotline-holding').sort()).toEqual(['caller-a', 'caller-b']);
  });

  it('starts the menus again for a caller interrupted in them', async () => {
    h.telephony.callerEnters('caller-1');
    await h.settle();
    cutDuring('play');
    h.telephony.dtmf('caller-1', '1'); // the next menu's prompt cannot be played
    await h.settle();
    await h.advance(1500, 500);
    expect(h.telephony.callsOf('continueInDialplan')).toEqual([]);
    const plays = h.telephony.callsOf('play').length;
    h.telephony.emit({ type: 'connection', state: 'up' });
    await h.settle();
    expect(h.telephony.callsOf('play').length, 'the menus play again').toBeGreaterThan(plays);
    expect(h.calls.getCall('caller-1')?.phase).toBe('ivr');
  });

  it('still hands a caller to the dialplan when a request fails but the connection stays up', async () => {
    h.telephony.callerEnters('caller-1');
    await h.settle();
    h.telephony.failOn('play', { error: new PbxUnavailableError('timeout') });
    h.telephony.dtmf('caller-1', '1');
    await h.settle();
    await h.advance(1500, 500);
    expect(h.telephony.callsOf('continueInDialplan').map(([id]) => id)).toEqual(['caller-1']);
  });
});
