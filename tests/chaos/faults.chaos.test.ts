import { afterEach, describe, expect, it } from 'vitest';
import { profilePorts, testSlot } from '../../src/config/profiles.ts';
import { OwnRedis } from '../e2e/support/own-redis.ts';
import { OwnPostgres } from '../e2e/support/postgres.ts';
import { scenarioPerTest, type QueueScenario } from '../e2e/support/queue-scenario.ts';
import type { RunningService } from '../e2e/support/service.ts';
import { sleep } from '../e2e/support/wait.ts';
import { recordScenario, type ScenarioFigures } from './support/report.ts';
import { conversations, leftovers, outcome, queueCallers, queueCallersBlind, quickPhones, recordsMissing, type LoadedCaller } from './support/rig.ts';
import { TcpProxy } from './support/tcp-proxy.ts';

/**
 * Scenarios 1–4 of the reliability suite: the same load (three counsellors in long conversations,
 * CHAOS_WAITING callers waiting behind them), one fault, then quick phones serve the queue. Each
 * records what was lost: nothing is the goal.
 */

const WAITING = Number(process.env.CHAOS_WAITING ?? 50);
const TALK_MS = 30_000;

let scenario: QueueScenario;
scenarioPerTest((s) => (scenario = s));
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

interface Loaded {
  talkers: LoadedCaller[];
  waiting: LoadedCaller[];
  order: string[];
  phones: Awaited<ReturnType<typeof conversations>>['phones'];
}

async function load(service: RunningService, first: number): Promise<Loaded> {
  const { phones, talkers } = await conversations(scenario, service, TALK_MS, first);
  const waiting = await queueCallers(scenario, service, WAITING, { first: first + 10 });
  const order = (await scenario.waiting(service)).map((w) => w.callId);
  return { phones, talkers, waiting, order };
}

/** The conversations are still whole: each caller in a mixing bridge with their counsellor. */
async function conversationsIntact(talkers: LoadedCaller[]): Promise<number> {
  const bridges = await scenario.ari.bridges();
  return talkers.filter((t) => bridges.some((b) => b.bridge_type === 'mixing' && b.channels.length === 2 && b.channels.includes(t.callId))).length;
}

async function finish(name: string, load: string, fault: string, service: RunningService, l: Loaded, started: number, extra: Record<string, string | number>, notes: string[] = []): Promise<ScenarioFigures> {
  const quick = await quickPhones(scenario, l.phones, l.talkers);
  const counts = await outcome(scenario, service, l.waiting, l.order);
  await quick.retire();
  const supervisor = await service.login('s2001');
  const everyone = [...l.talkers, ...l.waiting];
  for (const c of everyone) await c.caller.done;
  const figures: ScenarioFigures = {
    scenario: name, load, fault, ...counts,
    callers: everyone.length,
    reachedCounsellor: counts.reachedCounsellor + l.talkers.length,
    leftovers: await leftovers(scenario, service, supervisor),
    recordsMissing: await recordsMissing(scenario, service, everyone.map((c) => c.callId)),
    extra, notes, passed: false, durationSec: Math.round((Date.now() - started) / 1000),
  };
  figures.passed = figures.hungUpBySystem === 0 && figures.lostPlace === 0 && figures.reachedCounsellor === figures.callers
    && Object.values(figures.leftovers).every((n) => n === 0) && figures.recordsMissing === 0 && extra['conversations intact after the fault'] === l.talkers.length;
  recordScenario(figures);
  return figures;
}

const loadText = `${WAITING} callers waiting, 3 in conversation`;

