import { describe, expect, it } from 'vitest';
import type { FakeTelephony } from '../../fakes/fake-telephony.ts';
import { FALLBACK_110 } from '../../fakes/hotline-fixture.ts';
import { restartableHotlinePerTest } from './restartable-hotline.ts';

const hotline = restartableHotlinePerTest();
/** Stops the first service (killed: the PBX keeps every channel) and starts a new one over the same stores. */
const restart = (prepare?: (t: FakeTelephony) => void) => hotline.restart(prepare);

describe('resync after a restart', () => {
  it('resumes waiting callers in their original order and offers them in that order', async () => {
    await hotline.before().callerInQueue('caller-a');
    hotline.before().clock.advance(1000);
    await hotline.before().callerInQueue('caller-b');
    hotline.before().clock.advance(1000);
    await hotline.before().callerInQueue('caller-c', '9'); // emergency: ahead of everyone
    const order = (await hotline.before().stores.store.listCallers()).map((c) => [c.callId, c.enqueuedAt]);
    expect(order.map(([id]) => id)).toEqual(['caller-c', 'caller-a', 'caller-b']);
    hotline.before().clock.advance(60_000);

    const h = await restart();
    expect(h.telephony.callsOf('appState')).toHaveLength(1);
    expect((await h.stores.store.listCallers()).map((c) => [c.callId, c.enqueuedAt])).toEqual(order);
    // Still in the holding bridge from before the restart: not added again (ARI would wait on each one's prompt).
    expect(h.telephony.callsOf('addToBridge').filter(([b]) => b === 'hotline-holding')).toEqual([]);
    expect(h.telephony.bridgeMembers('hotline-holding').sort()).toEqual(['caller-a', 'caller-b', 'caller-c']);
    for (const id of ['caller-a', 'caller-b', 'caller-c']) expect(h.calls.getCall(id)?.phase).toBe('queued');
    expect(h.telephony.callsOf('answer')).toEqual([]); // adopted, not treated as new calls
    // Presence of the roster's phones and browsers only, not of every PJSIP endpoint (the carrier's calls).
    const [[subscribed = []] = []] = h.telephony.callsOf('subscribeEndpoints');
    expect(subscribed).toContain('PJSIP/1001');
    expect(subscribed).toContain('PJSIP/web1001');
    expect(subscribed.every((e) => /^PJSIP\/(web)?\d+$/.test(e))).toBe(true);

    await h.online('1002');
    expect(h.telephony.dialled().map((r) => r.appArgs.slice(1, 3))).toEqual([['caller-c', 'c2']]);
    h.telephony.answerLeg(h.offerFor('caller-c')?.channelId ?? '');
    await h.settle();
    await h.online('1001');
    expect(h.telephony.dialled().map((r) => r.appArgs.slice(1, 3))).toEqual([['caller-c', 'c2'], ['caller-a', 'c1']]);
    // The wait counted from the original entry, not from the restart.
    expect(h.stores.events.ofType('connect')).toMatchObject([{ callId: 'caller-c', data: { waitMs: 60_000 } }]);
  });

  it('puts a caller whose offer was ringing back to waiting and frees the counsellor', async () => {
    await hotline.before().online('1001');
    await hotline.before().callerInQueue('caller-a');
    const leg = hotline.before().offerFor('caller-a')?.channelId ?? '';
    expect((await hotline.before().counsellors.get('c1'))?.status).toBe('offered');

    const h = await restart((t) => t.pbx.destroy(leg)); // the ring stopped while we were away
    expect(h.telephony.callsOf('hangup').map(([id]) => id)).toContain(leg);
    const offers = h.telephony.dialled();
    expect(offers).toHaveLength(1); // rung again, once, by the new service
    expect(offers[0]?.appArgs.slice(1, 3)).toEqual(['caller-a', 'c1']);
    expect((await h.stores.store.getCaller('caller-a'))?.offerId).toBe(offers[0]?.appArgs[3]);
  });

  // Regression: a routed caller must be stored as 'queued' with their routing, not left as 'ivr'.
  it('does not play the menus again to a waiting caller, who keeps their language', async () => {
    hotline.before().telephony.callerEnters('caller-a');
    await hotline.before().settle();
    hotline.before().telephony.dtmf('caller-a', '2'); // Cantonese
    await hotline.before().settle();
    hotline.before().telephony.dtmf('caller-a', '0');
    await hotline.before().settle();
    await hotline.before().hearAll('caller-a');
    const h = await restart();
    expect(h.telephony.callsOf('play').flatMap(([, media]) => media)).not.toContainEqual({ prompt: 'welcome_language', language: 'cmn' });
    expect(h.calls.getCall('caller-a')?.routing?.language).toBe('yue');
  });

  it('forgets a caller who hung up while the service was down and closes their record', async () => {
    await hotline.before().callerInQueue('caller-a');
    await hotline.before().callerInQueue('caller-b');
    const h = await restart((t) => t.pbx.destroy('caller-a'));
    expect((await h.stores.records.get('caller-a'))?.endedAt).toBe(h.clock.now().toISOString());
    expect(await h.stores.liveCalls.get('caller-a')).toBeNull();
    expect((await h.stores.store.listCallers()).map((c) => c.callId)).toEqual(['caller-b']);
    expect(h.calls.getCall('caller-a')).toBeUndefined();
  });

  it('records a waiting caller who hung up while the service was down as abandoned', async () => {
    await hotline.before().callerInQueue('caller-a');
    const h = await restart((t) => t.pbx.destroy('caller-a'));
    expect(await h.stores.records.get('caller-a')).toMatchObject({ outcome: 'abandoned' }); // today: 'ivr-hangup'
  });

  it('replays the menu to a caller who was in the IVR', async () => {
    hotline.before().telephony.callerEnters('caller-a');
    await hotline.before().settle();
    const h = await restart();
    expect(h.telephony.callsOf('play').map(([t, media]) => [t, media])).toEqual([
      [{ channelId: 'caller-a' }, [{ prompt: 'welcome_language', language: 'cmn' }]],
    ]);
    h.telephony.dtmf('caller-a', '1');
    await h.settle();
    h.telephony.dtmf('caller-a', '0');
    await h.settle();
    expect((await h.stores.store.listCallers()).map((c) => c.callId)).toEqual(['caller-a']);
  });

  it('adopts a caller who entered Stasis while the service was down', async () => {
    const h = await restart((t) => {
      t.pbx.newChannel({ id: 'caller-new', inApp: true, state: 'Up', dialled: '12355', caller: { number: '13600000000', name: '' }, variables: { HOTLINE_LINE: 'main' } });
    });
    expect(await h.stores.records.get('caller-new')).toMatchObject({ line: 'main', callerNumber: '13600000000' });
    expect(h.telephony.playbacksOn('caller-new')).toHaveLength(1);
  });

  it('keeps a connected call and ends it when the counsellor leg vanished while the service was down', async () => {
    await hotline.before().online('1001');
    await hotline.before().callerInQueue('caller-a');
    const leg = hotline.before().offerFor('caller-a')?.channelId ?? '';
    hotline.before().telephony.answerLeg(leg);
    await hotline.before().settle();

    const h = await restart((t) => t.pbx.destroy(leg));
    expect(h.telephony.callsOf('hangup').map(([id]) => id)).toContain('caller-a');
    expect(await h.stores.records.get('caller-a')).toMatchObject({ outcome: 'completed', counsellorId: 'c1' });
  });
});

