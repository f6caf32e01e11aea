import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../src/ports/auth.ts';
import { holdBridgeOf } from '../../../src/services/transfer/transfer-service.ts';
import type { TestHotline } from '../../fakes/hotline-harness.ts';
import { restartableHotlinePerTest } from './restartable-hotline.ts';

/** A transfer under way when the service restarts: what the legs did meanwhile decides, and the caller is never left holding. */

const hotline = restartableHotlinePerTest();
const c1 = { userId: 'c1', role: 'counsellor' } as Principal;
const CALL = 'call-caller-1';

async function transferring(h: TestHotline): Promise<{ counsellorLeg: string; colleagueLeg: string }> {
  await h.online('1001');
  await h.callerInQueue('caller-1', '1');
  const counsellorLeg = h.offerFor('caller-1')?.channelId ?? '';
  h.telephony.answerLeg(counsellorLeg);
  await h.settle();
  await h.online('1002');
  const { id } = await h.transfers.transfer('caller-1', 'c2', 'warm', c1);
  await h.settle();
  expect(h.telephony.bridgeMembers(holdBridgeOf('caller-1'))).toEqual(['caller-1']);
  return { counsellorLeg, colleagueLeg: id };
}

describe('a transfer across a restart', () => {
  it('the colleague stopped ringing while the service was away: the caller is back with the counsellor', async () => {
    const { counsellorLeg, colleagueLeg } = await transferring(hotline.before());
    const h = await hotline.restart((t) => t.pbx.destroy(colleagueLeg));
    await h.settle();
    expect(h.telephony.bridgeMembers(CALL).sort()).toEqual(['caller-1', counsellorLeg].sort());
    expect(h.telephony.pbx.bridges.has(holdBridgeOf('caller-1'))).toBe(false);
    expect(h.calls.getCall('caller-1')).toMatchObject({ phase: 'connected', counsellorId: 'c1', transfer: null });
  });

  it('the colleague answered while the service was away: the consult begins', async () => {
    const { counsellorLeg, colleagueLeg } = await transferring(hotline.before());
    const h = await hotline.restart((t) => {
      const leg = t.pbx.channels.get(colleagueLeg);
      if (leg) Object.assign(leg, { state: 'Up', inApp: true });
    });
    await h.settle();
    expect(h.telephony.bridgeMembers(CALL).sort()).toEqual([counsellorLeg, colleagueLeg].sort());
    expect(h.transfers.activeFor('caller-1')).toMatchObject({ status: 'consulting' });
    expect(await h.transfers.complete('caller-1', c1)).toEqual({ status: 'completed' });
    await h.settle();
    expect(h.telephony.bridgeMembers(CALL).sort()).toEqual(['caller-1', colleagueLeg].sort());
    expect(h.telephony.pbx.bridges.has(holdBridgeOf('caller-1'))).toBe(false);
  });
});
