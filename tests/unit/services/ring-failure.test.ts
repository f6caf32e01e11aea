import { describe, expect, it } from 'vitest';
import { ringFailedOnPbxSide } from '../../../src/domain/routing/ring-failure.ts';
import type { TestHotline } from '../../fakes/hotline-harness.ts';
import { hotlinePerTest } from './hotline-per-test.ts';

let h: TestHotline;
hotlinePerTest((started) => void (h = started));

describe('a counsellor phone the PBX could not ring', () => {
  it('tells the PBX side from the person', () => {
    for (const t of ['Normal Temporary Failure', 'Switching equipment congestion', 'Resource unavailable, unspecified', 'Network out of order']) expect(ringFailedOnPbxSide(t), t).toBe(true);
    for (const t of ['No Answer', 'User busy', 'No user responding', 'Call Rejected', 'Normal Clearing']) expect(ringFailedOnPbxSide(t), t).toBe(false);
  });

  it('is not a miss: the counsellor is not paused however often it happens', async () => {
    await h.online('1002');
    for (let i = 0; i < 3; i++) {
      await h.callerInQueue(`caller-${i}`);
      const leg = h.offerFor(`caller-${i}`)?.channelId ?? '';
      expect(leg, `offer ${i}`).not.toBe('');
      h.telephony.failLeg(leg, 41, 'Normal Temporary Failure');
      await h.settle();
      h.telephony.remoteHangup(`caller-${i}`);
      await h.settle();
    }
    expect((await h.stores.store.getCounsellor('c2'))?.status).toBe('available');
  });

  it('while two unanswered rings in a row do pause them (queue.maxMissedBeforePause)', async () => {
    await h.online('1002');
    for (let i = 0; i < 2; i++) {
      await h.callerInQueue(`caller-${i}`);
      h.telephony.failLeg(h.offerFor(`caller-${i}`)?.channelId ?? '', 19, 'No Answer');
      await h.settle();
      h.telephony.remoteHangup(`caller-${i}`);
      await h.settle();
    }
    expect((await h.stores.store.getCounsellor('c2'))?.status).toBe('paused');
  });
});
