import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AriInspector, type AriBridge, type AriChannel } from './support/ari-inspector.ts';
import {
  AriEventTap, bridgeWith, escalatingPhone, gotBye, hotlineConfigWith, sipPhone, startCaller, webPassword, type CallerOptions,
} from './support/peers.ts';
import { startService, type RunningService } from './support/service.ts';
import { policeUas, POLICE_PORT, type Peer, type PeerMode, type SipMessage, type SippRun } from './support/sipp.ts';
import { sleep, waitFor } from './support/wait.ts';

/**
 * One-key escalation to 110 from a plain SIP phone: the counsellor presses '*' on their own leg
 * (never the caller), 110 is dialled with the caller's number, the fallback route takes over when
 * 110 is busy or does not answer, supervisors are alerted, the caller stays with the counsellor
 * throughout, and no hang-up leaves anything behind in Asterisk.
 */

const ari = new AriInspector();
const FALLBACK_PORT = POLICE_PORT + 2;
/**
 * The hotline file for these tests: 110 rings `answerTimeoutMs` (3 s) before the fallback is
 * tried; the privacy notice a queued caller hears before a counsellor rings is one word; and unless
 * `fullAnnouncement`, 110 hears a one-word announcement before joining (the real one takes 6.5 s).
 */
const ANSWER_TIMEOUT_MS = 3000;
const fastConfig = (o: { answerTimeoutMs?: number; fullAnnouncement?: boolean } = {}) => hotlineConfigWith((c) => {
  c.escalation!.answerTimeoutMs = o.answerTimeoutMs ?? ANSWER_TIMEOUT_MS;
  if (!o.fullAnnouncement) c.escalation!.policeAnnouncement = 'digit_1';
  c.ivr!.privacyNotice = 'digit_0';
});
const tokens = new Map<RunningService, string>();
/** s2001's token for this service (signed in once). */
async function supervisorToken(s: RunningService): Promise<string> {
  if (!tokens.has(s)) tokens.set(s, await s.login('s2001', webPassword('s2001')));
  return tokens.get(s)!;
}

let service: RunningService | undefined;
let tap: AriEventTap | undefined;
const peers: Array<{ stop(): Promise<unknown> }> = [];
const track = <T extends { stop(): Promise<unknown> }>(p: T): T => (peers.push(p), p);

beforeEach(async () => {
  tap = await AriEventTap.open(ari);
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && service) console.error(`service log (tail):\n${service.logs().split('\n').slice(-50).join('\n')}`);
  tap?.close();
  await Promise.allSettled(peers.splice(0).map((p) => p.stop()));
  await service?.stop();
  service = undefined;
  await ari.clear();
});

interface Alert { code: string; severity: string; message: string; callId?: string }
interface ActiveCall { callId: string; phase: string; counsellorId: string | null; escalation: { state: string } | null }

/** INVITEs a peer received, one per call (a retransmission is not a second INVITE). */
const invitesOf = (p: { invites(): SipMessage[] }) => [...new Map(p.invites().map((m) => [m.headers['call-id'], m])).values()];
const identityOf = (invite: SipMessage) => `${invite.headers.from ?? ''} ${invite.headers['p-asserted-identity'] ?? ''}`;
const sent = (p: { messages(): SipMessage[] }, what: string) => p.messages().some((m) => m.direction === 'sent' && m.firstLine.startsWith(what));
const received = (p: { messages(): SipMessage[] }, what: string) => p.messages().some((m) => m.direction === 'received' && m.firstLine.startsWith(what));

async function start(config = fastConfig()): Promise<RunningService> {
  service = await startService({ env: { HOTLINE_CONFIG: config } });
  return service;
}

async function police(mode: PeerMode, port = POLICE_PORT, talkMs?: number): Promise<Peer> {
  return track(await policeUas({ mode, port, ...(talkMs ? { talkMs } : {}) }));
}

/** Mandarin (1), psychological (1), then the caller's own extra keys. */
async function caller(callerNumber: string, o: Partial<CallerOptions> & Pick<CallerOptions, 'holdMs' | 'hangup'>): Promise<SippRun> {
  return track(await startCaller({ callerNumber, ...o, keys: [{ key: '1', afterMs: 1000 }, { key: '1', afterMs: 1000 }, ...(o.keys ?? [])] }));
}

