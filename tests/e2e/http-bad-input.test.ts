import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/ports/auth.ts';
import { operations } from '../support/http-fuzz/openapi-operations.ts';
import { fuzzOperation, fuzzRun, send } from '../support/http-fuzz/run-fuzz.ts';
import { startService, type RunningService } from './support/service.ts';

/**
 * Bad input over HTTP on the real stack (issue #14, item 8): a smaller pass of the generator of
 * tests/unit/http/bad-input.test.ts against the service process, with Redis sessions, PostgreSQL
 * and Asterisk behind it. The roster is a copy, since an admin's valid PATCH writes it back.
 */

const ROLE_USERS: Record<Role, string> = { counsellor: 'c1001', supervisor: 's2001', admin: 'admin', centre: 'gz-tianhe-01' };
const ops = operations();
const run = fuzzRun(6);
const dir = mkdtempSync(join(tmpdir(), 'hotline-fuzz-'));
// HTTP_FUZZ_SURVEY=1: list every problem (in var/http-fuzz-survey-e2e.txt) instead of stopping at the first.
const survey = process.env.HTTP_FUZZ_SURVEY ? ([] as string[]) : undefined;
let service: RunningService;
const tokens = {} as Record<Role, string>;
const renew = async (role: Role) => void (tokens[role] = await service.login(ROLE_USERS[role]));

beforeAll(async () => {
  const roster = join(dir, 'roster.yaml');
  copyFileSync(resolve(import.meta.dirname, '../../config/roster.demo.yaml'), roster);
  service = await startService({ env: { HOTLINE_ROSTER: roster } });
  for (const role of Object.keys(ROLE_USERS) as Role[]) await renew(role);
});

afterAll(async () => {
  if (survey) writeFileSync(resolve(import.meta.dirname, '../../var/http-fuzz-survey-e2e.txt'), survey.join('\n'));
  await service?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('bad input over HTTP, against the running service', () => {
  it.each(ops.map((op) => [op.key, op] as const))('%s', async (_key, op) => {
    await fuzzOperation(new URL(service.url), ops, op, { tokens, renew, knownIds: ['c1001', 'c1002', 's2001', 'admin'] }, run, survey);
  }, 30_000 + run.numRuns * 200);

  it('is still up, and logged no unhandled error', async () => {
    expect((await send(new URL(service.url), { method: 'GET', path: '/healthz', headers: {}, credential: 'none', parserStatus: null })).status).toBe(200);
    expect(service.logs()).not.toMatch(/unhandled HTTP error/);
  });
});
