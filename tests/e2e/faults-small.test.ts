import { afterEach, describe, expect, it } from 'vitest';
import { ariCut, redisWiped, serviceSigkill, type FaultRun } from '../chaos/support/fault-scenarios.ts';
import type { ScenarioFigures } from '../chaos/support/report.ts';
import { scenarioPerTest, type QueueScenario } from './support/queue-scenario.ts';

/**
 * The first three scenarios of the reliability suite (`npm run chaos`) with small numbers: three
 * counsellors in conversation and three callers waiting through a service SIGKILL, a 10 s cut of
 * the ARI connection, and a Redis that comes back empty. Nothing may be lost.
 */

let scenario: QueueScenario;
scenarioPerTest((s) => (scenario = s));
const cleanups: FaultRun['cleanups'] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

// The phones' talk time runs from their answer, and the first 7 s of it are the caller's privacy
// notice (the phone rings while it plays): 25 s leaves the conversations up through a 10 s fault.
const run = (): FaultRun => ({ scenario, waiting: 3, talkMs: 25_000, cleanups });
const nothingLost = (f: ScenarioFigures) =>
  expect(f, JSON.stringify(f)).toMatchObject({
    callers: 6, reachedCounsellor: 6, hungUpBySystem: 0, lostPlace: 0, recordsMissing: 0,
    leftovers: { channels: 0, bridges: 0, redisKeys: 0, jobs: 0 }, extra: { 'conversations intact after the fault': 3 }, passed: true,
  });

describe('faults under a small load', () => {
  it('a service SIGKILL loses nobody: conversations go on, waiting callers are served in order', async () => nothingLost(await serviceSigkill(run())), 240_000);
  it('a 10 s cut of the ARI connection loses nobody', async () => nothingLost(await ariCut(run())), 240_000);
  it('a Redis that comes back empty loses nobody', async () => nothingLost(await redisWiped(run())), 240_000);
});
