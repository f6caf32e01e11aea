import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { QueueSettings } from '../../src/config/queue-config.ts';
import type { AriBridge } from './support/ari-inspector.ts';
import { queueConfigFile, scenarioPerTest, type QueueScenario } from './support/queue-scenario.ts';
import type { QueueCaller, QueuePhone } from './support/queue-sipp.ts';
import type { RunningService } from './support/service.ts';
import { counsellorPhone } from './support/sipp.ts';
import { sleep, waitFor } from './support/wait.ts';

/**
 * Hand-overs on the real stack: a SIPp caller (Mandarin, psychological) reaches counsellor 1001's
 * SIPp phone, and 1001 transfers to colleague 1002 (legal, so never offered the caller by the
 * queue itself). While the colleague rings and during a warm consult the caller holds alone in a
 * holding bridge with music; every end puts them with someone: the colleague, 1001, or the front
 * of the queue. Bridge membership is read straight from ARI, and nothing may be left behind.
 *
 * Run alone in a slot of your own:  HOTLINE_TEST_SLOT=3 npx vitest run --project e2e tests/e2e/transfer.test.ts
 */

let scenario: QueueScenario;
scenarioPerTest((s) => (scenario = s));

const RING_MS = 4000;
/** Mandarin (1), psychological (1). */
const MENU = [{ key: '1', afterMs: 1000 }, { key: '1', afterMs: 1000 }];

/** The queue fixture, a one-word privacy notice (the real one takes 10 s) and `queue` overrides. */
function configFile(queue: Partial<QueueSettings> = {}): string {
  const file = queueConfigFile({ ringTimeoutMs: RING_MS, ...queue });
  const config = parse(readFileSync(file, 'utf8')) as { ivr: Record<string, unknown> };
  config.ivr.privacyNotice = 'digit_0';
  writeFileSync(file, stringify(config));
  return file;
}

interface Call { service: RunningService; token: string; callId: string; caller: QueueCaller; counsellorLeg: string; bridge: AriBridge }

/** Starts the service with 1001's phone answering, calls in, and waits for caller and 1001 in one mixing bridge. */
async function connectedCall(o: { callerNumber: string; holdMs?: number; hangup?: 'caller' | 'remote'; queue?: Partial<QueueSettings> }): Promise<Call> {
  const service = await scenario.start({ env: { HOTLINE_CONFIG: configFile(o.queue) } });
  await scenario.phone('1001', true, { talkMs: 120_000 });
  // Presence follows the registration; slow on a loaded machine.
  await scenario.waitForCounsellor(service, 'c1001', 'available', 30_000);
  const caller = await scenario.caller({ callerNumber: o.callerNumber, keys: MENU, holdMs: o.holdMs ?? 90_000, hangup: o.hangup ?? 'remote' });
  const callId = (await scenario.channelOf(caller)).id;
  const { bridge, counsellorLeg } = await waitFor('caller and 1001 in one mixing bridge', async () => {
    const leg = (await scenario.ari.channels()).find((c) => c.name.startsWith('PJSIP/1001-'))?.id;
    const b = leg ? await bridgeHolding([callId, leg]) : undefined;
    return b && leg ? { bridge: b, counsellorLeg: leg } : undefined;
  }, 30_000);
  return { service, token: await service.login('c1001'), callId, caller, counsellorLeg, bridge };
}

/** The bridge that holds exactly these channels (in any order), if any. */
async function bridgeHolding(channels: string[]): Promise<AriBridge | undefined> {
  return (await scenario.ari.bridges()).find((b) => b.channels.length === channels.length && channels.every((c) => b.channels.includes(c)));
}

const waitForBridge = (what: string, channels: string[], timeoutMs = 15_000) => waitFor(what, () => bridgeHolding(channels), timeoutMs);

/** The colleague's leg (PJSIP/1002-...) once Asterisk has it. */
const colleagueLeg = () => waitFor('the colleague leg', async () => (await scenario.ari.channels()).find((c) => c.name.startsWith('PJSIP/1002-'))?.id, 10_000);

async function post<T>(c: Call, path: string, body?: unknown, token = c.token): Promise<{ status: number; body: T }> {
  return c.service.api<T>(`/api/calls/${encodeURIComponent(c.callId)}${path}`, token, { method: 'POST', body: JSON.stringify(body ?? {}), headers: { 'content-type': 'application/json' } });
}

