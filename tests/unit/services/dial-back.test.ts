import { describe, expect, it } from 'vitest';
import { PRIORITY } from '../../../src/domain/calls/routing-request.ts';
import type { Principal } from '../../../src/ports/auth.ts';
import { dialBackLegs } from '../../../src/services/callbacks/dial-back-service.ts';
import { PRIMARY_110 } from '../../fakes/hotline-fixture.ts';
import type { TestHotline } from '../../fakes/hotline-harness.ts';
import { hotlinePerTest } from './hotline-per-test.ts';

let h: TestHotline;
hotlinePerTest((started) => void (h = started));

const NUMBER = '13912345678';
const c1: Principal = { userId: 'c1', name: '陈老师', role: 'counsellor', team: 'gz', level: 'city' };
const c2: Principal = { userId: 'c2', name: '李老师', role: 'counsellor', team: 'gz', level: 'city' };

async function bookedCallback(callId = 'call-0'): Promise<string> {
  return h.stores.jobs.requestCallback({
    callId, callerNumber: NUMBER, enqueuedAt: h.clock.now().getTime() - 60_000, requestedAt: h.clock.now().toISOString(),
    routing: { line: 'main', need: 'psychological', skills: ['psychological'], language: 'yue', priority: PRIORITY.callback, highRisk: false, announce: [] },
  });
}

/** c1 online, a callback booked, c1 dialling it: the legs of that dial-back. */
async function dialling(): Promise<ReturnType<typeof dialBackLegs> & { jobId: string }> {
  await h.online('1001');
  const jobId = await bookedCallback();
  const started = await h.dialBacks.start(jobId, c1);
  await h.settle();
  return { ...dialBackLegs(started.callId.replace('dialback-', '')), jobId };
}

const mediaOn = (channelId: string) => h.telephony.playbacksOn(channelId).map((p) => p.sounds);
const pendingIds = async () => (await h.stores.jobs.pendingCallbacks()).map((c) => c.jobId);
const bridgesLeft = () => [...h.telephony.pbx.bridges.keys()].filter((b) => b !== 'hotline-holding');