describe('resync after a reconnect of the event stream (same process)', () => {
  // Regression: a caller who hung up while the ARI WebSocket was down (their StasisEnd never
  // arrived) must not stay a live call for ever.
  it('closes calls whose channels ended while events were not arriving', async () => {
    await hotline.before().online('1001');
    await hotline.before().callerInQueue('caller-a');
    hotline.before().telephony.answerLeg(hotline.before().offerFor('caller-a')?.channelId ?? '');
    await hotline.before().settle();
    hotline.before().telephony.emit({ type: 'connection', state: 'down' });
    hotline.before().telephony.pbx.destroy('caller-a'); // hung up; the events are lost with the connection
    hotline.before().telephony.emit({ type: 'connection', state: 'up' });
    await hotline.before().settle();
    expect(hotline.before().calls.getCall('caller-a')).toBeUndefined();
    expect((await hotline.before().stores.records.get('caller-a'))?.outcome).toBe('completed');
    expect((await hotline.before().counsellors.get('c1'))?.status).toBe('wrap-up');
  });
});

/** caller-a with c1, the counsellor pressed *: returns the counsellor's and the police leg's channel ids. */
async function escalating(): Promise<{ leg: string; police: string }> {
  await hotline.before().online('1001');
  await hotline.before().callerInQueue('caller-a');
  const leg = hotline.before().offerFor('caller-a')?.channelId ?? '';
  hotline.before().telephony.answerLeg(leg);
  await hotline.before().settle();
  hotline.before().telephony.dtmf(leg, '*');
  await hotline.before().settle();
  const police = hotline.before().telephony.dialled().find((r) => r.appArgs[0] === 'emergency')?.channelId ?? '';
  expect(police).not.toBe('');
  expect((await hotline.before().stores.liveCalls.get('caller-a'))?.escalation).toMatchObject({ status: 'dialling', legChannelId: police });
  return { leg, police };
}

