import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CALL_EVENTS, CALL_PHASES, CALL_STATES, nextCallState, type CallEvent, type CallState,
} from '../../../src/domain/calls/call-machine.ts';

/**
 * What the services do today, written out independently of the machine's table: every
 * (state, event) pair listed here must be allowed and lead where it says; every other pair refused.
 */
const ALLOWED: ReadonlyArray<[CallState, CallEvent, CallState]> = [
  ['new', 'entered', 'ivr'], // CallService: a caller's channel entered Stasis
  ['new', 'adopted-connected', 'connected'], // DialBackService: the callback reached the caller
  ['ivr', 'routed', 'queued'], // IvrService: the menus chose a queue
  ['queued', 'offered', 'offered'], // OfferManager.offer: counsellors rung
  ['offered', 'offered', 'offered'], // OfferManager.offer: matching re-offers a caller it found offered
  ['offered', 'offer-withdrawn', 'queued'], // OfferManager.noAnswer: the last counsellor rung let it lapse
  ['offered', 'answered', 'connected'], // QueueService.answered
  ['connected', 'escalation-started', 'escalating'], // EscalationService.startNow
  ['escalating', 'escalation-ended', 'connected'], // EscalationService.finished, counsellor still on
  ['escalating', 'requeued', 'queued'], // EscalationService.finished, nobody left with the caller
  ['connected', 'requeued', 'queued'],
  ['connected', 'transfer-started', 'transferring'], // TransferService.transfer: the caller holds, a colleague rings
  ['transferring', 'transfer-ended', 'connected'], // TransferService: colleague took over, or caller back with the counsellor
  ['transferring', 'requeued', 'queued'], // TransferService: colleague unavailable and the counsellor left
  ['ivr', 'resumed-waiting', 'queued'], // resync: stopped between queue entry and saved phase
  ['queued', 'resumed-waiting', 'queued'], // resync: waiting callers wait again
  ['offered', 'resumed-waiting', 'queued'], // resync: ringing offers withdrawn
  ...(['ivr', 'queued', 'offered', 'connected', 'escalating', 'transferring'] as const).map((s): [CallState, CallEvent, CallState] => [s, 'handed-to-dialplan', 'ending']),
  ...CALL_PHASES.map((s): [CallState, CallEvent, CallState] => [s, 'caller-left', 'ended']),
];

const allowedNext = (from: CallState, event: CallEvent) => ALLOWED.find(([s, e]) => s === from && e === event)?.[2];

/** Applies events from `new` as the router does: a refused event leaves the state as it was. */
function run(events: readonly CallEvent[]): { state: CallState; moves: CallEvent[]; refused: number } {
  let state: CallState = 'new';
  const moves: CallEvent[] = [];
  let refused = 0;
  for (const e of events) {
    const step = nextCallState(state, e);
    if (step.ok) {
      state = step.next;
      moves.push(e);
    } else {
      expect(step.code).toBe('CALL_ILLEGAL_TRANSITION');
      refused++;
    }
  }
  return { state, moves, refused };
}

const eventArb = fc.constantFrom(...CALL_EVENTS);
const sequenceArb = fc.array(eventArb, { maxLength: 6 });