/** Waits until the caller and the counsellor phone (PJSIP/1001) are in one mixing bridge. */
async function connected(callerNumber: string): Promise<{ caller: AriChannel; counsellor: AriChannel; bridge: AriBridge }> {
  const callerChannel = await waitFor('the caller in Stasis', () => ari.channelOf(callerNumber), 10_000);
  return waitFor('caller and counsellor phone in one bridge', async () => {
    const b = await bridgeWith(ari, callerChannel.id);
    if (!b || b.bridge_type !== 'mixing' || b.channels.length !== 2) return undefined;
    const counsellor = (await ari.channels()).find((c) => c.id === b.channels.find((id) => id !== callerChannel.id));
    return counsellor ? { caller: callerChannel, counsellor, bridge: b } : undefined;
  }, 20_000);
}

/** Waits for Asterisk to raise the counsellor's '*' to ARI (the call bridge must pass DTMF to the app). */
async function starPressed(counsellorChannelId: string): Promise<void> {
  await tap!.waitFor("'*' from the counsellor's leg (raised to ARI: the call bridge must pass DTMF to the app)",
    (e) => e.type === 'ChannelDtmfReceived' && e.channel?.id === counsellorChannelId && e.digit === '*');
}

/** The call bridge once it holds `n` channels (all three parties: n = 3). */
async function bridgeOfSize(bridgeId: string, n: number, timeoutMs = 20_000): Promise<AriBridge> {
  return waitFor(`bridge ${bridgeId} with ${n} channels`, async () => {
    const b = (await ari.bridges()).find((x) => x.id === bridgeId);
    return b && b.channels.length === n ? b : undefined;
  }, timeoutMs);
}

/**
 * Watches the caller's leg until `until` resolves: at every look it must be Up and in `bridgeId`.
 * Resolves with the number of looks and what `until` gave.
 */
async function callerStaysBridged<T>(callerId: string, bridgeId: string, until: Promise<T>): Promise<{ looks: number; value: T }> {
  let done: { value: T } | undefined;
  let failure: unknown;
  until.then((value) => (done = { value }), (err: unknown) => (failure = err ?? new Error('failed')));
  let looks = 0;
  for (;;) {
    const [channels, bridge] = await Promise.all([ari.channels(), bridgeWith(ari, callerId)]);
    looks++;
    expect(channels.find((c) => c.id === callerId)?.state, `caller channel (look ${looks})`).toBe('Up');
    expect(bridge?.id, `caller's bridge (look ${looks})`).toBe(bridgeId);
    if (failure) throw failure;
    if (done) return { looks, value: done.value };
    await sleep(200);
  }
}

/** The escalation alerts supervisors see (GET /api/alerts as s2001); queue warnings are left out. */
async function alerts(s: RunningService): Promise<Alert[]> {
  const token = await supervisorToken(s);
  return (await s.api<{ alerts: Alert[] }>('/api/alerts', token)).body.alerts.filter((a) => a.code.startsWith('escalation'));
}

async function activeCall(s: RunningService, callId: string): Promise<ActiveCall | undefined> {
  const token = await supervisorToken(s);
  return (await s.api<{ calls: ActiveCall[] }>('/api/calls/active', token)).body.calls.find((c) => c.callId === callId);
}

async function endWithCaller(c: SippRun, ...others: Array<{ messages(): SipMessage[] }>): Promise<void> {
  const r = await c.done;
  expect(r.exitCode, r.log).toBe(0);
  expect(received({ messages: () => r.messages }, 'BYE '), 'nobody hung up on the caller').toBe(false);
  await ari.waitForNoLeftovers(8000);
  for (const o of others) await waitFor('the BYE to every other party', async () => (received(o, 'BYE ') ? true : undefined), 5000);
}