describe('faults under load', () => {
  it('1. Service SIGKILL', async () => {
    const started = Date.now();
    const first = await scenario.start();
    const l = await load(first, 1000);
    await first.kill();
    const killedAt = Date.now();
    const second = await scenario.start({ redisPrefix: first.env.REDIS_PREFIX! });
    const resync = await second.waitForLog(/"msg":"resync done"/, 30_000);
    const resyncMs = (JSON.parse(resync) as { time: number }).time - killedAt;
    const intact = await conversationsIntact(l.talkers);
    const f = await finish('1. Service SIGKILL', loadText, 'SIGKILL of the service, restarted at once', second, l, started, {
      'kill to resync done (ms)': resyncMs, 'conversations intact after the fault': intact,
    }, ['The escalation-while-110-rings part of this scenario is covered by tests/e2e/escalation.test.ts ("killed while 110 rings"), not repeated here.']);
    expect(f).toMatchObject({ hungUpBySystem: 0, lostPlace: 0, recordsMissing: 0, passed: true });
  });

  it('2. ARI connection cut for 10 s', async () => {
    const started = Date.now();
    const proxy = new TcpProxy(profilePorts('test', testSlot()).ariHttpPort);
    await proxy.start();
    cleanups.push(() => proxy.stop());
    const service = await scenario.start({ env: { ARI_URL: `http://127.0.0.1:${proxy.port}` } });
    const l = await load(service, 2000);
    const mark = service.logs().length;
    proxy.cut(10_000);
    await sleep(10_000);
    await service.waitForLog(/"msg":"resync done"/, 30_000, mark);
    const back = Date.now() - started;
    const intact = await conversationsIntact(l.talkers);
    const f = await finish('2. ARI connection cut', loadText, 'every ARI connection dropped and refused for 10 s (TCP proxy)', service, l, started, {
      'conversations intact after the fault': intact, 'seconds from start to resync after the cut': Math.round(back / 1000),
    });
    expect(f).toMatchObject({ hungUpBySystem: 0, lostPlace: 0, recordsMissing: 0, passed: true });
  });

  it('3. Redis restart without its data', async () => {
    const started = Date.now();
    const redis = new OwnRedis();
    await redis.start();
    cleanups.push(() => redis.stop());
    const service = await scenario.start({ env: { REDIS_URL: redis.url } });
    const l = await load(service, 3000);
    const mark = service.logs().length;
    await redis.restart({ wiped: true });
    const restartedAt = Date.now();
    const recovered = await service.waitForLog(/"msg":"store recovered after data loss"/, 30_000, mark);
    const intact = await conversationsIntact(l.talkers);
    const f = await finish('3. Redis restart without its data', loadText, 'Redis SIGKILLed and started empty (as a Redis without persistence)', service, l, started, {
      'restart to recovery done (ms)': (JSON.parse(recovered) as { time: number }).time - restartedAt, 'conversations intact after the fault': intact,
    }, ['With the project\'s Redis settings (AOF, fsync every second) a restart keeps the data: tests/e2e/redis-restart.test.ts checks that case.']);
    expect(f).toMatchObject({ hungUpBySystem: 0, lostPlace: 0, recordsMissing: 0, passed: true });
  });

  it('4. PostgreSQL unavailable for 60 s', async () => {
    const started = Date.now();
    const postgres = new OwnPostgres();
    await postgres.start();
    cleanups.push(() => postgres.remove());
    const service = await scenario.start({ env: { DATABASE_URL: postgres.url('hotline_chaos') } });
    const l = await load(service, 4000);
    await postgres.stop();
    const stoppedAt = Date.now();
    // Served during the outage: the conversations end, quick phones take the queue.
    const quick = await quickPhones(scenario, l.phones, l.talkers);
    const during = await queueCallersBlind(scenario, 10, 4500);
    await quick.retire();
    await sleep(Math.max(0, 60_000 - (Date.now() - stoppedAt)));
    const ready = (await (await fetch(`${service.url}/readyz`)).json()) as { status: string };
    await postgres.start();
    const mark = service.logs().length;
    await service.waitForLog(/"msg":"database back; deferred writes written"/, 30_000, mark).catch(() => undefined);
    const all = { ...l, waiting: [...l.waiting, ...during], phones: [] };
    const counts = await outcome(scenario, service, all.waiting, l.order);
    const supervisor = await service.login('s2001');
    const everyone = [...l.talkers, ...all.waiting];
    for (const c of everyone) await c.caller.done;
    const figures: ScenarioFigures = {
      scenario: '4. PostgreSQL unavailable', load: `${loadText}, 10 more arriving during the outage`, fault: 'PostgreSQL stopped for 60 s',
      ...counts, callers: everyone.length, reachedCounsellor: counts.reachedCounsellor + l.talkers.length,
      leftovers: await leftovers(scenario, service, supervisor),
      recordsMissing: await recordsMissing(scenario, service, everyone.map((c) => c.callId)),
      extra: { '/readyz during the outage': ready.status, 'callers arriving during the outage': during.length },
      passed: false, durationSec: Math.round((Date.now() - started) / 1000),
    };
    figures.passed = figures.hungUpBySystem === 0 && figures.lostPlace === 0 && figures.reachedCounsellor === figures.callers
      && Object.values(figures.leftovers).every((n) => n === 0) && figures.recordsMissing === 0 && ready.status === 'degraded' && during.length === 10;
    recordScenario(figures);
    expect(figures).toMatchObject({ hungUpBySystem: 0, lostPlace: 0, recordsMissing: 0, passed: true });
  });
});