describe('the call machine', () => {
  it('keeps the stored phase values, so calls saved in Redis before still read back', () => {
    expect(CALL_PHASES).toEqual(['ivr', 'queued', 'offered', 'connected', 'escalating', 'transferring', 'ending']);
  });

  it('follows a caller from the menus to a counsellor, through an escalation and out', () => {
    const r = run(['entered', 'routed', 'offered', 'offer-withdrawn', 'offered', 'answered', 'escalation-started', 'escalation-ended', 'caller-left']);
    expect(r.refused).toBe(0);
    expect(r.state).toBe('ended');
  });

  it('holds a caller through a transfer, and re-queues them when nobody is left', () => {
    expect(run(['entered', 'routed', 'offered', 'answered', 'transfer-started', 'transfer-ended', 'transfer-started', 'requeued', 'offered', 'answered']).state).toBe('connected');
    expect(run(['entered', 'routed', 'offered', 'answered', 'transfer-started', 'escalation-started']).state).toBe('transferring');
  });

  it('re-queues a caller left alone after an escalation, and offers them again', () => {
    expect(run(['entered', 'routed', 'offered', 'answered', 'escalation-started', 'requeued', 'offered', 'answered']).state).toBe('connected');
  });

  it('allows exactly the transitions the services make, for every state and event', () => {
    for (const from of CALL_STATES) {
      for (const event of CALL_EVENTS) {
        const step = nextCallState(from, event);
        const expected = allowedNext(from, event);
        if (expected === undefined) {
          expect(step, `${event} from ${from}`).toMatchObject({ ok: false, code: 'CALL_ILLEGAL_TRANSITION', from, event });
        } else {
          expect(step, `${event} from ${from}`).toEqual({ ok: true, from, event, next: expected });
        }
      }
    }
  });

  it('refuses everything once the caller left, and creates calls only from new', () => {
    for (const event of CALL_EVENTS) {
      expect(nextCallState('ended', event).ok).toBe(false);
      expect(nextCallState('new', event).ok).toBe(event === 'entered' || event === 'adopted-connected');
    }
  });

  it('a call handed to the dialplan can only end', () => {
    expect(CALL_EVENTS.filter((e) => nextCallState('ending', e).ok)).toEqual(['caller-left']);
  });

  it('answers unknown states and events with their own codes, and never throws for any string', () => {
    expect(nextCallState('ringing', 'answered')).toMatchObject({ ok: false, code: 'CALL_UNKNOWN_STATE' });
    expect(nextCallState('queued', 'teleported')).toMatchObject({ ok: false, code: 'CALL_UNKNOWN_EVENT' });
    expect(nextCallState('queued', 'toString')).toMatchObject({ ok: false, code: 'CALL_UNKNOWN_EVENT' });
    fc.assert(fc.property(fc.string(), fc.string(), (state, event) => {
      const step = nextCallState(state, event);
      expect(typeof step.ok).toBe('boolean');
    }));
  });

  it('every sequence of up to 6 events leaves the call in a known state, refusals change nothing', () => {
    fc.assert(fc.property(sequenceArb, (events) => {
      let state: CallState = 'new';
      for (const e of events) {
        const step = nextCallState(state, e);
        if (step.ok) {
          expect(allowedNext(state, e)).toBe(step.next);
          state = step.next;
        } else {
          expect(allowedNext(state, e)).toBeUndefined();
          expect(step).toMatchObject({ code: 'CALL_ILLEGAL_TRANSITION', from: state, event: e });
        }
        expect(CALL_STATES).toContain(state);
      }
    }), { numRuns: 2000 });
  }, 30_000); // 2,000 sequences with expect() each: seconds on a loaded 2-core machine

  it('a call ends exactly once, and only when the caller left', () => {
    fc.assert(fc.property(sequenceArb, (events) => {
      const r = run(events);
      expect(r.moves.filter((e) => e === 'caller-left').length).toBeLessThanOrEqual(1);
      expect(r.state === 'ended').toBe(r.moves.includes('caller-left'));
      // Nothing moves an ended call: caller-left, if it happened, is the last move.
      if (r.moves.includes('caller-left')) expect(r.moves.at(-1)).toBe('caller-left');
    }), { numRuns: 2000 });
  }, 30_000); // 2,000 sequences with expect() each: seconds on a loaded 2-core machine

  it('every call born is born once, by its first move', () => {
    fc.assert(fc.property(sequenceArb, (events) => {
      const { moves } = run(events);
      const births = moves.filter((e) => e === 'entered' || e === 'adopted-connected');
      expect(births.length).toBe(moves.length > 0 ? 1 : 0);
      if (moves.length > 0) expect(births[0]).toBe(moves[0]);
    }), { numRuns: 2000 });
  }, 30_000); // 2,000 sequences with expect() each: seconds on a loaded 2-core machine

  it('exhaustively, over all sequences of up to 4 events: only listed moves happen, and ending leads only to ended', () => {
    let sequences: CallEvent[][] = [[]];
    let checked = 0;
    for (let len = 1; len <= 4; len++) {
      sequences = sequences.flatMap((s) => CALL_EVENTS.map((e) => [...s, e]));
      for (const events of sequences) {
        let state: CallState = 'new';
        for (const e of events) {
          const step = nextCallState(state, e);
          if (!step.ok) continue;
          if (state === 'ending') expect(step.next).toBe('ended');
          if (step.next === 'ending') expect(e).toBe('handed-to-dialplan');
          state = step.next;
        }
        checked++;
      }
    }
    expect(checked).toBe(14 + 14 ** 2 + 14 ** 3 + 14 ** 4);
  });
});
