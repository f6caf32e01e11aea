import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHttp } from '../../fakes/http-hotline.ts';
import { startTestHotline, type TestHotline } from '../../fakes/hotline-harness.ts';
import { fuzzOperation, fuzzRun, send } from '../../support/http-fuzz/run-fuzz.ts';
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
    expect(ops.length).toBeGreaterThanOrEqual(30);
  });

  it.each(ops.map((op) => [op.key, op] as const))('%s', async (_key, op) => {
    await fuzzOperation(http.url, ops, op, { tokens: http.tokens, renew: http.renew, knownIds: ['c1', 'c2', 's1', 'ch-connected', 'ch-waiting', 'callback-cb-1', 'callback-cb-2', 'callback-cb-3'] }, run, survey);
  }, 5000 + run.numRuns * 100);

  it('still answers /healthz', async () => {
    expect((await send(http.url, { method: 'GET', path: '/healthz', headers: {}, credential: 'none', parserStatus: null })).status).toBe(200);
  });
});
