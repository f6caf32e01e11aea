import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/storage/database.ts';
import { AriInspector } from './support/ari-inspector.ts';
import { bridgeWith, escalatingPhone, hotlineConfigWith, sipPhone, startCaller, webPassword } from './support/peers.ts';
import { e2eDatabaseUrl, startService, type RunningService } from './support/service.ts';
import { policeUas, POLICE_PORT, type SipMessage, type SippRun } from './support/sipp.ts';
import { waitFor } from './support/wait.ts';

/**
 * The satisfaction survey on the real stack: a SIPp caller talks to counsellor 1001's SIPp phone,
 * the counsellor hangs up, and the caller, alone now, hears the survey (Mandarin, rendered by
 * espeak-ng). Pressing 1 stores 满意 on the call record (PostgreSQL, and the supervisors' counts);
 * silence ends the call politely with nothing stored; an escalated call gets no survey.
 */

const ari = new AriInspector();
/** A short privacy notice and answer time; 110 hears one word before joining (as in escalation.test.ts). */
const config = hotlineConfigWith((c) => {
  c.ivr!.privacyNotice = 'digit_0';
  c.survey = { answerTimeoutMs: 3000 };
  (c.lines as Record<string, Record<string, unknown>>).main!.survey = true;
  c.escalation!.answerTimeoutMs = 3000;
  c.escalation!.policeAnnouncement = 'digit_1';
});

let service: RunningService | undefined;
let db: pg.Pool;
const peers: Array<{ stop(): Promise<unknown> }> = [];
const track = <T extends { stop(): Promise<unknown> }>(p: T): T => (peers.push(p), p);

beforeAll(async () => {
  db = await openDatabase(e2eDatabaseUrl());
});
afterAll(async () => {
  await db.end();
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && service) console.error(`service log (tail):\n${service.logs().split('\n').slice(-60).join('\n')}`);
  await Promise.allSettled(peers.splice(0).map((p) => p.stop()));
  await service?.stop();
  service = undefined;
  await ari.clear();
});

const byeAt = (messages: SipMessage[], direction: SipMessage['direction']) => messages.findIndex((m) => m.direction === direction && m.firstLine.startsWith('BYE '));

/** Mandarin (1), psychological (1) (1001 has the skill), then the caller's own keys; waits for the PBX's BYE. */
async function caller(callerNumber: string, keys: Array<{ key: string; afterMs: number }>): Promise<SippRun> {
  return track(await startCaller({ callerNumber, holdMs: 45_000, hangup: 'remote', keys: [{ key: '1', afterMs: 1000 }, { key: '1', afterMs: 1000 }, ...keys] }));
}

async function connected(callerNumber: string): Promise<string> {
  const ch = await waitFor('the caller in Stasis', () => ari.channelOf(callerNumber), 10_000);
  await waitFor('caller and counsellor in one bridge', async () => {
    const b = await bridgeWith(ari, ch.id);
    return b && b.bridge_type === 'mixing' && b.channels.length === 2 ? b : undefined;
  }, 20_000);
  return ch.id;
}

async function recordOf(callId: string): Promise<{ satisfaction: number | null; outcome: string | null; counsellor_id: string | null }> {
  return waitFor('the call record closed', async () => {
    const r = await db.query<{ satisfaction: number | null; outcome: string | null; counsellor_id: string | null }>(
      'SELECT satisfaction, outcome, counsellor_id FROM calls WHERE call_id = $1 AND ended_at IS NOT NULL', [callId]);
    return r.rows[0];
  }, 15_000);
}

interface Row { counsellorId: string; satisfied: number; total: number }
async function satisfiedCount(s: RunningService, token: string): Promise<Row | undefined> {
  const res = await s.api<{ counsellors: Row[] }>('/api/supervision/satisfaction', token);
  expect(res.status).toBe(200);
  return res.body.counsellors.find((c) => c.counsellorId === 'c1001');
}

