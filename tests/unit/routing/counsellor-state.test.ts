import { describe, expect, it } from 'vitest';
import type { CounsellorEvent, CounsellorSettings, TransitionResult } from '../../../src/domain/routing/counsellor-events.ts';
import { newCounsellorSnapshot, transition } from '../../../src/domain/routing/counsellor-state.ts';
import type { CounsellorSnapshot, CounsellorStatus } from '../../../src/domain/routing/types.ts';

const T0 = 1_700_000_000_000;
const NOW = T0 + 60_000;
const settings: CounsellorSettings = { wrapUpMs: 30_000, maxMissedBeforePause: 3 };
const profile = { id: 'c1', name: '李老师', endpoint: 'PJSIP/c1', skills: ['psy'], languages: ['cmn' as const], team: 'gz', level: 'city' as const };

function inStatus(status: CounsellorStatus, over: Partial<CounsellorSnapshot> = {}): CounsellorSnapshot {
  const withCall = status === 'offered' || status === 'on-call' || status === 'wrap-up';
  return Object.freeze({
    ...newCounsellorSnapshot(profile, T0, true),
    status,
    callId: withCall ? 'k1' : null,
    pauseReason: status === 'paused' ? 'break' : null,
    ...over,
  });
}

function expectOk(r: TransitionResult): Extract<TransitionResult, { ok: true }> {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r;
}

const EVENTS: CounsellorEvent[] = [
  { type: 'login' },
  { type: 'logout' },
  { type: 'pause', reason: 'break' },
  { type: 'resume' },
  { type: 'offer', callId: 'k2' },
  { type: 'answer' },
  { type: 'no-answer' },
  { type: 'offer-withdrawn' },
  { type: 'call-ended' },
  { type: 'wrap-up-elapsed' },
  { type: 'registration-lost' },
  { type: 'registration-restored' },
];

/** Next status and effect types for every (status, event); missing = invalid-transition. */
const TABLE: Record<CounsellorStatus, Partial<Record<CounsellorEvent['type'], [CounsellorStatus, string[]]>>> = {
  offline: {
    login: ['available', ['became-available']],
    'registration-lost': ['offline', []],
    'registration-restored': ['offline', []],
  },
  available: {
    logout: ['offline', []],
    pause: ['paused', []],
    offer: ['offered', []],
    'registration-lost': ['paused', []],
    'registration-restored': ['available', []],
  },
  offered: {
    logout: ['offline', ['withdraw-offer']],
    answer: ['on-call', []],
    'no-answer': ['available', ['offer-missed', 'became-available']],
    'offer-withdrawn': ['available', ['became-available']],
    'registration-lost': ['paused', ['withdraw-offer']],
    'registration-restored': ['offered', []],
  },
  'on-call': {
    'call-ended': ['wrap-up', ['start-wrap-up-timer']],
    'registration-lost': ['on-call', []],
    'registration-restored': ['on-call', []],
  },
  'wrap-up': {
    logout: ['offline', ['cancel-wrap-up-timer']],
    pause: ['paused', ['cancel-wrap-up-timer']],
    resume: ['available', ['cancel-wrap-up-timer', 'became-available']],
    'wrap-up-elapsed': ['available', ['became-available']],
    'registration-lost': ['wrap-up', []],
    'registration-restored': ['wrap-up', []],
  },
  paused: {
    logout: ['offline', []],
    resume: ['available', ['became-available']],
    'registration-lost': ['paused', []],
    'registration-restored': ['paused', []],
  },
};

describe('transition table', () => {
  for (const [from, row] of Object.entries(TABLE) as [CounsellorStatus, (typeof TABLE)[CounsellorStatus]][]) {
    for (const event of EVENTS) {
      const expected = row[event.type];
      it(`${from} + ${event.type} -> ${expected ? expected[0] : 'invalid-transition'}`, () => {
        const r = transition(inStatus(from), event, NOW, settings);
        if (expected === undefined) {
          expect(r).toEqual({ ok: false, error: { code: 'invalid-transition', from, event: event.type } });
          return;
        }
        const { snapshot, effects } = expectOk(r);
        expect(snapshot.status).toBe(expected[0]);
        expect(effects.map((e) => e.type)).toEqual(expected[1]);
        expect(snapshot.statusSince).toBe(snapshot.status === from ? T0 : NOW);
        expect(snapshot.pauseReason !== null).toBe(snapshot.status === 'paused');
        expect(snapshot.callId !== null).toBe(['offered', 'on-call', 'wrap-up'].includes(snapshot.status));
      });
    }
  }
});

