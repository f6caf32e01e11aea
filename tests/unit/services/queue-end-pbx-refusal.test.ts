import { describe, expect, it } from 'vitest';
import { PbxOperationError } from '../../../src/errors.ts';
import type { TestHotline } from '../../fakes/hotline-harness.ts';
import { hotlinePerTest } from './hotline-per-test.ts';

let h: TestHotline;
hotlinePerTest((started) => void (h = started));

// Chaos scenario 5: Asterisk, shutting down, ended the callers' channels and then answered 503 to
// the hang-up of the counsellors' legs; the counsellors stayed on-call and were never offered again.
describe('a call ends while the PBX refuses its clean-up', () => {
  const unavailable = (what: string) => new PbxOperationError(what, 503, '503 Service Unavailable');

  it('frees the counsellor even though their leg could not be hung up', async () => {
    await h.online('1001');
    await h.callerInQueue('caller-1');
    const leg = h.offerFor('caller-1')?.channelId ?? '';
    h.telephony.answerLeg(leg);
    await h.settle();
    expect(h.calls.getCall('caller-1')?.phase).toBe('connected');

    h.telephony.failOn('hangup', { when: (id) => id === leg, error: unavailable(`DELETE /channels/${leg}`) });
    h.telephony.failOn('destroyBridge', { error: unavailable('DELETE /bridges/call-caller-1') });
    h.telephony.remoteHangup('caller-1');
    await h.settle();

    expect((await h.counsellors.get('c1'))?.status).not.toBe('on-call');
    expect(await h.stores.store.claimOf('c1'), 'the counsellor claim is released').toBeNull();
    expect(h.stores.events.ofType('complete')).toMatchObject([{ callId: 'caller-1', counsellorId: 'c1' }]);
  });
});
