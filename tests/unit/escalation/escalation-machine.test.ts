import { describe, expect, it } from 'vitest';
import {
  handleEscalation, legChannelIdFor, startEscalation, type EscalationState,
} from '../../../src/domain/escalation/escalation-machine.ts';

const T0 = new Date('2026-06-05T02:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const ROUTES = ['PJSIP/emergency', 'PJSIP/emergency-fallback'];

function start(opts: { announce?: boolean; record?: boolean; routes?: string[] } = {}) {
  return startEscalation(
    { id: 'e1', callId: 'c1', counsellorId: 'k1', routes: opts.routes ?? ROUTES, announce: opts.announce ?? true, record: opts.record ?? true },
    T0,
  );
}
const leg0 = legChannelIdFor('e1', 0);
const leg1 = legChannelIdFor('e1', 1);
const types = (cmds: Array<{ type: string }>) => cmds.map((c) => c.type);

describe('startEscalation', () => {
  it('records and dials the first route at once', () => {
    const s = start();
    expect(s.state.status).toBe('dialling');
    expect(s.state.legChannelId).toBe(leg0);
    expect(s.commands).toEqual([{ type: 'start-recording' }, { type: 'dial', route: ROUTES[0], legChannelId: leg0 }]);
  });

  it('does not record when recording is off', () => {
    expect(types(start({ record: false }).commands)).toEqual(['dial']);
  });

  it('refuses to start without a route', () => {
    expect(() => start({ routes: [] })).toThrow(/route/);
  });
});

describe('handleEscalation', () => {
  it('announces to the police, then joins them to the call', () => {
    const answered = handleEscalation(start().state, { type: 'leg-answered', legChannelId: leg0 }, at(3));
    expect(answered.state.status).toBe('announcing');
    expect(answered.commands).toEqual([{ type: 'announce-to-police', legChannelId: leg0 }]);
    const joined = handleEscalation(answered.state, { type: 'announcement-done', legChannelId: leg0 }, at(6));
    expect(joined.state.status).toBe('connected');
    expect(joined.state.connectedAt).toBe(at(6).toISOString());
    expect(joined.commands).toEqual([{ type: 'join-police', legChannelId: leg0 }]);
    expect(joined.state.attempts).toEqual([{ route: ROUTES[0], result: 'answered', at: at(3).toISOString() }]);
  });

  it('joins at once when there is no announcement', () => {
    const s = handleEscalation(start({ announce: false }).state, { type: 'leg-answered', legChannelId: leg0 }, at(2));
    expect(s.state.status).toBe('connected');
    expect(types(s.commands)).toEqual(['join-police']);
  });

  it('tries the fallback route after a failure, alerting supervisors and telling the counsellor', () => {
    const s = handleEscalation(start().state, { type: 'leg-failed', legChannelId: leg0, cause: 'busy' }, at(1));
    expect(s.state.status).toBe('dialling');
    expect(s.state.attempt).toBe(1);
    expect(s.state.legChannelId).toBe(leg1);
    expect(s.commands).toEqual([
      expect.objectContaining({ type: 'alert', severity: 'critical', code: 'escalation-route-failed' }),
      { type: 'tell-counsellor', prompt: 'escalation_retrying' },
      { type: 'dial', route: ROUTES[1], legChannelId: leg1 },
    ]);
  });

  it('fails when every route failed, with a critical alert; the call itself goes on', () => {
    const one = handleEscalation(start().state, { type: 'leg-failed', legChannelId: leg0, cause: 'busy' }, at(1));
    const two = handleEscalation(one.state, { type: 'leg-failed', legChannelId: leg1, cause: 'no answer' }, at(21));
    expect(two.state.status).toBe('failed');
    expect(two.state.attempts.map((a) => a.result)).toEqual(['failed', 'failed']);
    expect(two.commands).toEqual([
      expect.objectContaining({ type: 'alert', code: 'escalation-failed' }),
      { type: 'tell-counsellor', prompt: 'escalation_failed' },
      { type: 'finished', outcome: 'failed' },
    ]);
    expect(handleEscalation(two.state, { type: 'leg-answered', legChannelId: leg1 }, at(30)).commands).toEqual([]);
  });

  it('hangs up a leg that answers when it is no longer the current one', () => {
    const one = handleEscalation(start().state, { type: 'leg-failed', legChannelId: leg0, cause: 'timeout' }, at(1));
    const late = handleEscalation(one.state, { type: 'leg-answered', legChannelId: leg0 }, at(2));
    expect(late.commands).toEqual([{ type: 'hangup-leg', legChannelId: leg0 }]);
    expect(late.state).toBe(one.state);
  });

  it('ignores the current leg reported answered twice (a restart learnt of it before its event came)', () => {
    const announcing = handleEscalation(start().state, { type: 'leg-answered', legChannelId: leg0 }, at(2));
    const again = handleEscalation(announcing.state, { type: 'leg-answered', legChannelId: leg0 }, at(3));
    expect(again).toEqual({ state: announcing.state, commands: [] });
    const connected = handleEscalation(announcing.state, { type: 'announcement-done', legChannelId: leg0 }, at(4));
    expect(handleEscalation(connected.state, { type: 'leg-answered', legChannelId: leg0 }, at(5)).commands).toEqual([]);
  });

  it('ignores events of other legs', () => {
    const s = start().state;
    expect(handleEscalation(s, { type: 'leg-failed', legChannelId: 'police-x-0', cause: 'busy' }, at(1)).state).toBe(s);
    expect(handleEscalation(s, { type: 'announcement-done', legChannelId: leg0 }, at(1)).commands).toEqual([]);
  });

  it('treats the police hanging up during the announcement as a failed route', () => {
    const answered = handleEscalation(start().state, { type: 'leg-answered', legChannelId: leg0 }, at(3));
    const left = handleEscalation(answered.state, { type: 'police-left', legChannelId: leg0 }, at(4));
    expect(left.state.status).toBe('dialling');
    expect(left.state.legChannelId).toBe(leg1);
  });

  it('ends when the police leave after being connected', () => {
    const a = handleEscalation(start({ announce: false }).state, { type: 'leg-answered', legChannelId: leg0 }, at(2));
    const left = handleEscalation(a.state, { type: 'police-left', legChannelId: leg0 }, at(60));
    expect(left.state.status).toBe('ended');
    expect(left.commands).toEqual([{ type: 'finished', outcome: 'connected-then-ended' }]);
  });

  it('hangs up the police leg when the caller leaves, whatever the stage', () => {
    const stages: EscalationState[] = [start().state];
    stages.push(handleEscalation(stages[0] as EscalationState, { type: 'leg-answered', legChannelId: leg0 }, at(2)).state);
    for (const s of stages) {
      const r = handleEscalation(s, { type: 'caller-left' }, at(5));
      expect(r.state.status).toBe('ended');
      expect(r.commands[0]).toEqual({ type: 'hangup-leg', legChannelId: leg0 });
      expect(r.commands[1]).toEqual({ type: 'finished', outcome: 'caller-left' });
    }
  });

  it('reports a connected escalation that the caller ended as connected-then-ended', () => {
    const a = handleEscalation(start({ announce: false }).state, { type: 'leg-answered', legChannelId: leg0 }, at(2));
    const r = handleEscalation(a.state, { type: 'caller-left' }, at(90));
    expect(r.commands.at(-1)).toEqual({ type: 'finished', outcome: 'connected-then-ended' });
  });
});
