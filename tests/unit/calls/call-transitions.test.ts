import { pino, type Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import type { LiveCall } from '../../../src/ports/live-calls.ts';
import { CallTransitions, type LiveCallFields } from '../../../src/services/calls/call-transitions.ts';

interface Line { level: number; msg: string; callId?: string; from?: string; to?: string; event?: string; code?: string }

function capture(): { lines: Line[]; logFor: (callId: string) => Logger } {
  const lines: Line[] = [];
  const root = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Line) });
  return { lines, logFor: (callId) => root.child({ callId }) };
}

const fields: LiveCallFields = {
  callId: 'caller-1', channelId: 'caller-1', line: 'main', dialled: '12355', callerNumber: '13800138000', startedAt: '2026-06-01T00:00:00.000Z',
  ivr: null, routing: null, counsellorId: null, counsellorChannelId: null, bridgeId: null, offerId: null, extraChannels: [],
};

const ERROR = 50;
const INFO = 30;

describe('the one way in to a call\'s phase', () => {
  it('creates a call by its first event and logs it as a transition', () => {
    const { lines, logFor } = capture();
    const t = new CallTransitions(logFor);
    expect(t.create(fields, 'entered').phase).toBe('ivr');
    expect(t.create(fields, 'adopted-connected').phase).toBe('connected');
    expect(lines.map(({ level, msg, callId, from, to, event }) => ({ level, msg, callId, from, to, event }))).toEqual([
      { level: INFO, msg: 'call transition', callId: 'caller-1', from: 'new', to: 'ivr', event: 'entered' },
      { level: INFO, msg: 'call transition', callId: 'caller-1', from: 'new', to: 'connected', event: 'adopted-connected' },
    ]);
  });

  it('moves a call by a named event and logs from, to and event on the call\'s logger', () => {
    const { lines, logFor } = capture();
    const t = new CallTransitions(logFor);
    const call = t.create(fields, 'entered');
    expect(t.apply(call, 'routed')).toBe(true);
    expect(t.apply(call, 'offered')).toBe(true);
    expect(call.phase).toBe('offered');
    expect(lines.at(-1)).toMatchObject({ level: INFO, msg: 'call transition', callId: 'caller-1', from: 'queued', to: 'offered', event: 'offered' });
  });

  it('refuses an illegal transition: logged as an error with its code, the phase left as it was', () => {
    const { lines, logFor } = capture();
    const t = new CallTransitions(logFor);
    const call = t.create(fields, 'entered');
    expect(t.apply(call, 'answered')).toBe(false);
    expect(call.phase).toBe('ivr');
    expect(lines.at(-1)).toMatchObject({ level: ERROR, callId: 'caller-1', code: 'CALL_ILLEGAL_TRANSITION', from: 'ivr', event: 'answered' });
  });

  it('refuses a phase read back from the store that the machine does not know, with its own code', () => {
    const { lines, logFor } = capture();
    const t = new CallTransitions(logFor);
    const stored = { ...fields, phase: 'ringing' } as unknown as LiveCall;
    expect(t.apply(stored, 'caller-left')).toBe(false);
    expect(stored.phase).toBe('ringing');
    expect(lines.at(-1)).toMatchObject({ level: ERROR, code: 'CALL_UNKNOWN_STATE' });
  });

  it('ends a call once: the stored phase stays what the call was, every later event is refused', () => {
    const { lines, logFor } = capture();
    const t = new CallTransitions(logFor);
    const call = t.create(fields, 'entered');
    t.apply(call, 'routed');
    expect(t.apply(call, 'caller-left')).toBe(true);
    expect(lines.at(-1)).toMatchObject({ msg: 'call transition', from: 'queued', to: 'ended', event: 'caller-left' });
    expect(call.phase).toBe('queued');
    expect(t.stateOf(call)).toBe('ended');
    expect(t.apply(call, 'caller-left')).toBe(false);
    expect(t.apply(call, 'offered')).toBe(false);
    expect(call.phase).toBe('queued');
    expect(lines.filter((l) => l.level === ERROR).map((l) => l.code)).toEqual(['CALL_ILLEGAL_TRANSITION', 'CALL_ILLEGAL_TRANSITION']);
  });
});