describe('offers and calls', () => {
  it('an offer records the call and the time; an answer counts the call and clears misses', () => {
    const offered = expectOk(transition(inStatus('available', { missedInARow: 2 }), { type: 'offer', callId: 'k9' }, NOW, settings));
    expect(offered.snapshot).toMatchObject({ status: 'offered', callId: 'k9', lastOfferedAt: NOW });
    const answered = expectOk(transition(offered.snapshot, { type: 'answer', callId: 'k9' }, NOW + 5, settings));
    expect(answered.snapshot).toMatchObject({ status: 'on-call', callId: 'k9', callsToday: 1, missedInARow: 0 });
  });

  it('rejects an event about another call', () => {
    expect(transition(inStatus('offered'), { type: 'no-answer', callId: 'old' }, NOW, settings)).toEqual({
      ok: false,
      error: { code: 'call-mismatch', event: 'no-answer', expected: 'k1', actual: 'old' },
    });
  });

  it('the late end of an earlier call leaves the counsellor on their current call', () => {
    expect(transition(inStatus('on-call'), { type: 'call-ended', callId: 'old' }, NOW, settings)).toEqual({
      ok: false,
      error: { code: 'call-mismatch', event: 'call-ended', expected: 'k1', actual: 'old' },
    });
    const ended = expectOk(transition(inStatus('on-call'), { type: 'call-ended', callId: 'k1' }, NOW, settings));
    expect(ended.snapshot).toMatchObject({ status: 'wrap-up', callId: 'k1' });
  });

  it('a withdrawn offer is not a miss', () => {
    const r = expectOk(transition(inStatus('offered', { missedInARow: 1 }), { type: 'offer-withdrawn' }, NOW, settings));
    expect(r.snapshot).toMatchObject({ status: 'available', missedInARow: 1, callId: null });
  });
});

describe('auto-pause after missed offers', () => {
  function ringAndMiss(s: CounsellorSnapshot, n: number): TransitionResult {
    const offered = expectOk(transition(s, { type: 'offer', callId: `k${n}` }, NOW + n, settings)).snapshot;
    return transition(offered, { type: 'no-answer' }, NOW + n, settings);
  }

  it('pauses with reason no-answer after maxMissedBeforePause misses in a row', () => {
    let s = inStatus('available');
    for (let n = 1; n < 3; n++) {
      const r = expectOk(ringAndMiss(s, n));
      expect(r.snapshot).toMatchObject({ status: 'available', missedInARow: n });
      expect(r.effects).toEqual([{ type: 'offer-missed', callId: `k${n}` }, { type: 'became-available' }]);
      s = r.snapshot;
    }
    const third = expectOk(ringAndMiss(s, 3));
    expect(third.snapshot).toMatchObject({ status: 'paused', pauseReason: 'no-answer', missedInARow: 3 });
    expect(third.effects).toEqual([{ type: 'offer-missed', callId: 'k3' }, { type: 'auto-paused', reason: 'no-answer' }]);
    const resumed = expectOk(transition(third.snapshot, { type: 'resume' }, NOW + 10, settings));
    expect(resumed.snapshot).toMatchObject({ status: 'available', pauseReason: null, missedInARow: 0 });
  });

  it('an answered call resets the count; a threshold of 0 never pauses', () => {
    const offered = expectOk(transition(inStatus('available', { missedInARow: 2 }), { type: 'offer', callId: 'k' }, NOW, settings));
    const answered = expectOk(transition(offered.snapshot, { type: 'answer' }, NOW, settings)).snapshot;
    const ended = expectOk(transition(answered, { type: 'call-ended' }, NOW, settings)).snapshot;
    const free = expectOk(transition(ended, { type: 'wrap-up-elapsed' }, NOW, settings)).snapshot;
    expect(expectOk(ringAndMiss(free, 1)).snapshot).toMatchObject({ status: 'available', missedInARow: 1 });
    const never = transition(inStatus('offered', { missedInARow: 50 }), { type: 'no-answer' }, NOW, { ...settings, maxMissedBeforePause: 0 });
    expect(expectOk(never).snapshot).toMatchObject({ status: 'available', missedInARow: 51 });
  });
});

