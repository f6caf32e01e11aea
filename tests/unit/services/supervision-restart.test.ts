import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../src/ports/auth.ts';
import { AlertLog } from '../../../src/services/monitoring/alert-log.ts';
import { restartableHotlinePerTest } from './restartable-hotline.ts';

const supervisor: Principal = { userId: 's1', name: '王督导', role: 'supervisor', team: 'gz', level: 'province' };

// Every test starts with caller-1 connected to c1.
const hotline = restartableHotlinePerTest(async (h) => {
  await h.online('1001');
  await h.callerInQueue('caller-1');
  h.telephony.answerLeg(h.offerFor('caller-1')?.channelId ?? '');
  await h.settle();
});
const restart = () => hotline.restart();

describe('monitoring across a restart', () => {
  it('carries on a listening session whose legs are still there, and ends it with the call', async () => {
    const session = await hotline.before().monitors.start('caller-1', 'listen', supervisor);
    hotline.before().telephony.answerLeg(`sup-${session.id}`);
    await hotline.before().settle();
    expect(hotline.before().monitors.get(session.id)?.state).toBe('active');

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
    const session = await hotline.before().monitors.start('caller-1', 'listen', supervisor);
    await hotline.before().settle();
    const h = await restart();
    expect(h.telephony.channel(`sup-${session.id}`)).toBeUndefined();
    expect(h.monitors.list()).toEqual([]);
    expect(await h.stores.supervision.listMonitors()).toEqual([]);
  });
});

describe('alerts across a restart', () => {
  it('are still shown after the service restarts, newest first', async () => {
    const log = new AlertLog(hotline.before().notifier, hotline.before().stores.supervision);
    hotline.before().notifier.publish({ type: 'alert', severity: 'critical', code: 'escalation-failed', message: '一一零转接失败', callId: 'caller-1' });
    hotline.before().notifier.publish({ type: 'alert', severity: 'warning', code: 'long-wait', message: '等待过久' });
    await hotline.before().settle();
    expect(log.recent().map((a) => a.code)).toEqual(['long-wait', 'escalation-failed']);

    const h = await restart();
    const fresh = new AlertLog(h.notifier, h.stores.supervision);
    await fresh.load();
    expect(fresh.recent().map((a) => a.code)).toEqual(['long-wait', 'escalation-failed']);
  });
});
