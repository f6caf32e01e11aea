import { describe, expect, it } from 'vitest';
import { PbxOperationError } from '../../../src/errors.ts';
import type { Principal } from '../../../src/ports/auth.ts';
import { holdBridgeOf } from '../../../src/services/transfer/transfer-service.ts';
import type { TestHotline } from '../../fakes/hotline-harness.ts';
import { hotlinePerTest } from './hotline-per-test.ts';

/**
 * Transfers over the fakes: c1 (phone 1001) has caller-1 (psychological, so c2 is never offered
 * them by the queue) and hands over to c2 (phone 1002). The caller is on hold in a bridge of their
 * own, with music, from the start to the end of the transfer.
 */

let h: TestHotline;
hotlinePerTest((started) => void (h = started));

const c1: Principal = { userId: 'c1', role: 'counsellor' } as Principal;
const CALL = 'call-caller-1';
const HOLD = holdBridgeOf('caller-1');

async function connected(): Promise<string> {
  await h.online('1001');
  await h.callerInQueue('caller-1', '1');
  const leg = h.offerFor('caller-1')?.channelId ?? '';
  h.telephony.answerLeg(leg);
  await h.settle();
  await h.online('1002');
  expect(h.calls.getCall('caller-1')?.phase).toBe('connected');
  expect((await h.counsellors.get('c2'))?.status).toBe('available');
  return leg;
}

const colleagueLeg = () => h.telephony.phonesRung().filter((r) => r.appArgs[0] === 'colleague').at(-1)?.channelId ?? '';
const bridgeIds = () => [...h.telephony.pbx.bridges.keys()];
const status = async (id: string) => (await h.counsellors.get(id))?.status;
const actions = async () => (await h.stores.audit.list(20)).map((e) => e.action).reverse();

describe('warm transfer', () => {
  it('holds the caller with music while the colleague rings, consults, then completes', async () => {
    const leg = await connected();
    const { id } = await h.transfers.transfer('caller-1', 'c2', 'warm', c1);
    await h.settle();
    expect(id).toBe(colleagueLeg());
    expect(h.calls.getCall('caller-1')?.phase).toBe('transferring');
    expect(h.telephony.bridgeMembers(HOLD)).toEqual(['caller-1']);
    expect(h.telephony.callsOf('startBridgeMoh')).toContainEqual([HOLD, 'hotline']);
    expect(h.telephony.bridgeMembers(CALL)).toEqual([leg]);
    await expect(h.transfers.complete('caller-1', c1)).rejects.toMatchObject({ code: 'transfer-not-consulting' });
    await expect(h.transfers.transfer('caller-1', 'c2', 'warm', c1)).rejects.toMatchObject({ code: 'transfer-in-progress' });

    h.telephony.answerLeg(id);
    await h.settle();
    expect(h.telephony.bridgeMembers(CALL).sort()).toEqual([leg, id].sort());
    expect(h.telephony.bridgeMembers(HOLD)).toEqual(['caller-1']);
    expect(h.transfers.activeFor('caller-1')).toMatchObject({ status: 'consulting', colleagueId: 'c2' });
    expect(await status('c2')).toBe('on-call');

    expect(await h.transfers.complete('caller-1', c1)).toEqual({ status: 'completed' });
    await h.settle();
    expect(h.telephony.bridgeMembers(CALL).sort()).toEqual(['caller-1', id].sort());
    expect(bridgeIds().includes(HOLD)).toBe(false);
    expect(h.telephony.channel(leg)).toBeUndefined();
    expect(h.calls.getCall('caller-1')).toMatchObject({ phase: 'connected', counsellorId: 'c2', counsellorChannelId: id, transfer: null });
    expect(await status('c1')).toBe('wrap-up');
    expect(await actions()).toEqual(['transfer-warm', 'transfer-complete', 'transfer-completed']);

    // The colleague is now the call's counsellor: their hanging up ends the call as any counsellor's would.
    h.telephony.remoteHangup(id);
    await h.settle();
    expect(h.telephony.channel('caller-1')).toBeUndefined();
    expect(await status('c2')).toBe('wrap-up');
  });

  it('cancel: the colleague is hung up, the caller is back with the counsellor', async () => {
    const leg = await connected();
    const { id } = await h.transfers.transfer('caller-1', 'c2', 'warm', c1);
    await h.settle();
    h.telephony.answerLeg(id);
    await h.settle();
    expect(await h.transfers.cancel('caller-1', c1)).toEqual({ status: 'cancelled' });
    await h.settle();
    expect(h.telephony.bridgeMembers(CALL).sort()).toEqual(['caller-1', leg].sort());
    expect(h.telephony.channel(id)).toBeUndefined();
    expect(h.calls.getCall('caller-1')).toMatchObject({ phase: 'connected', counsellorId: 'c1' });
    expect(await status('c2')).toBe('wrap-up');
    await expect(h.transfers.cancel('caller-1', c1)).rejects.toMatchObject({ code: 'no-transfer' });
  });

  it('the colleague not answering brings the caller back, also when Asterisk never reports the ring ended', async () => {
    const leg = await connected();
    await h.transfers.transfer('caller-1', 'c2', 'warm', c1);
    await h.settle();
    await h.advance(h.config.queue.ringTimeoutMs + 4000);
    expect(h.telephony.bridgeMembers(CALL).sort()).toEqual(['caller-1', leg].sort());
    expect(h.calls.getCall('caller-1')?.phase).toBe('connected');
    expect(await actions()).toEqual(['transfer-warm', 'transfer-colleague-unavailable']);
  });

  it('the caller hanging up mid-consult: colleague and counsellor legs end, both to wrap-up, nothing left', async () => {
    const leg = await connected();
    const { id } = await h.transfers.transfer('caller-1', 'c2', 'warm', c1);
    await h.settle();
    h.telephony.answerLeg(id);
    await h.settle();
    h.telephony.remoteHangup('caller-1');
    await h.settle();
    expect(h.telephony.channel(id)).toBeUndefined();
    expect(h.telephony.channel(leg)).toBeUndefined();
    expect(bridgeIds().filter((b) => !b.startsWith('hotline-holding'))).toEqual([]);
    expect(await status('c1')).toBe('wrap-up');
    expect(await status('c2')).toBe('wrap-up');
    expect(await h.stores.liveCalls.list()).toEqual([]);
  });
});

