import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseEvent, RefreshScheduler } from '../../../web/src/shared/events.ts';

describe('parseEvent', () => {
  it('reads every event type of the contract', () => {
    expect(parseEvent('{"type":"queue-changed"}')).toEqual({ type: 'queue-changed' });
    expect(parseEvent('{"type":"counsellor-changed","counsellorId":"c1"}')).toEqual({ type: 'counsellor-changed', counsellorId: 'c1' });
    expect(parseEvent('{"type":"call-changed","callId":"k1"}')).toEqual({ type: 'call-changed', callId: 'k1' });
    expect(parseEvent('{"type":"offer","callId":"k1","counsellorId":"c1"}')).toEqual({ type: 'offer', callId: 'k1', counsellorId: 'c1' });
    expect(parseEvent('{"type":"escalation","callId":"k1","escalationId":"e1","state":"connected"}')).toEqual({
      type: 'escalation',
      callId: 'k1',
      escalationId: 'e1',
      state: 'connected',
    });
    expect(parseEvent('{"type":"alert","severity":"critical","code":"pbx-down","message":"m"}')).toEqual({
      type: 'alert',
      severity: 'critical',
      code: 'pbx-down',
      message: 'm',
    });
    expect(parseEvent('{"type":"pbx","connected":false}')).toEqual({ type: 'pbx', connected: false });
    expect(parseEvent('{"type":"follow-up","followUpId":"f1","caseId":"k1","counsellorId":"c1","change":"ringing"}')).toEqual({
      type: 'follow-up', followUpId: 'f1', caseId: 'k1', counsellorId: 'c1', change: 'ringing',
    });
    expect(parseEvent('{"type":"follow-up","followUpId":"f1","caseId":"k1","counsellorId":null,"change":"recorded"}')).toMatchObject({ counsellorId: null });
    expect(parseEvent('{"type":"follow-up","followUpId":"f1","caseId":"k1","counsellorId":"c1","change":"odd"}')).toBeNull();
  });

  it('drops malformed and unknown payloads', () => {
    for (const bad of [
      'not json',
      'null',
      '42',
      '{"type":"nope"}',
      '{"type":"counsellor-changed"}',
      '{"type":"escalation","callId":"k1","escalationId":"e1","state":"exploded"}',
      '{"type":"alert","severity":"info","code":"x","message":"m"}',
      '{"type":"pbx","connected":"yes"}',
    ]) {
      expect(parseEvent(bad)).toBeNull();
    }
  });
});

describe('RefreshScheduler', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup(fetchMs = 0) {
    const calls: string[] = [];
    const errors: string[] = [];
    const fetcher = (key: string) => async () => {
      calls.push(key);
      if (fetchMs > 0) await new Promise((r) => setTimeout(r, fetchMs));
      if (key === 'bad') throw new Error('boom');
    };
    const s = new RefreshScheduler<'a' | 'b' | 'bad'>(
      { a: fetcher('a'), b: fetcher('b'), bad: fetcher('bad') },
      (key) => errors.push(key),
      100,
    );
    return { s, calls, errors };
  }

  it('coalesces a burst of events into one fetch per key within 100 ms', async () => {
    const { s, calls } = setup();
    for (let i = 0; i < 20; i += 1) s.request(['a']);
    s.request(['b', 'a']);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(99);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.sort()).toEqual(['a', 'b']);
  });

  it('does not starve under a steady stream of events', async () => {
    const { s, calls } = setup();
    for (let t = 0; t < 1000; t += 20) {
      s.request(['a']);
      await vi.advanceTimersByTimeAsync(20);
    }
    expect(calls.length).toBeGreaterThanOrEqual(9);
    expect(calls.length).toBeLessThanOrEqual(11);
  });

  it('never overlaps fetches of one key, and fetches again after a change during a fetch', async () => {
    const { s, calls } = setup(300);
    s.request(['a']);
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toEqual(['a']);
    s.request(['a']);
    await vi.advanceTimersByTimeAsync(150);
    expect(calls).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toEqual(['a', 'a']);
  });

  it('reports failures and keeps going', async () => {
    const { s, calls, errors } = setup();
    s.request(['bad', 'a']);
    await vi.advanceTimersByTimeAsync(100);
    expect(errors).toEqual(['bad']);
    s.request(['a']);
    await vi.advanceTimersByTimeAsync(100);
    expect(calls.filter((c) => c === 'a')).toHaveLength(2);
  });

  it('fetches at once with now()', async () => {
    const { s, calls } = setup();
    await s.now(['a', 'b']);
    expect(calls).toEqual(['a', 'b']);
  });

  it('ignores an empty request', async () => {
    const { s, calls } = setup();
    s.request([]);
    await vi.advanceTimersByTimeAsync(500);
    expect(calls).toEqual([]);
  });
});