/** The caller holds alone in a holding bridge, and hears something there (RTP to the caller keeps flowing: the music). */
async function expectCallerHolding(c: Call): Promise<AriBridge> {
  const hold = await waitFor('the caller in a holding bridge of their own', async () => {
    const b = (await scenario.ari.bridges()).find((x) => x.channels.includes(c.callId));
    return b && b.bridge_type === 'holding' && b.id === `transfer-hold-${c.callId}` ? b : undefined;
  }, 10_000);
  // Nobody but the caller (and the music): no counsellor or colleague phone hears them now.
  const phones = (await scenario.ari.channels()).filter((x) => x.name.startsWith('PJSIP/100')).map((x) => x.id);
  expect(hold.channels.filter((id) => phones.includes(id))).toEqual([]);
  const before = await scenario.ari.rtpStats(c.callId);
  await sleep(1000);
  const after = await scenario.ari.rtpStats(c.callId);
  expect(after.txcount - before.txcount, 'audio (music on hold) sent to the holding caller in 1 s').toBeGreaterThanOrEqual(25);
  return hold;
}

/** The call's audit entries, oldest first, once `expected.length` of them are written (the log is written behind). */
async function auditActions(c: Call, expected: string[]): Promise<string[]> {
  const admin = await c.service.login('s2001');
  const read = async () => (await c.service.api<{ entries: Array<{ action: string; callId?: string }> }>('/api/audit', admin)).body.entries
    .filter((e) => e.callId === c.callId).map((e) => e.action).reverse();
  await waitFor(`${expected.length} audit entries`, async () => ((await read()).length >= expected.length ? true : undefined), 5000).catch(() => undefined);
  return read();
}

const expectAudit = async (c: Call, expected: string[]) => expect(await auditActions(c, expected)).toEqual(expected);

/**
 * The caller's channel is hung up (as the carrier would on the caller's BYE; `own` when the SIPp
 * caller hangs up by itself); afterwards no channel, no bridge but the shared holding one, no live call.
 */
async function callerLeavesNothingLeft(c: Call, own = false): Promise<void> {
  if (own) expect((await c.caller.done).exitCode, 'the caller hung up by itself').toBe(0);
  else await scenario.ari.request('DELETE', `/channels/${encodeURIComponent(c.callId)}`);
  await scenario.ari.waitForNoLeftovers(10_000);
  await waitFor('no live call in Redis', async () => ((await c.service.liveCalls()).length === 0 ? true : undefined), 10_000);
  // Every step of the transfer was carried out: none failed and was only logged.
  expect(c.service.logs().split('\n').filter((l) => l.includes('transfer step failed'))).toEqual([]);
}

const busyPhones: QueuePhone[] = [];
const phone1002 = async (answer: boolean | 'busy', ringMs = 0): Promise<QueuePhone> => {
  if (answer !== 'busy') return scenario.phone('1002', answer, { talkMs: 120_000, ringMs });
  const p = { ...(await counsellorPhone({ sipUser: '1002', answer: 'busy' })), sipUser: '1002' };
  busyPhones.push(p);
  return p;
};
afterEach(async () => {
  await Promise.allSettled(busyPhones.splice(0).map((p) => p.stop()));
});

