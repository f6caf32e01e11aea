import { describe, expect, it } from 'vitest';
import { WriteRefusedError } from '../../../src/ports/deferred-writes.ts';
import type { TestHotline } from '../../fakes/hotline-harness.ts';
import { hotlinePerTest } from '../services/hotline-per-test.ts';

let h: TestHotline;
hotlinePerTest((started) => void (h = started));

const eventTypes = (callId: string) => h.stores.events.events.filter((e) => e.callId === callId).map((e) => e.type);

describe('a call while PostgreSQL is down', () => {
  it('is answered, queued, connected and escalated; its records are written once the database is back, in order and once', async () => {
    h.stores.database.down = true;
    await h.online('1001');
    await h.callerInQueue('caller-1', '0');
    const leg = h.offerFor('caller-1')?.channelId ?? '';
    expect(leg, 'offered to the counsellor').not.toBe('');
    h.telephony.answerLeg(leg);
    await h.settle();
    expect(h.calls.getCall('caller-1')?.phase).toBe('connected');
    h.telephony.dtmf(leg, '*');
    await h.settle();
    expect(h.calls.getCall('caller-1')?.phase, 'escalated with one key').toBe('escalating');
    expect(h.telephony.callsOf('continueInDialplan'), 'nobody was handed to the dialplan fallback').toEqual([]);

    expect(await h.stores.records.get('caller-1'), 'nothing reached the database yet').toBeNull();
    expect(h.stores.backlog.items.length).toBeGreaterThan(4);
    expect(h.writes.degraded).toBe(true);
    expect(h.alerts().map((a) => a.code)).toContain('database-unavailable');

    h.stores.database.down = false;
    await h.advance(1000, 500);
    expect(h.stores.backlog.items, 'backlog written back').toEqual([]);
    expect(h.writes.degraded).toBe(false);
    expect(await h.stores.records.get('caller-1')).toMatchObject({ line: 'main', outcome: 'escalated', critical: true, counsellorId: 'c1' });
    expect(eventTypes('caller-1')).toEqual(['enter', 'offer', 'connect']);
    expect(await h.stores.audit.list(10)).toMatchObject([{ action: 'escalate-110', callId: 'caller-1' }]);
    expect(await h.stores.escalationLog.list(10)).toHaveLength(1);
    expect(h.alerts().map((a) => a.code)).toContain('database-restored');

    // Writes go straight to the database again.
    h.telephony.remoteHangup('caller-1');
    await h.settle();
    expect((await h.stores.records.get('caller-1'))?.endedAt).not.toBeNull();
    expect(h.stores.backlog.items).toEqual([]);
  });

  it('writes nothing twice when a write landed but its answer was lost', async () => {
    const apply = h.stores.database.apply.bind(h.stores.database);
    let lose = true;
    h.stores.database.apply = async (id, w) => {
      await apply(id, w);
      if (lose && w.kind === 'queue-event') {
        lose = false;
        h.stores.database.down = true; // the connection drops right after the insert
        throw new Error('Connection terminated unexpectedly');
      }
    };
    await h.callerInQueue('caller-1', '0');
    expect(h.writes.degraded).toBe(true);
    h.stores.database.down = false;
    await h.advance(1000, 500);
    expect(eventTypes('caller-1'), 'the enter event once').toEqual(['enter']);
    expect(h.writes.degraded).toBe(false);
  });

  it('keeps aside a write the database refuses while it answers, and goes on with the rest', async () => {
    h.stores.database.down = true;
    await h.callerInQueue('caller-1', '0');
    const apply = h.stores.database.apply.bind(h.stores.database);
    h.stores.database.apply = async (id, w) => {
      if (w.kind === 'call-open') throw new WriteRefusedError(new Error('value too long for type character varying'));
      await apply(id, w);
    };
    h.stores.database.down = false;
    await h.advance(1000, 500);
    expect(h.stores.backlog.dead.map((d) => d.write.kind)).toEqual(['call-open']);
    expect(eventTypes('caller-1')).toEqual(['enter']);
    expect(h.writes.degraded).toBe(false);
  });

  it('refuses a write outright when the database answers and refuses it (a bug, not an outage)', async () => {
    h.stores.database.apply = async () => {
      throw new WriteRefusedError(new Error('null value in column "line" violates not-null constraint'));
    };
    await expect(h.writes.write({ kind: 'queue-event', event: { at: new Date().toISOString(), type: 'enter', callId: 'x' } })).rejects.toThrow(/not-null/);
    expect(h.stores.backlog.items).toEqual([]);
    expect(h.writes.degraded).toBe(false);
  });

  it('defers a write the database did not answer in time (a full pool) rather than failing the call', async () => {
    const apply = h.stores.database.apply.bind(h.stores.database);
    let slow = true;
    h.stores.database.apply = async (id, w) => {
      if (slow) throw new Error('timeout exceeded when trying to connect');
      await apply(id, w);
    };
    await h.callerInQueue('caller-1', '0');
    expect(h.calls.getCall('caller-1')?.phase).toBe('queued');
    expect(h.telephony.callsOf('continueInDialplan')).toEqual([]);
    expect(h.writes.degraded).toBe(true);
    slow = false;
    await h.advance(1000, 500);
    expect(h.writes.degraded).toBe(false);
    expect((await h.stores.records.get('caller-1'))?.line).toBe('main');
  });
});
