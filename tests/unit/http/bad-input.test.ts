import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHttp } from '../../fakes/http-hotline.ts';
import { startTestHotline, type TestHotline } from '../../fakes/hotline-harness.ts';
import { fuzzOperation, fuzzRun, plainGet } from '../../support/http-fuzz/run-fuzz.ts';
import { operations } from '../../support/http-fuzz/openapi-operations.ts';

/**
 * Bad input over HTTP (issue #14, item 8): every operation of docs/openapi.yaml gets requests
 * generated from the document (no, garbage or each role's credentials; malformed, oversized,
 * wrongly typed bodies; odd path parameters and query strings) against the app as src/app.ts
 * builds it, over the in-memory fakes. Every answer must be documented: never a 5xx, refusals
 * in the error envelope with a code whose table status is the HTTP status, and /healthz still
 * answering. HTTP_FUZZ_RUNS (runs per operation) and HTTP_FUZZ_SEED change the run.
 */

const ops = operations();
const run = fuzzRun(40);
// HTTP_FUZZ_SURVEY=1: list every problem (written to var/http-fuzz-survey.txt) instead of stopping at the first.
const survey = process.env.HTTP_FUZZ_SURVEY ? ([] as string[]) : undefined;
let hotline: TestHotline;
/** Ids of a saved case and its order (dispatched to the fuzzing centre user's centre), so those lookups lead somewhere. */
const caseIds: string[] = [];
let http: Awaited<ReturnType<typeof startTestHttp>>;

beforeAll(async () => {
  hotline = await startTestHotline();
  http = await startTestHttp(hotline);
  // A caller waiting and one connected to c1, so that call ids and lookups lead somewhere.
  await hotline.online('1001');
  await hotline.callerInQueue('ch-connected', '1');
  await hotline.callerInQueue('ch-waiting', '0');
  hotline.telephony.answerLeg(hotline.offerFor('ch-connected')?.channelId ?? '');
  await hotline.settle();
  // A saved case on the connected call, with its order dispatched to 天河区 (the centre user's).
  const c1 = { userId: 'c1', name: '陈老师', role: 'counsellor' as const, team: 'gz', level: 'city' as const };
  const saved = await hotline.afterCall.cases.submit('ch-connected', c1, {
    idempotencyKey: 'fuzz-seed-1', form: {
      categories: ['study'], grade: 2, summary: '考试压力大', area: { city: '广州市', county: '天河区' }, consent: { followUpCall: true, centreContact: true }, orderRequested: true,
    },
  });
  caseIds.push(saved.case.id);
  if (saved.order) {
    caseIds.push(saved.order.id);
    await hotline.afterCall.workOrders.act(saved.order.id, { userId: 's1', name: '王督导', role: 'supervisor', team: 'gz', level: 'province' }, { type: 'dispatch', centreId: 'gz-tianhe' });
  }
  // Pending callbacks, so that claims and dial-backs get past the lookup.
  for (const callId of ['cb-1', 'cb-2', 'cb-3']) {
    await hotline.jobs.requestCallback({
      callId, callerNumber: '13800138000', enqueuedAt: Date.now(), requestedAt: new Date().toISOString(),
      routing: { line: 'main', need: 'general', skills: [], language: 'cmn', priority: 50, highRisk: false, announce: [] },
    });
  }
});

afterAll(async () => {
  if (survey) writeFileSync(resolve(import.meta.dirname, '../../../var/http-fuzz-survey.txt'), survey.join('\n'));
  await http?.close();
  await hotline?.stop();
});

describe('bad input over HTTP, from docs/openapi.yaml', () => {
  it('covers every documented operation', () => {
    expect(caseIds).toHaveLength(2);
    expect(ops.length).toBeGreaterThanOrEqual(30);
  });

  it.each(ops.map((op) => [op.key, op] as const))('%s', async (_key, op) => {
    await fuzzOperation(http.url, ops, op, { tokens: http.tokens, renew: http.renew, knownIds: ['c1', 'c2', 's1', 'ch-connected', 'ch-waiting', 'callback-cb-1', 'callback-cb-2', 'callback-cb-3', ...caseIds] }, run, { survey });
  }, 5000 + run.numRuns * 100);

  it('still answers /healthz', async () => {
    expect((await plainGet(http.url, '/healthz')).status).toBe(200);
  });
});
