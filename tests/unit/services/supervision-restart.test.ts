import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Principal } from '../../../src/ports/auth.ts';
import { AlertLog } from '../../../src/services/monitoring/alert-log.ts';
import { FakeTelephony } from '../../fakes/fake-telephony.ts';
import { FAKE_TIMERS, startTestHotline, type TestHotline } from '../../fakes/hotline-harness.ts';

const supervisor: Principal = { userId: 's1', name: '王督导', role: 'supervisor', team: 'gz', level: 'province' };
let before: TestHotline;
let after: TestHotline | null;

beforeEach(async () => {
  vi.useFakeTimers(FAKE_TIMERS);
  before = await startTestHotline();
  after = null;
  await before.online('1001');
  await before.callerInQueue('caller-1');
  before.telephony.answerLeg(before.offerFor('caller-1')?.channelId ?? '');
  await before.settle();
});
afterEach(async () => {
  await (after ?? before).stop();
  vi.useRealTimers();
});

/** The service is killed (the PBX keeps every channel) and a new one starts over the same stores. */
async function restart(prepare: (t: FakeTelephony) => void = () => undefined): Promise<TestHotline> {
  await before.stop();
  const telephony = FakeTelephony.restartedFrom(before.telephony);
  prepare(telephony);
  after = await startTestHotline({ telephony, stores: before.stores });
  return after;
}

describe('monitoring across a restart', () => {
  it('carries on a listening session whose legs are still there, and ends it with the call', async () => {
    const session = await before.monitors.start('caller-1', 'listen', supervisor);
    before.telephony.answerLeg(`sup-${session.id}`);
    await before.settle();
    expect(before.monitors.get(session.id)?.state).toBe('active');

    const h = await restart();
    expect(h.monitors.get(session.id), 'known to the new service').toMatchObject({ state: 'active', callId: 'caller-1' });
    expect(h.telephony.channel(`sup-${session.id}`), 'the supervisor still listens').toBeDefined();

    h.telephony.remoteHangup('caller-1');
    await h.settle();
    expect(h.telephony.channel(`sup-${session.id}`)).toBeUndefined();
    expect(h.telephony.channel(`snoop-${session.id}`)).toBeUndefined();
    expect(h.telephony.pbx.bridges.has(`monitor-${session.id}`)).toBe(false);
    expect(await h.stores.supervision.listMonitors()).toEqual([]);
  });

  it('ends a session that was still ringing: its legs are hung up, nothing is left listening', async () => {
    const session = await before.monitors.start('caller-1', 'listen', supervisor);
    await before.settle();
    const h = await restart();
    expect(h.telephony.channel(`sup-${session.id}`)).toBeUndefined();
    expect(h.monitors.list()).toEqual([]);
    expect(await h.stores.supervision.listMonitors()).toEqual([]);
  });
});

describe('alerts across a restart', () => {
  it('are still shown after the service restarts, newest first', async () => {
    const log = new AlertLog(before.notifier, before.stores.supervision);
    before.notifier.publish({ type: 'alert', severity: 'critical', code: 'escalation-failed', message: '一一零转接失败', callId: 'caller-1' });
    before.notifier.publish({ type: 'alert', severity: 'warning', code: 'long-wait', message: '等待过久' });
    await before.settle();
    expect(log.recent().map((a) => a.code)).toEqual(['long-wait', 'escalation-failed']);

    const h = await restart();
    const fresh = new AlertLog(h.notifier, h.stores.supervision);
    await fresh.load();
    expect(fresh.recent().map((a) => a.code)).toEqual(['long-wait', 'escalation-failed']);
  });
});
