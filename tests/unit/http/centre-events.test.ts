import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHttp } from '../../fakes/http-hotline.ts';
import { startTestHotline, type TestHotline } from '../../fakes/hotline-harness.ts';

/** GET /api/events for centre staff: only their own centre's work-order events, nothing of the calls. */

let hotline: TestHotline;
let http: Awaited<ReturnType<typeof startTestHttp>>;

beforeAll(async () => {
  hotline = await startTestHotline();
  http = await startTestHttp(hotline);
});

afterAll(async () => {
  await http?.close();
  await hotline?.stop();
});

/** The `data:` events a role receives while `during` runs. */
async function eventsSeenBy(role: 'centre' | 'supervisor', during: () => void): Promise<unknown[]> {
  const controller = new AbortController();
  const res = await fetch(new URL('/api/events', http.url), { headers: { authorization: `Bearer ${http.tokens[role]}` }, signal: controller.signal });
  expect(res.status).toBe(200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  let text = new TextDecoder().decode((await reader.read()).value); // retry: 1000
  during();
  const deadline = Date.now() + 300;
  while (Date.now() < deadline) {
    const next = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), 50))]);
    if (next && !next.done) text += new TextDecoder().decode(next.value);
  }
  controller.abort();
  return text.split('\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)) as unknown);
}

describe('live events for centre staff', () => {
  const publish = () => {
    hotline.notifier.publish({ type: 'queue-changed' });
    hotline.notifier.publish({ type: 'work-order', orderId: 'o-1', caseId: 'k-1', change: 'dispatch', status: 'dispatched', centreId: 'gz-tianhe', grade: 2 });
    hotline.notifier.publish({ type: 'work-order', orderId: 'o-2', caseId: 'k-2', change: 'dispatch', status: 'dispatched', centreId: 'gz-yuexiu', grade: 3 });
  };

  it("get only their own centre's work orders", async () => {
    expect(await eventsSeenBy('centre', publish)).toEqual([
      { type: 'work-order', orderId: 'o-1', caseId: 'k-1', change: 'dispatch', status: 'dispatched', centreId: 'gz-tianhe', grade: 2 },
    ]);
  });

  it('while supervisors get everything', async () => {
    expect(await eventsSeenBy('supervisor', publish)).toHaveLength(3);
  });
});
