import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scenarioPerTest, type QueueScenario } from './support/queue-scenario.ts';
import { OwnPostgres } from './support/postgres.ts';
import { saw } from './support/sipp.ts';
import { waitFor } from './support/wait.ts';

/**
 * PostgreSQL stops while the hotline runs. Calls must not notice: answered, queued, connected to a
 * counsellor; the call's records wait in the Redis backlog and are written once the database is
 * back, each once. /readyz says degraded meanwhile, and supervisors are alerted.
 */

let scenario: QueueScenario;
scenarioPerTest((s) => (scenario = s));
let postgres: OwnPostgres;
beforeEach(async () => {
  postgres = new OwnPostgres();
  await postgres.start();
});
afterEach(async () => {
  await postgres.remove();
});

describe('PostgreSQL unavailable', () => {
  it('a caller reaches a counsellor while the database is down; the records are written when it is back', async () => {
    const service = await scenario.start({ env: { DATABASE_URL: postgres.url('hotline_outage') } });
    const supervisor = await service.login('s2001');
    // Answers while the caller hears the notice, and talks past it (the bridge waits for its end).
    const phone = await scenario.phone('1001', true, { talkMs: 11_000 });
    await scenario.waitForCounsellor(service, 'c1001', 'available');

    await postgres.stop();
    {
      const caller = await scenario.caller({ callerNumber: '13800000281', keys: [{ key: '1', afterMs: 1000 }, { key: '0', afterMs: 1000 }], holdMs: 60_000, hangup: 'remote' });
      const callId = (await scenario.channelOf(caller)).id;
      const r = await caller.done;
      expect(saw(r, 'received', 'BYE'), 'the call ended by the counsellor hanging up after talking').toBe(true);
      expect(phone.invites().some((m) => m.headers['x-hotline-call-id'] === callId), 'the counsellor was rung for this caller').toBe(true);
      expect(service.logs(), 'not handed to the dialplan fallback').not.toContain('handing the caller to the dialplan');

      const ready = await fetch(`${service.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'degraded', checks: { database: false, redis: true } });
      const alerts = await service.api<{ alerts: Array<{ code: string }> }>('/api/alerts', supervisor);
      expect(alerts.body.alerts.map((a) => a.code)).toContain('database-unavailable');

      const mark = service.logs().length;
      await postgres.start();
      await service.waitForLog(/"msg":"database back; deferred writes written"/, 20_000, mark);
      const record = await scenario.endedCall(service, callId);
      expect(record).toMatchObject({ outcome: 'completed', counsellorId: 'c1001', line: 'main', need: 'general' });
      const course = (await scenario.events(service, callId)).map((e) => e.type);
      expect(course, 'each queue event once, in order').toEqual(['enter', 'offer', 'connect', 'complete']);
      await waitFor('readyz ready again', async () => ((await (await fetch(`${service.url}/readyz`)).json()) as { status: string }).status === 'ready' ? true : undefined);
    }
  }, 120_000);
});
