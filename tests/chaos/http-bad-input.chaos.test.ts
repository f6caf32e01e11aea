import { loadavg } from 'node:os';
import { afterAll, afterEach, expect, test } from 'vitest';
import { procSample } from '../../bench/bench-service.ts';
import { QueueScenario } from '../e2e/support/queue-scenario.ts';
import { sleep } from '../e2e/support/wait.ts';
import { rosterCopy, signedInTarget } from '../support/http-fuzz/live-target.ts';
import { operations } from '../support/http-fuzz/openapi-operations.ts';
import { fuzzOperation, fuzzRun, plainGet } from '../support/http-fuzz/run-fuzz.ts';
import { FuzzTally } from './support/fuzz-tally.ts';
import { recordScenario } from './support/report.ts';
import { leftovers, recordsMissing } from './support/rig.ts';

/**
 * 8. Bad input over HTTP: every operation of docs/openapi.yaml gets requests generated from the
 * document (tests/support/http-fuzz: no, garbage or each role's credentials; malformed, oversized,
 * wrongly typed bodies; wrong content types; odd path parameters, queries and methods), sent one by
 * one to the service process with Asterisk, Redis and PostgreSQL behind it, each followed by a GET
 * /healthz; meanwhile a real SIPp caller presses 1, 0 and must reach counsellor 1003's phone (1001
 * and 1002 are the ids the requests use). Goals: never a 5xx, every answer as documented, the same
 * process up and ready after, nothing in the error log, and the real call served.
 * HTTP_FUZZ_RUNS (runs per operation) and HTTP_FUZZ_SEED change the run.
 */

const ops = operations();
// Sign-in last: its wrong passwords lock this address out of signing in (20 failures, 15 min: 429
// too-many-attempts, as documented), and the roles must sign in again after a fuzzed logout.
const SIGN_IN = 'POST /api/auth/login';
const order = [...ops.filter((op) => op.key !== SIGN_IN), ...ops.filter((op) => op.key === SIGN_IN)];
// About 15,000 requests: one to three minutes on 2 cores, long enough for the real call to be served inside.
const run = fuzzRun(250);
const roster = rosterCopy();
const s = new QueueScenario();
afterEach(async (ctx) => s.cleanup(ctx.task.result?.state === 'fail'));
afterAll(() => roster.remove());

const mb = (kb: number | undefined) => Math.round((kb ?? 0) / 102.4) / 10;

