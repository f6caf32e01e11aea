import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FuzzTarget } from '../support/http-fuzz/bad-requests.ts';
import { rosterCopy, signedInTarget } from '../support/http-fuzz/live-target.ts';
import { operations } from '../support/http-fuzz/openapi-operations.ts';
import { fuzzOperation, fuzzRun, plainGet } from '../support/http-fuzz/run-fuzz.ts';
import { startService, type RunningService } from './support/service.ts';

/**
 * Bad input over HTTP on the real stack (issue #14, item 8): a smaller pass of the generator of
 * tests/unit/http/bad-input.test.ts against the service process, with Redis sessions, PostgreSQL
 * and Asterisk behind it (`npm run chaos` runs the long one: tests/chaos/http-bad-input.chaos.test.ts).
 */

const ops = operations();
const run = fuzzRun(6);
const roster = rosterCopy();
// HTTP_FUZZ_SURVEY=1: list every problem (in var/http-fuzz-survey-e2e.txt) instead of stopping at the first.
const survey = process.env.HTTP_FUZZ_SURVEY ? ([] as string[]) : undefined;
let service: RunningService;
let target: FuzzTarget;

beforeAll(async () => {
  service = await startService({ env: roster.env });
  target = await signedInTarget((user) => service.login(user));
});

afterAll(async () => {
  if (survey) writeFileSync(resolve(import.meta.dirname, '../../var/http-fuzz-survey-e2e.txt'), survey.join('\n'));
  await service?.stop();
  roster.remove();
});

describe('bad input over HTTP, against the running service', () => {
  it.each(ops.map((op) => [op.key, op] as const))('%s', async (_key, op) => {
    await fuzzOperation(new URL(service.url), ops, op, target, run, { survey });
  }, 30_000 + run.numRuns * 200);

  it('is still up, and logged no unhandled error', async () => {
    expect((await plainGet(new URL(service.url), '/healthz')).status).toBe(200);
    expect(service.logs()).not.toMatch(/unhandled HTTP error/);
  });
});