describe('escalation to 110 from a SIP phone', () => {
  it("'*' on the counsellor's phone dials 110 with the caller's number and joins it to the call; the caller hanging up ends every leg", async () => {
    // The real announcement here: 110 hears it for 6.5 s before joining, while the caller stays on.
    const s = await start(fastConfig({ fullAnnouncement: true }));
    const p110 = await police('answer');
    track(await escalatingPhone({ sipUser: '1001', starAfterMs: 1000, talkMs: 60_000 }));
    const number = '13800000101';
    const c = await caller(number, { holdMs: 22_000, hangup: 'caller', rtpEcho: true });
    const call = await connected(number);
    expect(call.counsellor.name).toMatch(/^PJSIP\/1001-/);

    await starPressed(call.counsellor.id);
    const invite = await waitFor('the INVITE at 110', async () => p110.invites()[0], 10_000);
    expect(identityOf(invite), "110 gets the caller's number").toContain(number);
    expect(invite.headers['x-hotline-escalation'], 'the escalation id goes along').toMatch(/^[0-9a-f]{8}$/);

    const rtpBefore = { ...(await ari.rtpStats(call.caller.id)), at: Date.now() };
    const { value: threeWay } = await callerStaysBridged(call.caller.id, call.bridge.id, bridgeOfSize(call.bridge.id, 3));
    const names = (await ari.channels()).filter((ch) => threeWay.channels.includes(ch.id)).map((ch) => ch.name);
    expect(threeWay.channels).toEqual(expect.arrayContaining([call.caller.id, call.counsellor.id]));
    expect(names.filter((n) => n.startsWith('PJSIP/emergency-')), names.join(', ')).toHaveLength(1);
    // The caller echoes the RTP it gets: what came back shows audio reached it while 110 was dialled
    // and heard the announcement (at least half the 50 packets a second).
    const rtpAfter = { ...(await ari.rtpStats(call.caller.id)), at: Date.now() };
    expect(rtpAfter.at - rtpBefore.at).toBeGreaterThan(3000);
    expect(rtpAfter.rxcount - rtpBefore.rxcount, 'RTP echoed back by the caller').toBeGreaterThanOrEqual(25 * Math.floor((rtpAfter.at - rtpBefore.at) / 1000));

    const esc = await waitFor('the call shown as escalated', async () => {
      const a = await activeCall(s, call.caller.id);
      return a?.escalation?.state === 'connected' ? a : undefined;
    });
    expect(esc).toMatchObject({ phase: 'escalating', counsellorId: 'c1001' });
    const audit = (await s.api<{ entries: Array<{ action: string; actor: string; callId: string }> }>('/api/audit', await supervisorToken(s))).body.entries;
    expect(audit).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'escalate-110', actor: 'c1001', callId: call.caller.id })]));
    expect(await alerts(s), 'no alert when 110 answers').toEqual([]);

    await endWithCaller(c, p110);
  });

  it("ignores '*' pressed by the caller: no INVITE to 110", async () => {
    const s = await start();
    const p110 = await police('answer');
    track(await sipPhone({ sipUser: '1001', talkMs: 60_000 }));
    const number = '13800000102';
    // '*' 5 s after the second key: the caller is with the counsellor by then (checked below).
    const c = await caller(number, { keys: [{ key: '*', afterMs: 5000 }], holdMs: 4000, hangup: 'caller' });
    const call = await connected(number);
    // Asterisk must hand the key to the service (the call bridge passes DTMF to the app), or this proves nothing.
    const star = await tap!.waitFor("'*' from the caller's leg (raised to ARI)", (e) => e.type === 'ChannelDtmfReceived' && e.channel?.id === call.caller.id && e.digit === '*', 15_000);
    expect((await bridgeWith(ari, call.caller.id))?.id, "the caller was with the counsellor when pressing '*'").toBe(call.bridge.id);
    expect(star.channel?.id).not.toBe(call.counsellor.id);

    // The caller stays on 4 s after the key: 110 must hear nothing in that time.
    await endWithCaller(c);
    expect(p110.invites(), 'no INVITE to 110').toEqual([]);
    expect(await alerts(s)).toEqual([]);
    const token = await supervisorToken(s);
    const escalations = (await s.api<{ escalations: Array<{ callId: string }> }>('/api/escalations', token)).body.escalations;
    expect(escalations.filter((e) => e.callId === call.caller.id)).toEqual([]);
  });

  it("keeps the caller's number off the counsellor's phone (110 gets it, see above)", async () => {
    await start();
    const phone = track(await sipPhone({ sipUser: '1001', talkMs: 60_000 }));
    const number = '13800000109';
    const c = await caller(number, { holdMs: 6000, hangup: 'caller' });
    await connected(number);
    await endWithCaller(c, phone);
    // Numbers are masked for counsellors (PIPL: minimum data, who saw what is logged): no SIP message
    // to their phone may carry it, e.g. in a connected-line update (Remote-Party-ID) once bridged.
    const leaks = phone.messages().filter((m) => m.direction === 'received' && m.raw.includes(number));
    expect(leaks.map((m) => `${m.firstLine} | ${Object.entries(m.headers).filter(([, v]) => v.includes(number)).map(([k, v]) => `${k}: ${v}`).join(' | ')}`),
      "SIP messages to the counsellor's phone carrying the caller's number").toEqual([]);
  });

  it('110 busy: tries the fallback route, alerts supervisors, the caller stays with the counsellor', async () => {
    const s = await start();
    const busy = await police('busy');
    const fallback = await police('answer', FALLBACK_PORT);
    track(await escalatingPhone({ sipUser: '1001', starAfterMs: 1000, talkMs: 60_000 }));
    const number = '13800000103';
    const c = await caller(number, { holdMs: 12_000, hangup: 'caller' });
    const call = await connected(number);
    await starPressed(call.counsellor.id);

    const { value: threeWay } = await callerStaysBridged(call.caller.id, call.bridge.id, bridgeOfSize(call.bridge.id, 3));
    expect(invitesOf(busy)).toHaveLength(1);
    expect(sent(busy, 'SIP/2.0 486')).toBe(true);
    const invite = fallback.invites()[0];
    expect(invite && identityOf(invite), "the fallback gets the caller's number").toContain(number);
    const legs = (await ari.channels()).filter((ch) => threeWay.channels.includes(ch.id));
    expect(legs.map((l) => l.id)).toEqual(expect.arrayContaining([call.caller.id, call.counsellor.id]));
    expect(legs.find((l) => l.name.startsWith('PJSIP/emergency-fallback-')), legs.map((l) => l.name).join(', ')).toBeDefined();

    const a = await alerts(s);
    expect(a).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'escalation-route-failed', severity: 'critical', callId: call.caller.id })]));
    expect(a.map((x) => x.code)).not.toContain('escalation-failed');
    await endWithCaller(c, fallback);
  });

  it('110 not answering: the fallback is tried after the answer timeout, then both failing alerts and keeps caller and counsellor together', async () => {
    const s = await start();
    const primary = await police('no-answer');
    const fallback = await police('no-answer', FALLBACK_PORT);
    const phone = track(await escalatingPhone({ sipUser: '1001', starAfterMs: 1000, talkMs: 60_000 }));
    const number = '13800000104';
    const c = await caller(number, { holdMs: 16_000, hangup: 'caller' });
    const call = await connected(number);
    await starPressed(call.counsellor.id);
    const started = Date.now();

    const failed = waitFor('escalation-failed alert', async () => (await alerts(s)).find((x) => x.code === 'escalation-failed'), 3 * ANSWER_TIMEOUT_MS + 10_000);
    const { value: alert } = await callerStaysBridged(call.caller.id, call.bridge.id, failed);
    expect(alert).toMatchObject({ severity: 'critical', callId: call.caller.id });
    expect(Date.now() - started, 'both routes rang about answerTimeoutMs each').toBeGreaterThanOrEqual(2 * ANSWER_TIMEOUT_MS - 500);
    const all = await alerts(s);
    expect(all).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'escalation-route-failed', callId: call.caller.id })]));
    for (const [name, uas] of [['110', primary], ['fallback', fallback]] as const) {
      expect(invitesOf(uas), `${name} rang`).toHaveLength(1);
      expect(identityOf(invitesOf(uas)[0]!), `${name} got the caller's number`).toContain(number);
      await waitFor(`${name} cancelled`, async () => (received(uas, 'CANCEL ') ? true : undefined), 5000);
    }

    // Still together, as before the key: the caller and the counsellor's phone, nobody else.
    const b = (await ari.bridges()).find((x) => x.id === call.bridge.id);
    expect(b?.channels.sort()).toEqual([call.caller.id, call.counsellor.id].sort());
    expect(gotBye(c) || gotBye(phone)).toBe(false);
    await waitFor('the call back to connected', async () => ((await activeCall(s, call.caller.id))?.phase === 'connected' ? true : undefined));
    await endWithCaller(c, phone);
  });

  it('110 not answering, fallback answers: joined after the primary timed out', async () => {
    const s = await start();
    const primary = await police('no-answer');
    const fallback = await police('answer', FALLBACK_PORT);
    track(await escalatingPhone({ sipUser: '1001', starAfterMs: 1000, talkMs: 60_000 }));
    const number = '13800000105';
    const c = await caller(number, { holdMs: 14_000, hangup: 'caller' });
    const call = await connected(number);
    await starPressed(call.counsellor.id);

    const { value: threeWay } = await callerStaysBridged(call.caller.id, call.bridge.id, bridgeOfSize(call.bridge.id, 3, 25_000));
    expect(received(primary, 'CANCEL '), '110 stopped ringing after the timeout').toBe(true);
    const names = (await ari.channels()).filter((ch) => threeWay.channels.includes(ch.id)).map((ch) => ch.name);
    expect(names.some((n) => n.startsWith('PJSIP/emergency-fallback-')), names.join(', ')).toBe(true);
    expect((await alerts(s)).map((a) => a.code)).toEqual(['escalation-route-failed']);
    await endWithCaller(c, fallback);
  });
});