describe('an escalation to 110 across a restart', () => {
  it('joins the police when they answer after the restart', async () => {
    const { leg, police } = await escalating();
    const h = await restart();
    h.telephony.answerLeg(police);
    await h.settle();
    expect(h.telephony.playbacksOn(police).map((p) => p.sounds)).toEqual([[{ prompt: 'escalation_police_announcement', language: 'cmn' }]]);
    h.telephony.finishPlaybacksOn(police);
    await h.settle();
    expect(h.telephony.bridgeMembers('call-caller-a').sort()).toEqual(['caller-a', leg, police].sort());
    expect(h.escalations.activeFor('caller-a')).toMatchObject({ status: 'connected' });
  });

  it('carries on when the police answered while the service was down', async () => {
    const { police } = await escalating();
    const h = await restart((t) => Object.assign(t.pbx.channels.get(police) ?? {}, { inApp: true, state: 'Up', args: ['emergency', 'caller-a'] }));
    expect(h.telephony.playbacksOn(police).map((p) => p.sounds)).toEqual([[{ prompt: 'escalation_police_announcement', language: 'cmn' }]]);
    expect(h.escalations.activeFor('caller-a')).toMatchObject({ status: 'announcing' });
  });

  it('tries the fallback route when the first one ended unanswered while the service was down', async () => {
    const { police } = await escalating();
    const h = await restart((t) => t.pbx.destroy(police));
    const legs = h.telephony.dialledOut().filter((r) => r.appArgs[0] === 'emergency');
    expect(legs.map((r) => r.route)).toEqual([FALLBACK_110]);
    expect(h.escalations.activeFor('caller-a')).toMatchObject({ status: 'dialling', attempt: 1, attempts: [{ result: 'failed' }] });
  });

  it('keeps the counsellor with the caller when the police left while the service was down', async () => {
    const { leg, police } = await escalating();
    hotline.before().telephony.answerLeg(police);
    await hotline.before().settle();
    hotline.before().telephony.finishPlaybacksOn(police);
    await hotline.before().settle();
    const h = await restart((t) => t.pbx.destroy(police));
    expect(h.calls.getCall('caller-a')?.phase).toBe('connected');
    expect((await h.stores.liveCalls.get('caller-a'))?.escalation).toBeNull();
    expect(h.telephony.bridgeMembers('call-caller-a').sort()).toEqual(['caller-a', leg].sort());
    expect(h.stores.escalationLog.saves.at(-1)).toMatchObject({ outcome: 'connected-then-ended' });
  });

  it('hangs up the police leg when the caller left while the service was down', async () => {
    const { police } = await escalating();
    const h = await restart((t) => t.pbx.destroy('caller-a'));
    expect(h.telephony.callsOf('hangup').map(([id]) => id)).toContain(police);
    expect(h.stores.escalationLog.saves.at(-1)).toMatchObject({ outcome: 'caller-left' });
  });
});