describe('satisfaction survey after the counsellor hangs up', () => {
  it('the caller presses 1: 满意 is stored on the call and counted for supervisors, then a BYE after the thank-you', async () => {
    service = await startService({ env: { HOTLINE_CONFIG: config } });
    const token = await service.login('s2001', webPassword('s2001'));
    const before = (await satisfiedCount(service, token))?.satisfied ?? 0;
    // A counsellor may not see the figures.
    const counsellorToken = await service.login('c1001', webPassword('c1001'));
    expect((await service.api('/api/supervision/satisfaction', counsellorToken)).status).toBe(403);

    const phone = track(await sipPhone({ sipUser: '1001', talkMs: 3000 }));
    const number = '13800000201';
    // The key comes ~12 s after the menu choice: the counsellor hung up ~3 s after answering, and
    // the question (about 10 s) takes keys while it plays and for 3 s after.
    const c = await caller(number, [{ key: '1', afterMs: 12_000 }]);
    const callId = await connected(number);
    await waitFor('the counsellor hanging up', async () => (byeAt(phone.messages(), 'sent') >= 0 ? true : undefined), 15_000);
    // The caller is still on, alone, out of the call bridge.
    const ch = (await ari.channels()).find((x) => x.id === callId);
    expect(ch?.state, 'the caller stays on for the survey').toBe('Up');
    expect(await bridgeWith(ari, callId)).toBeUndefined();

    const r = await c.done;
    expect(r.exitCode, r.log).toBe(0);
    expect(byeAt(r.messages, 'received'), 'the hotline ended the call after the thank-you').toBeGreaterThanOrEqual(0);
    const rec = await recordOf(callId);
    expect(rec).toEqual({ satisfaction: 1, outcome: 'completed', counsellor_id: 'c1001' });
    expect((await satisfiedCount(service, token))?.satisfied).toBe(before + 1);
    await ari.waitForNoLeftovers(8000);
  }, 90_000);

  it('a silent caller: the goodbye, a BYE, and nothing stored', async () => {
    service = await startService({ env: { HOTLINE_CONFIG: config } });
    const phone = track(await sipPhone({ sipUser: '1001', talkMs: 3000 }));
    const number = '13800000202';
    const c = await caller(number, []);
    const callId = await connected(number);
    await waitFor('the counsellor hanging up', async () => (byeAt(phone.messages(), 'sent') >= 0 ? true : undefined), 15_000);
    const hungUpAt = Date.now();
    const r = await c.done;
    expect(r.exitCode, r.log).toBe(0);
    expect(byeAt(r.messages, 'received')).toBeGreaterThanOrEqual(0);
    // Question, 3 s of silence, goodbye: several seconds on the line after the counsellor left.
    expect(Date.now() - hungUpAt).toBeGreaterThan(6000);
    expect(await recordOf(callId)).toEqual({ satisfaction: null, outcome: 'completed', counsellor_id: 'c1001' });
    await ari.waitForNoLeftovers(8000);
  }, 90_000);

  it('after an escalation to 110: no survey, the caller gets the BYE at once', async () => {
    service = await startService({ env: { HOTLINE_CONFIG: config } });
    // 110 answers and hangs up 3 s later; the counsellor presses * after 500 ms and hangs up 9 s after it.
    track(await policeUas({ mode: 'answer', port: POLICE_PORT, talkMs: 3000 }));
    const phone = track(await escalatingPhone({ sipUser: '1001', starAfterMs: 3000, talkMs: 9000 }));
    const number = '13800000203';
    const c = await caller(number, []);
    const callId = await connected(number);
    await waitFor('the counsellor hanging up', async () => (byeAt(phone.messages(), 'sent') >= 0 ? true : undefined), 30_000);
    const hungUpAt = Date.now();
    const r = await c.done;
    expect(byeAt(r.messages, 'received'), 'the call ended with the counsellor').toBeGreaterThanOrEqual(0);
    expect(Date.now() - hungUpAt, 'no survey played').toBeLessThan(4000);
    const rec = await recordOf(callId);
    expect(rec.satisfaction).toBeNull();
    expect(rec.outcome).toBe('escalated');
    await ari.waitForNoLeftovers(8000);
  }, 90_000);
});
