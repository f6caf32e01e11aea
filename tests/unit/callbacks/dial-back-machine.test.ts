import { describe, expect, it } from 'vitest';
import {
  handleDialBackEvent, startDialBack, type DialBackCommand, type DialBackEvent, type DialBackState, type DialBackStatus,
} from '../../../src/domain/callbacks/dial-back-machine.ts';

const EVENTS: DialBackEvent[] = [
  { type: 'counsellor-answered' }, { type: 'counsellor-gone' }, { type: 'caller-answered' }, { type: 'caller-failed', cause: 'Busy' }, { type: 'notice-done' },
];
const STATUSES: DialBackStatus[] = ['ringing-counsellor', 'ringing-caller', 'telling-counsellor', 'connected', 'ended'];

function run(events: DialBackEvent[]): { state: DialBackState; commands: DialBackCommand['type'][][] } {
  let state = startDialBack();
  const commands: DialBackCommand['type'][][] = [];
  for (const e of events) {
    const step = handleDialBackEvent(state, e);
    state = step.state;
    commands.push(step.commands.map((c) => c.type));
  }
  return { state, commands };
}

describe('dialling a caller back, counsellor first', () => {
  it('rings the counsellor first, then the caller with ringing in the counsellor\'s ear, and finishes the callback once the caller answers', () => {
    expect(startDialBack()).toEqual({ status: 'ringing-counsellor', outcome: null });
    const r = run([{ type: 'counsellor-answered' }, { type: 'caller-answered' }]);
    expect(r.commands).toEqual([['bridge-counsellor', 'play-ringback', 'dial-caller'], ['stop-ringback', 'connect-caller', 'finish-callback']]);
    expect(r.state).toEqual({ status: 'connected', outcome: 'connected' });
  });

  it('returns the callback to the list when the counsellor does not answer, and frees them as not having answered', () => {
    const r = run([{ type: 'counsellor-gone' }]);
    expect(r.commands).toEqual([['return-callback', 'release-counsellor']]);
    expect(handleDialBackEvent(startDialBack(), { type: 'counsellor-gone' }).commands).toContainEqual({ type: 'release-counsellor', answered: false });
    expect(r.state).toEqual({ status: 'ended', outcome: 'counsellor-no-answer' });
  });

  it('tells the counsellor when the caller does not answer, returns the callback, then hangs up', () => {
    const r = run([{ type: 'counsellor-answered' }, { type: 'caller-failed', cause: 'No Answer' }, { type: 'notice-done' }]);
    expect(r.commands.slice(1)).toEqual([
      ['stop-ringback', 'return-callback', 'play-no-answer-notice'],
      ['hang-up-counsellor-leg', 'destroy-bridge', 'release-counsellor'],
    ]);
    expect(r.state).toEqual({ status: 'ended', outcome: 'caller-no-answer' });
  });

  it('a counsellor who hangs up during the notice is not hung up again', () => {
    const r = run([{ type: 'counsellor-answered' }, { type: 'caller-failed', cause: 'Busy' }, { type: 'counsellor-gone' }]);
    expect(r.commands[2]).toEqual(['destroy-bridge', 'release-counsellor']);
    expect(r.state.status).toBe('ended');
  });

  it('cancels the caller\'s ringing phone when the counsellor hangs up first, and keeps the callback pending', () => {
    const r = run([{ type: 'counsellor-answered' }, { type: 'counsellor-gone' }]);
    expect(r.commands[1]).toEqual(['hang-up-caller-leg', 'destroy-bridge', 'return-callback', 'release-counsellor']);
    expect(r.state).toEqual({ status: 'ended', outcome: 'counsellor-left' });
  });

  it('every callback ends either finished (caller reached) or returned, exactly once, whatever the order of events', () => {
    // All event sequences up to length 4.
    const sequences: DialBackEvent[][] = [[]];
    for (let len = 0; len < 4; len++) {
      for (const seq of [...sequences].filter((s) => s.length === len)) for (const e of EVENTS) sequences.push([...seq, e]);
    }
    for (const seq of sequences) {
      const r = run(seq);
      const flat = r.commands.flat();
      const finishes = flat.filter((c) => c === 'finish-callback').length;
      const returns = flat.filter((c) => c === 'return-callback').length;
      expect(finishes + returns, JSON.stringify(seq)).toBeLessThanOrEqual(1);
      if (r.state.status === 'ended' || r.state.status === 'telling-counsellor') expect(returns, JSON.stringify(seq)).toBe(1);
      if (r.state.status === 'connected') expect(finishes, JSON.stringify(seq)).toBe(1);
      // The counsellor is released exactly once when the dial-back ends without a connected call.
      expect(flat.filter((c) => c === 'release-counsellor').length, JSON.stringify(seq)).toBe(r.state.status === 'ended' ? 1 : 0);
    }
  });

  it('ignores events that do not apply (late or repeated) in every status', () => {
    const applies: Record<DialBackStatus, DialBackEvent['type'][]> = {
      'ringing-counsellor': ['counsellor-answered', 'counsellor-gone'],
      'ringing-caller': ['caller-answered', 'caller-failed', 'counsellor-gone'],
      'telling-counsellor': ['notice-done', 'counsellor-gone'],
      connected: [],
      ended: [],
    };
    for (const status of STATUSES) {
      const state: DialBackState = { status, outcome: null };
      for (const e of EVENTS) {
        const step = handleDialBackEvent(state, e);
        if (applies[status].includes(e.type)) expect(step.state, `${status} + ${e.type}`).not.toBe(state);
        else expect(step, `${status} + ${e.type}`).toEqual({ state, commands: [] });
      }
    }
  });
});