describe('a restart that finds no stored state (Redis lost it)', () => {
  it("hangs up the service's own legs instead of taking them for callers, and adopts the callers", async () => {
    const { leg, police } = await escalating();
    hotline.before().telephony.answerLeg(police);
    await hotline.before().settle();

    const after = await hotline.restart(undefined, { storesLost: true });
    const hungUp = after.telephony.callsOf('hangup').map(([id]) => id);
    expect(hungUp).toEqual(expect.arrayContaining([leg, police]));
    expect(after.calls.getCall(leg)).toBeUndefined();
    expect(after.calls.getCall(police)).toBeUndefined();
    expect(after.calls.getCall('caller-a')).toBeDefined(); // the caller is kept, as a new call
    expect(hungUp).not.toContain('caller-a');
  });
});

describe('a callback being dialled back when the service restarts', () => {
  const c1 = { userId: 'c1', name: '陈老师', role: 'counsellor' as const, team: 'gz', level: 'city' as const };

  async function dialBackRinging(answered: boolean): Promise<{ callId: string; counsellorLeg: string }> {
    await hotline.before().online('1001');
    const jobId = await hotline.before().stores.jobs.requestCallback({
      callId: 'call-0', callerNumber: '13912345678', enqueuedAt: hotline.before().clock.now().getTime(), requestedAt: hotline.before().clock.now().toISOString(),
      routing: { line: 'main', need: 'psychological', skills: ['psychological'], language: 'cmn', priority: 50, highRisk: false, announce: [] },
    });
    const { callId } = await hotline.before().dialBacks.start(jobId, c1);
    const counsellorLeg = callId.replace('dialback-', 'dialback-agent-');
    await hotline.before().settle();
    if (answered) {
      hotline.before().telephony.answerLeg(counsellorLeg);
      await hotline.before().settle();
    }
    return { callId, counsellorLeg };
  }

  it.each([
    ['while the counsellor\'s phone rang', false, 'available'],
    ['while the caller\'s phone rang', true, 'wrap-up'],
  ] as const)('%s: its legs are hung up and the counsellor is freed for the next caller', async (_when, answered, status) => {
    const { callId, counsellorLeg } = await dialBackRinging(answered);
    expect(await hotline.before().stores.store.claimOf('c1')).not.toBeNull();

    const h = await restart();
    await h.settle();
    expect(h.telephony.channel(counsellorLeg)).toBeUndefined();
    expect(h.telephony.channel(callId)).toBeUndefined();
    expect([...h.telephony.pbx.bridges.keys()].filter((b) => b !== 'hotline-holding')).toEqual([]);
    expect(await h.stores.store.claimOf('c1')).toBeNull();
    expect(await h.counsellors.get('c1')).toMatchObject({ status, callId: status === 'available' ? null : callId });
    expect(await h.stores.liveCalls.linkOf(counsellorLeg)).toBeNull();
    if (status === 'wrap-up') await h.advance(31_000);

    await h.callerInQueue('caller-1', '1');
    expect(h.offerFor('caller-1')?.appArgs.slice(1, 3)).toEqual(['caller-1', 'c1']);
  });

  // A phone registering between the read and the subscription was left offline until it registered again.
  it('subscribes to the phones\' state changes before reading their states', async () => {
    const h = await restart();
    const ops = h.telephony.commands.map((c) => c.op);
    const subscribed = ops.indexOf('subscribeEndpoints');
    expect(subscribed).toBeGreaterThanOrEqual(0);
    expect(ops.indexOf('endpointStates', subscribed)).toBeGreaterThan(subscribed);
    expect(ops.slice(0, subscribed)).not.toContain('endpointStates');
  });
});