test('8. Bad input over HTTP', async () => {
  const startedAt = Date.now();
  const load0 = loadavg();
  const service = await s.start({ env: roster.env });
  const base = new URL(service.url);
  const target = await signedInTarget((user) => service.login(user));
  await service.waitForLog(/"resync done"/, 60_000);
  // The phone talks past the caller's privacy notice (it rings while the notice plays).
  const phone = await s.phone('1003', true, { talkMs: 20_000 });
  await s.waitForCounsellor(service, 'c1003', 'available');
  const before = procSample(service.pid);

  // The requests, one operation after another, for a few minutes; problems are counted, not thrown.
  const tally = new FuzzTally();
  const problems: string[] = [];
  const stopped: string[] = [];
  const fuzzStart = Date.now();
  let fuzzEnd = Infinity;
  const fuzz = (async () => {
    for (const op of order) {
      await fuzzOperation(base, ops, op, target, run, { survey: problems, observe: tally.observe })
        .catch((e: unknown) => stopped.push(e instanceof Error ? e.message.split('\n').slice(0, 3).join(' ') : String(e)));
    }
    fuzzEnd = Date.now();
  })();

  await sleep(10_000);
  const callStart = Date.now();
  const caller = await s.caller({ callerNumber: '13900000888', keys: [{ key: '1', afterMs: 800 }, { key: '0', afterMs: 800 }], holdMs: 60_000, hangup: 'remote' });
  const callId = (await s.channelOf(caller, 20_000)).id;
  const connect = await s.waitForEvent(service, 'the real caller connected', (e) => e.type === 'connect' && e.callId === callId, 90_000).catch(() => null);
  const reachedMs = connect ? Date.parse(connect.at) - callStart : NaN;
  const phoneRang = phone.invites().some((m) => m.headers['x-hotline-call-id'] === callId);
  await caller.done;
  await fuzz;
  const connectedDuringFuzz = connect !== null && Date.parse(connect.at) < fuzzEnd;
  const fuzzSec = (fuzzEnd - fuzzStart) / 1000;

  const after = procSample(service.pid);
  const [healthz, readyz] = [(await plainGet(base, '/healthz')).status, (await plainGet(base, '/readyz')).status];
  const left = await leftovers(s, service, target.tokens.supervisor);
  const missing = await recordsMissing(s, service, [callId]);
  const serviceErrors = service.logs().split('\n').filter((l) => /"level":(50|60)/.test(l)).length;
  const f = tally.figures();
  const ok = tally.sent >= ops.length * run.numRuns && stopped.length === 0 && tally.serverErrors === 0 && tally.undocumented === 0 &&
    tally.badEnvelopes === 0 && tally.healthzFailed === 0 && after !== null && healthz === 200 && readyz === 200 && serviceErrors === 0 &&
    connectedDuringFuzz && phoneRang && missing === 0 && left.channels === 0 && left.bridges === 0 && left.redisKeys === 0 && left.jobs === 0;

  recordScenario({
    scenario: '8. Bad input over HTTP',
    load: 'one real SIPp caller (keys 1, 0) to counsellor phone 1003 while the requests run',
    fault: `${tally.sent} generated requests, nearly all bad (${run.numRuns} for each of the ${ops.length} operations of docs/openapi.yaml) to the service's HTTP port, one at a time, each followed by a GET /healthz`,
    callers: 1,
    reachedCounsellor: connect ? 1 : 0,
    hungUpBySystem: connect ? 0 : Number(caller.byeReceived()),
    lostPlace: 0,
    leftovers: left,
    recordsMissing: missing,
    extra: {
      ...f,
      'operations whose run stopped on a request with no answer': stopped.length,
      'time the requests took, s': Math.round(fuzzSec),
      'requests per second (with the /healthz checks: twice as many)': Math.round(tally.sent / fuzzSec),
      'service process still the one started (same pid)': after ? 'yes' : 'no',
      'service /healthz / /readyz after the requests': `${healthz} / ${readyz}`,
      'service error log lines': serviceErrors,
      'service RSS before / after the requests, MB': `${mb(before?.rssKb)} / ${mb(after?.rssKb)}`,
      'service CPU during the requests, s': Math.round(((after?.cpuS ?? 0) - (before?.cpuS ?? 0)) * 10) / 10,
      'real caller connected while the requests ran': connectedDuringFuzz ? 'yes' : 'no',
      'real caller: answer → connected to counsellor 1003, ms': connect ? reachedMs : 'not connected',
      'load average at start (1/5/15 min)': load0.map((x) => Math.round(x * 10) / 10).join(' / '),
    },
    notes: [
      `Requests from tests/support/http-fuzz (fast-check over docs/openapi.yaml, seed ${run.seed}, one seed per operation: replay with HTTP_FUZZ_SEED=${run.seed} HTTP_FUZZ_RUNS=${run.numRuns}); every answer is checked by tests/support/http-fuzz/check-response.ts against the refusal that must come first (body parser, NUL, route, credentials, role) or the statuses, codes and content types the document gives the operation. The same generator runs over in-memory fakes in tests/unit/http/bad-input.test.ts and, with 6 runs per operation, against the service in tests/e2e/http-bad-input.test.ts (in \`npm test\`).`,
      `${SIGN_IN} runs last: past 20 failed sign-ins from one address in 15 min the service refuses that address's sign-ins for 15 min (429 too-many-attempts), and the roles must be able to sign in again after a fuzzed logout ends their session.`,
      'Roles sign in as users of the demo roster (c1001, s2001, admin, gz-tianhe-01; the service runs on a copy of it, since an admin\'s valid PATCH writes it back); path parameters are often ids that exist (c1001, c1002, s2001, admin), so that requests reach the handlers. A fuzzed logout ends a session: the role signs in again.',
      ...problems.slice(0, 5).map((p) => `Problem: ${p}`),
      ...stopped.slice(0, 5).map((p) => `Stopped: ${p}`),
    ],
    passed: ok,
    durationSec: Math.round((Date.now() - startedAt) / 1000),
  });

  expect(stopped, 'every request answered').toEqual([]);
  expect(tally.sent).toBeGreaterThanOrEqual(ops.length * run.numRuns);
  expect(tally.serverErrors, 'answers with a 5xx').toBe(0);
  expect(problems.slice(0, 10), 'answers as documented').toEqual([]);
  expect(tally.undocumented).toBe(0);
  expect(tally.badEnvelopes).toBe(0);
  expect(tally.healthzFailed).toBe(0);
  expect(after, 'the service process still up').not.toBeNull();
  expect([healthz, readyz]).toEqual([200, 200]);
  expect(serviceErrors).toBe(0);
  expect(connect, 'the real caller reached a counsellor while the requests ran').not.toBeNull();
  expect(connectedDuringFuzz).toBe(true);
  expect(phoneRang).toBe(true);
  expect(missing).toBe(0);
  expect(left).toEqual({ channels: 0, bridges: 0, redisKeys: 0, jobs: 0 });
}, 20 * 60_000);