describe('wrap-up', () => {
  it('starts a wrap-up timer when the call ends, then becomes available when it elapses', () => {
    const ended = expectOk(transition(inStatus('on-call'), { type: 'call-ended' }, NOW, settings));
    expect(ended.snapshot).toMatchObject({ status: 'wrap-up', lastCallEndedAt: NOW, callId: 'k1' });
    expect(ended.effects).toEqual([{ type: 'start-wrap-up-timer', ms: 30_000 }]);
    const done = expectOk(transition(ended.snapshot, { type: 'wrap-up-elapsed' }, NOW + 30_000, settings));
    expect(done.snapshot).toMatchObject({ status: 'available', statusSince: NOW + 30_000, callId: null });
  });

  it('skips wrap-up when wrapUpMs is 0', () => {
    const r = expectOk(transition(inStatus('on-call'), { type: 'call-ended' }, NOW, { ...settings, wrapUpMs: 0 }));
    expect(r.snapshot).toMatchObject({ status: 'available', lastCallEndedAt: NOW });
    expect(r.effects).toEqual([{ type: 'became-available' }]);
  });
});

describe('SIP registration', () => {
  it('a counsellor whose phone dropped mid-call finishes the call, then waits paused for the phone', () => {
    let s = expectOk(transition(inStatus('on-call'), { type: 'registration-lost' }, NOW, settings)).snapshot;
    expect(s).toMatchObject({ status: 'on-call', registered: false });
    s = expectOk(transition(s, { type: 'call-ended' }, NOW + 1, settings)).snapshot;
    const r = expectOk(transition(s, { type: 'wrap-up-elapsed' }, NOW + 2, settings));
    expect(r.snapshot).toMatchObject({ status: 'paused', pauseReason: 'registration-lost' });
    expect(r.effects).toEqual([]);
    const back = expectOk(transition(r.snapshot, { type: 'registration-restored' }, NOW + 3, settings));
    expect(back.snapshot).toMatchObject({ status: 'available', registered: true, pauseReason: null });
    expect(back.effects).toEqual([{ type: 'became-available' }]);
  });

  it('withdraws a ringing offer without counting a miss', () => {
    const r = expectOk(transition(inStatus('offered'), { type: 'registration-lost' }, NOW, settings));
    expect(r.snapshot).toMatchObject({ status: 'paused', pauseReason: 'registration-lost', missedInARow: 0, callId: null });
    expect(r.effects).toEqual([{ type: 'withdraw-offer', callId: 'k1' }]);
  });

  it('keeps a manual pause when the phone comes back', () => {
    const lost = expectOk(transition(inStatus('paused'), { type: 'registration-lost' }, NOW, settings)).snapshot;
    const back = expectOk(transition(lost, { type: 'registration-restored' }, NOW, settings)).snapshot;
    expect(back).toMatchObject({ status: 'paused', pauseReason: 'break', registered: true });
  });

  it('login or resume without a registered phone leaves the counsellor paused until it registers', () => {
    const fresh = newCounsellorSnapshot(profile, T0);
    expect(expectOk(transition(fresh, { type: 'login' }, NOW, settings)).snapshot).toMatchObject({
      status: 'paused',
      pauseReason: 'registration-lost',
    });
    const r = expectOk(transition(inStatus('paused', { registered: false }), { type: 'resume' }, NOW, settings));
    expect(r.snapshot).toMatchObject({ status: 'paused', pauseReason: 'registration-lost' });
    expect(r.effects).toEqual([]);
  });
});
