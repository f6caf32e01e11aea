import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../src/ports/auth.ts';
import type { TestHotline } from '../../fakes/hotline-harness.ts';
import { hotlinePerTest } from './hotline-per-test.ts';

let h: TestHotline;
const supervisor: Principal = { userId: 's1', name: '王督导', role: 'supervisor', team: 'gz', level: 'province' };

// Every test starts with caller-1 connected to c1.
hotlinePerTest(async (started) => {
  h = started;
  await h.online('1001');
  await h.callerInQueue('caller-1');
  h.telephony.answerLeg(h.offerFor('caller-1')?.channelId ?? '');
  await h.settle();
});

const counsellorLeg = () => h.calls.getCall('caller-1')?.counsellorChannelId ?? '';

describe('supervisor monitoring', () => {
  it("listens through a snoop on the counsellor's leg, audited, and ends with the call", async () => {
    const session = await h.monitors.start('caller-1', 'listen', supervisor);
    await h.settle();
    const [ring] = h.telephony.dialled().filter((r) => r.appArgs[0] === 'supervisor');
    expect(ring).toMatchObject({
      kind: 'phone', channelId: `sup-${session.id}`, phone: '2001', appArgs: ['supervisor', 'caller-1', session.id],
      callerId: { name: '监听 listen main', number: '12355' },
    });
    expect(await h.stores.audit.list(5)).toMatchObject([{ actor: 's1', role: 'supervisor', action: 'monitor-listen', callId: 'caller-1' }]);

    h.telephony.answerLeg(`sup-${session.id}`);
    await h.settle();
    expect(h.telephony.callsOf('snoop')).toEqual([
      [counsellorLeg(), { snoopId: `snoop-${session.id}`, spy: 'both', whisper: 'none', appArgs: ['snoop', 'caller-1', session.id] }],
    ]);
    expect(h.telephony.bridgeMembers(`monitor-${session.id}`).sort()).toEqual([`snoop-${session.id}`, `sup-${session.id}`].sort());
    expect(h.monitors.get(session.id)?.state).toBe('active');
    // The supervisor is not in the call's own bridge: the caller cannot hear them.
    expect(h.telephony.bridgeMembers('call-caller-1')).not.toContain(`sup-${session.id}`);

    h.telephony.remoteHangup('caller-1');
    await h.settle();
    expect(h.telephony.channel(`sup-${session.id}`)).toBeUndefined();
    expect(h.telephony.channel(`snoop-${session.id}`)).toBeUndefined();
    expect(h.telephony.pbx.bridges.has(`monitor-${session.id}`)).toBe(false);
    expect(h.monitors.list()).toEqual([]);
  });

  it('barges straight into the call bridge', async () => {
    const session = await h.monitors.start('caller-1', 'barge', supervisor);
    h.telephony.answerLeg(`sup-${session.id}`);
    await h.settle();
    expect(h.telephony.callsOf('snoop')).toEqual([]);
    expect(h.telephony.bridgeMembers('call-caller-1')).toContain(`sup-${session.id}`);
  });

  it('refuses to monitor a call that has no counsellor', async () => {
    await h.callerInQueue('caller-2');
    await expect(h.monitors.start('caller-2', 'listen', supervisor)).rejects.toMatchObject({ code: 'call-not-connected' });
    expect(await h.stores.audit.list(5)).toEqual([]);
  });
});
