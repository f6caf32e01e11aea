import { afterEach, describe, expect, it } from 'vitest';
import { scenarioPerTest, type QueueScenario } from '../e2e/support/queue-scenario.ts';
import { ariCut, databaseOutage, redisWiped, serviceSigkill, type FaultRun } from './support/fault-scenarios.ts';
import { recordScenario, type ScenarioFigures } from './support/report.ts';

/** Scenarios 1–4 at full size (CHAOS_WAITING callers, 50 by default); the figures go to docs/reliability.md. */

const WAITING = Number(process.env.CHAOS_WAITING ?? 50);

let scenario: QueueScenario;
scenarioPerTest((s) => (scenario = s));
const cleanups: FaultRun['cleanups'] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

// The phones answer while the caller still hears the privacy notice (7.3 s), and queueing the 50
// takes about 12 s more: 45 s keeps the conversations going past a 10 s fault and the reconnect.
const run = (): FaultRun => ({ scenario, waiting: WAITING, talkMs: 45_000, cleanups });
const held = (f: ScenarioFigures) => {
  recordScenario(f);
  expect(f).toMatchObject({ hungUpBySystem: 0, lostPlace: 0, recordsMissing: 0, passed: true });
};

describe('faults under load', () => {
  it('1. Service SIGKILL', async () => held(await serviceSigkill(run())));
  it('2. ARI connection cut for 10 s', async () => held(await ariCut(run())));
  it('3. Redis restart without its data', async () => held(await redisWiped(run())));
  it('4. PostgreSQL unavailable for 60 s', async () => held(await databaseOutage(run())));
});