describe('warm transfer (咨询后转接)', () => {
  it('consults with the caller on hold, then completes: caller with the colleague, counsellor to wrap-up', async () => {
    const c = await connectedCall({ callerNumber: '13800000301', queue: { wrapUpMs: 30_000 } });
    // The colleague picks up after 2 s: complete asked before that is refused.
    await phone1002(true, 2000);
    await scenario.waitForCounsellor(c.service, 'c1002', 'available', 30_000);
    const started = await post<{ transfer: { id: string } }>(c, '/transfer', { to: 'c1002', mode: 'warm' });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const early = await post<{ error: { code: string } }>(c, '/transfer/complete');
    expect(early, 'complete before the colleague answered').toMatchObject({ status: 409, body: { error: { code: 'transfer-not-consulting' } } });
    await expectCallerHolding(c);
    const colleague = await colleagueLeg();
    // The consult: counsellor and colleague together in the call's bridge, the caller not there.
    const consult = await waitForBridge('counsellor and colleague in the call bridge', [c.counsellorLeg, colleague]);
    expect(consult.id).toBe(c.bridge.id);
    const me = await c.service.api<{ call: { phase: string; transfer: { status: string } | null } }>('/api/counsellors/me/call', c.token);
    expect(me.body.call).toMatchObject({ phase: 'transferring', transfer: { status: 'consulting' } });
    await expectCallerHolding(c);

    const done = await post<{ transfer: { status: string } }>(c, '/transfer/complete');
    expect(done).toEqual({ status: 200, body: { transfer: { status: 'completed' } } });
    await waitForBridge('caller and colleague in one bridge', [c.callId, colleague]);
    await waitFor("1001's leg gone", async () => ((await scenario.ari.channels()).some((x) => x.id === c.counsellorLeg) ? undefined : true));
    expect((await scenario.counsellor(c.service, 'c1001')).status).toBe('wrap-up');
    expect((await scenario.counsellor(c.service, 'c1002')).status).toBe('on-call');
    expect(c.caller.byeReceived(), 'nobody hung up on the caller').toBe(false);
    const live = (await c.service.liveCalls()).find((x) => x.callId === c.callId);
    expect(live).toMatchObject({ phase: 'connected', counsellorId: 'c1002', transfer: null });
    await expectAudit(c, ['transfer-warm', 'transfer-complete', 'transfer-completed']);

    await callerLeavesNothingLeft(c);
    await scenario.waitForCounsellor(c.service, 'c1002', 'wrap-up');
  });

  it('cancel: the colleague is let go, the caller is back with the counsellor', async () => {
    const c = await connectedCall({ callerNumber: '13800000302' });
    await phone1002(true);
    await scenario.waitForCounsellor(c.service, 'c1002', 'available', 30_000);
    expect((await post(c, '/transfer', { to: 'c1002', mode: 'warm' })).status).toBe(202);
    const colleague = await colleagueLeg();
    await waitForBridge('the consult', [c.counsellorLeg, colleague]);
    await expectCallerHolding(c);

    expect(await post(c, '/transfer/cancel')).toEqual({ status: 200, body: { transfer: { status: 'cancelled' } } });
    const back = await waitForBridge('caller back with 1001', [c.callId, c.counsellorLeg]);
    expect(back.id).toBe(c.bridge.id);
    await waitFor('the colleague leg hung up', async () => ((await scenario.ari.channels()).some((x) => x.id === colleague) ? undefined : true));
    expect((await c.service.liveCalls()).find((x) => x.callId === c.callId)).toMatchObject({ phase: 'connected', counsellorId: 'c1001' });
    expect((await post<{ error: { code: string } }>(c, '/transfer/cancel')).body.error.code).toBe('no-transfer');
    await expectAudit(c, ['transfer-warm', 'transfer-cancel', 'transfer-cancelled']);

    await callerLeavesNothingLeft(c);
  });

  it('a colleague who does not answer: the caller is back with the counsellor after the ring time', async () => {
    const c = await connectedCall({ callerNumber: '13800000303' });
    await phone1002(false);
    await scenario.waitForCounsellor(c.service, 'c1002', 'available', 30_000);
    const t0 = Date.now();
    expect((await post(c, '/transfer', { to: 'c1002', mode: 'warm' })).status).toBe(202);
    await expectCallerHolding(c);
    await waitForBridge('caller back with 1001', [c.callId, c.counsellorLeg], RING_MS + 10_000);
    expect(Date.now() - t0, 'back once the colleague rang out').toBeGreaterThanOrEqual(RING_MS - 500);
    await expectAudit(c, ['transfer-warm', 'transfer-colleague-unavailable']);
    expect(c.caller.byeReceived()).toBe(false);
    await callerLeavesNothingLeft(c);
  });

  it('the caller hanging up mid-consult ends the consult legs; the counsellor goes to wrap-up; nothing is left', async () => {
    // The caller hangs up 20 s after the menus: well into the consult (checked below).
    const c = await connectedCall({ callerNumber: '13800000304', holdMs: 20_000, hangup: 'caller', queue: { wrapUpMs: 30_000 } });
    await phone1002(true);
    await scenario.waitForCounsellor(c.service, 'c1002', 'available', 30_000);
    expect((await post(c, '/transfer', { to: 'c1002', mode: 'warm' })).status).toBe(202);
    const colleague = await colleagueLeg();
    await waitForBridge('the consult', [c.counsellorLeg, colleague]);
    await expectCallerHolding(c);
    expect(c.caller.byeReceived()).toBe(false);

    await callerLeavesNothingLeft(c, true);
    expect((await scenario.counsellor(c.service, 'c1001')).status).toBe('wrap-up');
    expect((await scenario.counsellor(c.service, 'c1002')).status).toBe('wrap-up');
  });
});

