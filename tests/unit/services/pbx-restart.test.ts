import { describe, expect, it } from 'vitest';
import type { TestHotline } from '../../fakes/hotline-harness.ts';
import { hotlinePerTest } from './hotline-per-test.ts';

let h: TestHotline;
hotlinePerTest((started) => void (h = started));

describe('Asterisk restarts under the hotline', () => {
  it('puts callers who were waiting or in the menus on the callback list, at their original place', async () => {
    await h.callerInQueue('caller-a', '1', { number: '13800000001' }); // psychological
    h.clock.advance(2000);
    await h.callerInQueue('caller-b', '0', { number: '13800000002' });
    h.clock.advance(2000);
    h.telephony.callerEnters('caller-c', { number: '13800000003' }); // still in the first menu
    await h.settle();
    const queuedAt = new Map((await h.stores.store.listCallers()).map((c) => [c.callId, c.enqueuedAt]));

    h.telephony.pbxRestarts();
    await h.settle();

    const pending = await h.stores.jobs.pendingCallbacks();
    expect(pending.map((p) => p.callId), 'oldest place first').toEqual(['caller-a', 'caller-b', 'caller-c']);
    expect(pending.map((p) => p.callerNumber)).toEqual(['13800000001', '13800000002', '13800000003']);
    expect(pending[0]).toMatchObject({ enqueuedAt: queuedAt.get('caller-a'), routing: { need: 'psychological', priority: 50 } });
    expect(pending[2]?.routing).toMatchObject({ need: 'general', line: 'main' });
    for (const id of ['caller-a', 'caller-b', 'caller-c']) {
      expect((await h.stores.records.get(id))?.outcome, id).toBe('callback-requested');
      expect(h.calls.getCall(id)).toBeUndefined();
    }
    expect(await h.stores.store.listCallers(), 'the queue is empty: they are callbacks now').toEqual([]);
    expect(h.stores.events.events.filter((e) => e.type === 'callback-requested').map((e) => e.data?.reason)).toEqual(['pbx-restart', 'pbx-restart', 'pbx-restart']);
  });

  it('also when Asterisk shut down cleanly, hanging everyone up before the connection dropped', async () => {
    await h.callerInQueue('caller-a', '0', { number: '13800000001' });
    h.clock.advance(2000);
    h.telephony.callerEnters('caller-b', { number: '13800000002' });
    await h.settle();
    const queuedAt = (await h.stores.store.getCaller('caller-a'))?.enqueuedAt;
    h.telephony.remoteHangup('caller-a');
    h.telephony.remoteHangup('caller-b');
    await h.settle();
    expect((await h.stores.records.get('caller-a'))?.outcome, 'looks like a hang-up at first').toBe('abandoned');

    h.telephony.pbxRestarts();
    await h.settle();
    const pending = await h.stores.jobs.pendingCallbacks();
    expect(pending.map((p) => p.callId)).toEqual(['caller-a', 'caller-b']);
    expect(pending[0]?.enqueuedAt, 'at the place they had').toBe(queuedAt);
    expect((await h.stores.records.get('caller-a'))?.outcome).toBe('callback-requested');
    expect((await h.stores.records.get('caller-b'))?.outcome).toBe('callback-requested');
  });

  it('not for a caller who hung up long before the PBX restarted', async () => {
    await h.callerInQueue('caller-a', '0');
    h.telephony.remoteHangup('caller-a');
    await h.settle();
    await h.advance(61_000, 10_000);
    h.telephony.pbxRestarts();
    await h.settle();
    expect(await h.stores.jobs.pendingCallbacks()).toEqual([]);
  });

  it('frees the counsellor of a call cut off and books no callback for a caller who had talked to them', async () => {
    await h.online('1001');
    await h.callerInQueue('caller-1', '0');
    h.telephony.answerLeg(h.offerFor('caller-1')?.channelId ?? '');
    await h.settle();
    expect((await h.stores.store.getCounsellor('c1'))?.status).toBe('on-call');

    h.telephony.pbxRestarts();
    await h.settle();
    expect(await h.stores.jobs.pendingCallbacks()).toEqual([]);
    expect((await h.stores.store.getCounsellor('c1'))?.status, 'no longer on a call').not.toBe('on-call');
    expect((await h.stores.records.get('caller-1'))?.outcome).toBe('completed');
  });

  it('books nothing when the connection drops but Asterisk did not restart (the caller hung up meanwhile)', async () => {
    await h.callerInQueue('caller-1', '0');
    h.telephony.emit({ type: 'connection', state: 'down' });
    h.telephony.pbx.channels.delete('caller-1'); // its StasisEnd went with the connection
    h.telephony.emit({ type: 'connection', state: 'up' });
    await h.settle();
    expect(await h.stores.jobs.pendingCallbacks()).toEqual([]);
    expect((await h.stores.records.get('caller-1'))?.outcome).toBe('abandoned');
  });

  it('alerts supervisors when a caller cut off has no number to call back', async () => {
    await h.callerInQueue('caller-x', '0', { number: 'anonymous' });
    h.telephony.pbxRestarts();
    await h.settle();
    expect(await h.stores.jobs.pendingCallbacks()).toEqual([]);
    expect(h.alerts().map((a) => a.code)).toContain('caller-lost-no-number');
  });
});