describe('hang-ups during an escalation leave nothing behind', () => {
  // The phones press '*' 1.5 s after answering: they are rung while the caller hears the (one-word,
  // 0.9 s) notice and bridged at its end; a key before the bridge is not an escalation.
  it('caller hangs up while 110 is still ringing: the 110 leg is cancelled', async () => {
    await start(fastConfig({ answerTimeoutMs: 20_000 }));
    const p110 = await police('no-answer');
    const phone = track(await escalatingPhone({ sipUser: '1001', starAfterMs: 1500, talkMs: 60_000 }));
    const number = '13800000106';
    const c = await caller(number, { holdMs: 6000, hangup: 'caller' });
    const call = await connected(number);
    await starPressed(call.counsellor.id);
    await waitFor('110 ringing', async () => p110.invites()[0], 10_000);
    expect(received(c, 'BYE '), 'the caller is still on when 110 rings').toBe(false);
    expect(sent(c, 'BYE '), 'the caller is still on when 110 rings').toBe(false);

    await endWithCaller(c, phone);
    await waitFor('110 cancelled', async () => (received(p110, 'CANCEL ') ? true : undefined), 5000);
  });

  it('counsellor hangs up with 110 on the call: caller and 110 stay together; when 110 leaves too the caller is queued first', async () => {
    const s = await start();
    // 110 answers at once and hangs up 10 s later; the counsellor's phone hangs up 6 s after its key.
    const p110 = await police('answer', POLICE_PORT, 10_000);
    const phone = track(await escalatingPhone({ sipUser: '1001', starAfterMs: 1500, talkMs: 6000 }));
    const number = '13800000107';
    const c = await caller(number, { holdMs: 18_000, hangup: 'caller' });
    const call = await connected(number);
    await starPressed(call.counsellor.id);
    await bridgeOfSize(call.bridge.id, 3);
    expect(received(phone, 'BYE ') || sent(phone, 'BYE '), 'three-way call before the counsellor hangs up').toBe(false);
    // Another caller (Mandarin, legal: no signed-in counsellor has the skill) is waiting already,
    // so that "first" below means ahead of someone.
    const other = track(await startCaller({ callerNumber: '13800000117', keys: [{ key: '1', afterMs: 1000 }, { key: '2', afterMs: 1000 }], holdMs: 16_000, hangup: 'caller' }));
    const otherId = (await waitFor('the other caller in Stasis', () => ari.channelOf('13800000117'), 10_000)).id;

    // The counsellor leaves: caller and 110 go on, in the same bridge.
    await waitFor('the counsellor phone hanging up', async () => (sent(phone, 'BYE ') ? true : undefined), 15_000);
    const two = await bridgeOfSize(call.bridge.id, 2, 5000);
    expect(two.channels).toContain(call.caller.id);
    expect(two.channels).not.toContain(call.counsellor.id);
    expect((await ari.channels()).find((ch) => two.channels.includes(ch.id) && ch.id !== call.caller.id)?.name).toMatch(/^PJSIP\/emergency-/);
    expect((await activeCall(s, call.caller.id))?.phase).toBe('escalating');

    // 110 leaves: nobody is with the caller, who goes back to the queue, first and as an emergency.
    await waitFor('110 hanging up', async () => (sent(p110, 'BYE ') ? true : undefined), 15_000);
    const token = await supervisorToken(s);
    const queue = await waitFor('the caller queued again', async () => {
      const list = (await s.api<{ waiting: Array<{ callId: string; position: number; priority: number; highRisk: boolean }> }>('/api/queue', token)).body.waiting;
      return list.some((w) => w.callId === call.caller.id) ? list : undefined;
    });
    expect(queue.map((w) => w.callId), 'ahead of the caller who was waiting already').toEqual([call.caller.id, otherId]);
    expect(queue[0]).toMatchObject({ position: 1, priority: 100, highRisk: true });
    expect(gotBye(other)).toBe(false);
    expect((await ari.bridges()).find((b) => b.id === 'hotline-holding')?.channels).toContain(call.caller.id);
    expect(gotBye(c)).toBe(false);

    expect((await other.done).exitCode, 'the other caller hung up by themselves').toBe(0);
    await endWithCaller(c);
  });

  it('110 hangs up: the escalation ends and caller and counsellor carry on; the counsellor hanging up then ends the call', async () => {
    const s = await start();
    // 110 hangs up 5 s after answering; the counsellor's phone 10 s after its key.
    const p110 = await police('answer', POLICE_PORT, 5000);
    const phone = track(await escalatingPhone({ sipUser: '1001', starAfterMs: 1500, talkMs: 10_000 }));
    const number = '13800000108';
    const c = await caller(number, { holdMs: 40_000, hangup: 'remote' });
    const call = await connected(number);
    await starPressed(call.counsellor.id);
    await bridgeOfSize(call.bridge.id, 3);
    expect(sent(p110, 'BYE '), 'three-way call before 110 hangs up').toBe(false);

    await waitFor('110 hanging up', async () => (sent(p110, 'BYE ') ? true : undefined), 15_000);
    const two = await bridgeOfSize(call.bridge.id, 2, 5000);
    expect(two.channels.sort()).toEqual([call.caller.id, call.counsellor.id].sort());
    const after = await waitFor('the call back to connected', async () => {
      const a = await activeCall(s, call.caller.id);
      return a?.phase === 'connected' ? a : undefined;
    });
    expect(after.escalation?.state).toBe('ended');

    // The counsellor ends the call: the caller gets the BYE and nothing is left.
    const r = await c.done;
    expect(r.exitCode, r.log).toBe(0);
    expect(received({ messages: () => r.messages }, 'BYE '), 'the call ended with the counsellor').toBe(true);
    expect(sent(phone, 'BYE ')).toBe(true);
    await ari.waitForNoLeftovers(8000);
  });
});