describe('blind transfer (直接转接)', () => {
  it('a colleague who does not answer: the caller is back with the counsellor', async () => {
    const c = await connectedCall({ callerNumber: '13800000305' });
    await phone1002(false);
    await scenario.waitForCounsellor(c.service, 'c1002', 'available', 30_000);
    expect((await post(c, '/transfer', { to: 'c1002', mode: 'blind' })).status).toBe(202);
    await expectCallerHolding(c);
    const back = await waitForBridge('caller back with 1001', [c.callId, c.counsellorLeg], RING_MS + 10_000);
    expect(back.id).toBe(c.bridge.id);
    await expectAudit(c, ['transfer-blind', 'transfer-colleague-unavailable']);
    expect((await c.service.liveCalls()).find((x) => x.callId === c.callId)).toMatchObject({ phase: 'connected', counsellorId: 'c1001' });
    expect(c.caller.byeReceived()).toBe(false);
    await callerLeavesNothingLeft(c);
  });

  it('a colleague who declines (busy): the caller is back with the counsellor at once', async () => {
    const c = await connectedCall({ callerNumber: '13800000306' });
    await phone1002('busy');
    await scenario.waitForCounsellor(c.service, 'c1002', 'available', 30_000);
    expect((await post(c, '/transfer', { to: 'c1002', mode: 'blind' })).status).toBe(202);
    await waitForBridge('caller back with 1001', [c.callId, c.counsellorLeg], RING_MS);
    await expectAudit(c, ['transfer-blind', 'transfer-colleague-unavailable']);
    await callerLeavesNothingLeft(c);
  });

  it('a colleague who does not answer after the counsellor left: the caller goes to the front of the queue, then is served', async () => {
    // 6 s of wrap-up: 1001 is not free yet when the caller is queued again, and serves them after.
    const c = await connectedCall({ callerNumber: '13800000307', queue: { wrapUpMs: 6000 } });
    await phone1002(false);
    await scenario.waitForCounsellor(c.service, 'c1002', 'available', 30_000);
    // A second caller with the same need waits meanwhile (1001 is busy, 1002 has not the skill).
    const later = await scenario.caller({ callerNumber: '13800000308', keys: MENU, holdMs: 90_000, hangup: 'remote' });
    const laterId = (await scenario.channelOf(later)).id;
    await waitFor('the second caller waiting', async () => ((await scenario.waiting(c.service)).some((w) => w.callId === laterId) ? true : undefined), 15_000);
    const firstEntry = (await scenario.events(c.service, c.callId)).find((e) => e.type === 'enter')!.at;

    expect((await post(c, '/transfer', { to: 'c1002', mode: 'blind' })).status).toBe(202);
    await expectCallerHolding(c);
    // The counsellor hangs up while the colleague's phone rings.
    await scenario.ari.request('DELETE', `/channels/${encodeURIComponent(c.counsellorLeg)}`);
    await expectCallerHolding(c);

    await scenario.waitForEvent(c.service, 'the caller queued again', (e) => e.callId === c.callId && e.type === 'enter' && e.at !== firstEntry, RING_MS + 15_000);
    const waiting = await scenario.waiting(c.service);
    expect(waiting.map((w) => w.callId), 'the transferred caller first, before the caller who came later').toEqual([c.callId, laterId]);
    expect(waiting[0]!.waitSec, 'counted from the first entry').toBeGreaterThanOrEqual(Math.floor((Date.now() - Date.parse(firstEntry)) / 1000) - 2);

    const leg = await waitFor("1001's new leg", async () => (await scenario.ari.channels()).find((x) => x.name.startsWith('PJSIP/1001-') && x.id !== c.counsellorLeg)?.id, 20_000);
    await waitForBridge('the caller served again by 1001', [c.callId, leg], 20_000);
    expect(c.caller.byeReceived(), 'nobody hung up on the caller').toBe(false);
    await expectAudit(c, ['transfer-blind', 'transfer-colleague-unavailable']);
    await scenario.ari.request('DELETE', `/channels/${encodeURIComponent(laterId)}`);
    await callerLeavesNothingLeft(c);
  });
});