describe('blind transfer', () => {
  it('hands over as soon as the colleague answers', async () => {
    const leg = await connected();
    const { id } = await h.transfers.transfer('caller-1', 'c2', 'blind', c1);
    await h.settle();
    h.telephony.answerLeg(id);
    await h.settle();
    expect(h.telephony.bridgeMembers(CALL).sort()).toEqual(['caller-1', id].sort());
    expect(h.telephony.channel(leg)).toBeUndefined();
    expect(h.calls.getCall('caller-1')).toMatchObject({ phase: 'connected', counsellorId: 'c2' });
  });

  it('completes, and frees the counsellor, even if the PBX refuses to hang up the counsellor\'s leg', async () => {
    const leg = await connected();
    h.telephony.failOn('hangup', { when: (id) => id === leg, error: new PbxOperationError(`DELETE /channels/${leg}`, 503, '503 Service Unavailable') });
    const { id } = await h.transfers.transfer('caller-1', 'c2', 'blind', c1);
    await h.settle();
    h.telephony.answerLeg(id);
    await h.settle();
    expect(h.telephony.callsOf('continueInDialplan'), 'the caller stays with the colleague').toEqual([]);
    expect(h.calls.getCall('caller-1')).toMatchObject({ phase: 'connected', counsellorId: 'c2' });
    expect(h.telephony.bridgeMembers(CALL)).toContain('caller-1');
    expect(await status('c1')).toBe('wrap-up');
    expect(await h.stores.store.claimOf('c1')).toBeNull();
  });

  it('a busy colleague: back with the counsellor', async () => {
    const leg = await connected();
    const { id } = await h.transfers.transfer('caller-1', 'c2', 'blind', c1);
    await h.settle();
    h.telephony.failLeg(id, 17, 'User busy');
    await h.settle();
    expect(h.telephony.bridgeMembers(CALL).sort()).toEqual(['caller-1', leg].sort());
    // Destroyed once: Asterisk refuses a second DELETE (409) while it dissolves the bridge.
    expect(h.telephony.callsOf('destroyBridge').filter(([b]) => b === HOLD)).toHaveLength(1);
    expect(h.calls.getCall('caller-1')?.phase).toBe('connected');
    expect(await status('c2')).not.toBe('offered');
  });

  it('no answer after the counsellor left: the caller is queued again at their first entry time, ahead of later callers', async () => {
    const leg = await connected();
    const firstEntry = h.calls.getCall('caller-1')?.queuedAt;
    const { id } = await h.transfers.transfer('caller-1', 'c2', 'blind', c1);
    await h.settle();
    await h.advance(5000);
    // Another caller arrives meanwhile; nobody with the skill is free.
    await h.callerInQueue('caller-2', '1');
    h.telephony.remoteHangup(leg);
    await h.settle();
    expect(h.telephony.bridgeMembers(HOLD)).toEqual(['caller-1']);
    expect(h.calls.getCall('caller-1')).toMatchObject({ phase: 'transferring', counsellorId: null });
    h.telephony.failLeg(id);
    await h.settle();
    const waiting = await h.store.listCallers();
    expect(waiting.map((c) => c.callId)).toEqual(['caller-1', 'caller-2']);
    expect(waiting[0]?.enqueuedAt).toBe(firstEntry);
    expect(h.calls.getCall('caller-1')?.phase).not.toBe('transferring');
    expect(bridgeIds().some((b) => b === HOLD || b === CALL)).toBe(false);
  });
});