describe('an escalation across a service restart', () => {
  it('the service is killed while 110 rings; restarted, it joins 110 to the call when they answer', async () => {
    const config = fastConfig({ answerTimeoutMs: 30_000 });
    await start(config);
    // 110 rings 8 s: the service is killed and back (a few seconds) before or just as they answer.
    const p110 = track(await policeUas({ mode: 'answer', port: POLICE_PORT, ringMs: 8000, talkMs: 60_000 }));
    track(await escalatingPhone({ sipUser: '1001', starAfterMs: 1000, talkMs: 60_000 }));
    const number = '13800000110';
    const c = await caller(number, { holdMs: 30_000, hangup: 'caller' });
    const call = await connected(number);
    await starPressed(call.counsellor.id);
    await waitFor('110 ringing', async () => p110.invites()[0], 10_000);

    const first = service!;
    await first.kill();
    // The same Redis prefix: the restarted service reads what the killed one stored.
    const s = (service = await startService({ env: { HOTLINE_CONFIG: config, REDIS_PREFIX: first.env.REDIS_PREFIX } }));
    const { value: threeWay } = await callerStaysBridged(call.caller.id, call.bridge.id, bridgeOfSize(call.bridge.id, 3, 25_000));
    const names = (await ari.channels()).filter((ch) => threeWay.channels.includes(ch.id)).map((ch) => ch.name);
    expect(names.filter((n) => n.startsWith('PJSIP/emergency-')), names.join(', ')).toHaveLength(1);
    const esc = await waitFor('the escalation shown as connected by the restarted service', async () => {
      const a = await activeCall(s, call.caller.id);
      return a?.escalation?.state === 'connected' ? a : undefined;
    });
    expect(esc).toMatchObject({ phase: 'escalating', counsellorId: 'c1001' });
    expect(await alerts(s), 'no alert: 110 answered').toEqual([]);
    await endWithCaller(c, p110);
  });
});
