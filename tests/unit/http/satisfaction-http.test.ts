import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../../src/adapters/http/app.ts';
import { satisfactionRoutes } from '../../../src/adapters/http/routes/satisfaction-routes.ts';
import type { Role } from '../../../src/ports/auth.ts';
import type { SatisfactionResponse } from '../../../src/wire/satisfaction.ts';
import { ManualClock } from '../../fakes/manual-clock.ts';
import { MemoryCallRecords } from '../../fakes/memory-call-records.ts';
import { MemorySessions } from '../../fakes/memory-sessions.ts';

/** GET /api/supervision/satisfaction over real HTTP: roles, period, counts, bad input. */

let server: Server;
let base: string;
let sessions: MemorySessions;
const records = new MemoryCallRecords();

beforeEach(async () => {
  sessions = new MemorySessions();
  const clock = new ManualClock(new Date('2026-03-20T00:00:00.000Z'));
  for (const [id, counsellorId, answer, at] of [
    ['a', 'c1', 1, '2026-03-10T02:00:00.000Z'], ['b', 'c1', 3, '2026-03-11T02:00:00.000Z'], ['c', 'c2', 2, '2026-03-12T02:00:00.000Z'],
    ['d', 'c2', 2, '2026-01-01T02:00:00.000Z'],
  ] as const) {
    await records.open({ callId: id, line: 'main', dialled: '12355', callerNumber: '13800138000', startedAt: at });
    await records.update(id, { counsellorId, satisfaction: answer, satisfactionAt: at });
  }
  const app = createHttpApp({ sessions, log: pino({ level: 'silent' }), routers: [satisfactionRoutes({ stats: records, clock })] });
  server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

async function get(role: Role | null, query = ''): Promise<Response> {
  const headers: Record<string, string> = {};
  if (role) headers.authorization = `Bearer ${await sessions.create({ userId: `${role}-1`, name: 'x', role, team: 'gz', level: 'province' })}`;
  return fetch(`${base}/api/supervision/satisfaction${query}`, { headers });
}

describe('GET /api/supervision/satisfaction', () => {
  it('counts per counsellor for a supervisor, over the last 30 days by default', async () => {
    const res = await get('supervisor');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      from: '2026-02-18T00:00:00.000Z', to: '2026-03-20T00:00:00.000Z',
      counsellors: [
        { counsellorId: 'c1', satisfied: 1, basicallySatisfied: 0, dissatisfied: 1, total: 2 },
        { counsellorId: 'c2', satisfied: 0, basicallySatisfied: 1, dissatisfied: 0, total: 1 },
      ],
    } satisfies SatisfactionResponse);
  });

  it('takes a period, for an admin too', async () => {
    const res = await get('admin', '?from=2025-12-31T00:00:00%2B08:00&to=2026-03-11T00:00:00Z');
    expect(res.status).toBe(200);
    const body = (await res.json()) as SatisfactionResponse;
    expect(body.counsellors).toEqual([
      { counsellorId: 'c1', satisfied: 1, basicallySatisfied: 0, dissatisfied: 0, total: 1 },
      { counsellorId: 'c2', satisfied: 0, basicallySatisfied: 1, dissatisfied: 0, total: 1 },
    ]);
  });

  it('is refused to counsellors and to the unauthenticated', async () => {
    expect((await get('counsellor')).status).toBe(403);
    expect((await get(null)).status).toBe(401);
  });

  it.each(['?from=yesterday', '?to=2026-13-01T00:00:00Z', '?from=2026-03-10T00:00:00Z&to=2026-03-01T00:00:00Z', '?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z', '?from=a&from=b'])(
    'answers 400 invalid-request to %s',
    async (q) => {
      const res = await get('supervisor', q);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid-request');
    },
  );
});
