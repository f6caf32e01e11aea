import { describe, expect, it } from 'vitest';
import { startTestHotline } from '../../fakes/hotline-harness.ts';

/** Resolves to 'timed out' if `p` has not settled within `ms`: a deadlock fails the test quickly. */
function within<T>(p: Promise<T>, ms = 1000): Promise<T | 'timed out'> {
  return Promise.race([p, new Promise<'timed out'>((r) => setTimeout(() => r('timed out'), ms).unref())]);
}

describe('CallHandle.runOnCall from inside the call\'s own turn', () => {
  it('runs the work as part of the turn instead of waiting for itself', async () => {
    const h = await startTestHotline();
    try {
      h.telephony.callerEnters('caller-1', { number: '13800138000' });
      await h.settle();
      const steps: string[] = [];
      const outer = h.calls.runOnCall('caller-1', async () => {
        await h.calls.runOnCall('caller-1', async () => void steps.push(h.calls.getCall('caller-1')?.phase ?? 'none'));
        steps.push('outer done');
      });
      expect(await within(outer)).toBeUndefined();
      expect(steps).toEqual(['ivr', 'outer done']);
    } finally {
      await h.stop();
    }
  });

  it('treats a channel entering with a leg role a feature declares as a leg, any other as a caller', async () => {
    const h = await startTestHotline();
    try {
      const enters = (channelId: string, role: string) => h.telephony.emit({
        type: 'channel-entered', channelId, channelName: `PJSIP/x-${channelId}`, args: [role, 'no-such-call'],
        caller: { number: '1001', name: '' }, dialled: '', state: 'Up',
      });
      for (const role of ['counsellor', 'emergency', 'snoop', 'supervisor', 'colleague', 'dialback']) enters(`leg-${role}`, role);
      enters('caller-1', 'main');
      await h.settle();
      expect(h.calls.liveCalls().map((c) => c.callId)).toEqual(['caller-1']);
    } finally {
      await h.stop();
    }
  });
});