describe('dialling a callback back from the hotline (counsellor first)', () => {
  it('rings the counsellor with the callback\'s line and need but never the number, and holds the callback for them', async () => {
    const legs = await dialling();
    const [ring] = h.telephony.dialled();
    expect(ring).toMatchObject({
      kind: 'phone', channelId: legs.counsellorLeg, phone: '1001', appArgs: ['dialback', expect.any(String), 'counsellor'],
      call: { callId: legs.callId, callbackOf: 'call-0', line: 'main', need: 'psychological' },
    });
    expect(ring?.callerId).toEqual({ name: '回拨 main/psychological', number: '12355' });
    expect(JSON.stringify(ring)).not.toContain(NUMBER);
    expect(await h.counsellors.get('c1')).toMatchObject({ status: 'offered', callId: legs.callId });
    expect(await pendingIds()).toEqual([]);
    expect(await h.stores.audit.list(10)).toEqual([expect.objectContaining({ actor: 'c1', action: 'callback-dial', callId: 'call-0', target: legs.jobId })]);
  });

  it('plays ringing to the counsellor while the caller\'s phone rings, bridges them on answer, and the call then ends like any other', async () => {
    const legs = await dialling();
    h.telephony.answerLeg(legs.counsellorLeg);
    await h.settle();
    expect(h.telephony.bridgeMembers(legs.bridgeId)).toEqual([legs.counsellorLeg]);
    expect(mediaOn(legs.counsellorLeg)).toEqual([[{ tone: 'ringback' }]]);
    expect(h.telephony.dialled().at(-1)).toMatchObject({
      kind: 'out', channelId: legs.callId, route: `PJSIP/${NUMBER}@carrier-out`, callerId: { name: '12355', number: '12355' },
      appArgs: ['dialback', expect.any(String), 'caller'],
    });
    expect(await h.counsellors.get('c1')).toMatchObject({ status: 'on-call' });

    h.clock.advance(5000);
    h.telephony.answerLeg(legs.callId);
    await h.settle();
    expect(h.telephony.bridgeMembers(legs.bridgeId).sort()).toEqual([legs.callId, legs.counsellorLeg].sort());
    expect(mediaOn(legs.counsellorLeg)).toEqual([]); // ringing stopped
    expect(h.calls.getCall(legs.callId)).toMatchObject({ phase: 'connected', counsellorId: 'c1', counsellorChannelId: legs.counsellorLeg, callerNumber: NUMBER });
    expect(await h.stores.records.get(legs.callId)).toMatchObject({ dialled: 'callback', counsellorId: 'c1', need: 'psychological', language: 'yue' });
    expect(h.stores.jobs.completed).toEqual([legs.jobId]);
    expect(await h.stores.liveCalls.linkOf(legs.counsellorLeg)).toMatchObject({ role: 'counsellor', callId: legs.callId });

    h.telephony.remoteHangup(legs.callId);
    await h.settle();
    expect(h.telephony.channel(legs.counsellorLeg)).toBeUndefined();
    expect(bridgesLeft()).toEqual([]);
    expect((await h.stores.records.get(legs.callId))?.outcome).toBe('completed');
    expect(await h.counsellors.get('c1')).toMatchObject({ status: 'wrap-up' });
    expect(await h.stores.liveCalls.list()).toEqual([]);
    expect(await h.stores.liveCalls.linkOf(legs.counsellorLeg)).toBeNull();
    expect(await h.stores.liveCalls.linkOf(legs.callId)).toBeNull();
    expect(await h.stores.store.claimOf('c1')).toBeNull();
  });

  it('tells the counsellor when the caller does not answer, puts the callback back, then hangs up', async () => {
    const legs = await dialling();
    h.telephony.answerLeg(legs.counsellorLeg);
    await h.settle();
    h.telephony.failLeg(legs.callId, 17, 'User busy');
    await h.settle();
    expect(mediaOn(legs.counsellorLeg)).toEqual([[{ prompt: 'callback_caller_no_answer', language: 'yue' }]]);
    expect(await pendingIds()).toEqual([legs.jobId]);
    expect(h.telephony.channel(legs.counsellorLeg)).toBeDefined();

    h.telephony.finishPlaybacksOn(legs.counsellorLeg);
    await h.settle();
    expect(h.telephony.channel(legs.counsellorLeg)).toBeUndefined();
    expect(bridgesLeft()).toEqual([]);
    expect(await h.counsellors.get('c1')).toMatchObject({ status: 'wrap-up' });
    expect(await h.stores.store.claimOf('c1')).toBeNull();
    expect(h.stores.jobs.completed).toEqual([]);
  });

  it('hangs up the counsellor after a while even when the notice\'s end never arrives', async () => {
    const legs = await dialling();
    h.telephony.answerLeg(legs.counsellorLeg);
    await h.settle();
    h.telephony.failLeg(legs.callId, 19, 'No Answer');
    await h.settle();
    await h.advance(21_000);
    expect(h.telephony.channel(legs.counsellorLeg)).toBeUndefined();
    expect(bridgesLeft()).toEqual([]);
  });

  it('puts the callback back when the counsellor does not answer, without counting a missed call against them', async () => {
    const legs = await dialling();
    h.telephony.failLeg(legs.counsellorLeg);
    await h.settle();
    expect(await pendingIds()).toEqual([legs.jobId]);
    expect(await h.counsellors.get('c1')).toMatchObject({ status: 'available', missedInARow: 0 });
    expect(await h.stores.store.claimOf('c1')).toBeNull();
    expect(h.telephony.dialled()).toHaveLength(1); // the caller was never dialled
  });

  it('cancels the caller\'s ringing phone when the counsellor hangs up first', async () => {
    const legs = await dialling();
    h.telephony.answerLeg(legs.counsellorLeg);
    await h.settle();
    h.telephony.remoteHangup(legs.counsellorLeg);
    await h.settle();
    expect(h.telephony.callsOf('hangup').map(([id]) => id)).toContain(legs.callId);
    expect(h.telephony.channel(legs.callId)).toBeUndefined();
    expect(bridgesLeft()).toEqual([]);
    expect(await pendingIds()).toEqual([legs.jobId]);
    expect(await h.counsellors.get('c1')).toMatchObject({ status: 'wrap-up' });
  });

  it('refuses a counsellor who is not available, and a second counsellor for a callback already being dialled', async () => {
    await h.online('1001');
    await h.online('1002');
    const jobId = await bookedCallback();
    await h.counsellors.apply('c2', { type: 'pause', reason: 'break' });
    await expect(h.dialBacks.start(jobId, c2)).rejects.toMatchObject({ code: 'counsellor-not-available', httpStatus: 409 });
    expect(await pendingIds()).toEqual([jobId]);
    await h.counsellors.apply('c2', { type: 'resume' });
    await h.dialBacks.start(jobId, c1);
    await expect(h.dialBacks.start(jobId, c2)).rejects.toMatchObject({ code: 'callback-taken', httpStatus: 409 });
    expect(await h.counsellors.get('c2')).toMatchObject({ status: 'available' });
    expect(await h.stores.store.claimOf('c2')).toBeNull();
    await expect(h.dialBacks.start('callback-nobody', c2)).rejects.toMatchObject({ code: 'no-such-callback', httpStatus: 404 });
  });

  it('lets the counsellor escalate a dialled-back call to 110 with their key, like any call', async () => {
    const legs = await dialling();
    h.telephony.answerLeg(legs.counsellorLeg);
    await h.settle();
    h.telephony.answerLeg(legs.callId);
    await h.settle();
    h.telephony.dtmf(legs.counsellorLeg, '*');
    await h.settle();
    expect(h.telephony.dialled().at(-1)).toMatchObject({ kind: 'out', route: PRIMARY_110, callerId: { name: '12355', number: NUMBER }, appArgs: ['emergency', legs.callId, expect.any(String)] });
  });

  it('hangs up a leg of a dial-back it does not know (started before a restart) when it answers', async () => {
    const legs = dialBackLegs('0badf00d');
    h.telephony.emit({ type: 'channel-entered', channelId: legs.callId, channelName: 'PJSIP/carrier-out-1', args: ['dialback', '0badf00d', 'caller'], caller: { number: '', name: '' }, dialled: '', state: 'Up' });
    await h.settle();
    expect(h.telephony.callsOf('hangup').map(([id]) => id)).toEqual([legs.callId]);
  });
});
