import { profilePorts, testSlot } from '../../../src/config/profiles.ts';
import { OwnRedis } from '../../e2e/support/own-redis.ts';
import { OwnPostgres } from '../../e2e/support/postgres.ts';
import type { QueueScenario } from '../../e2e/support/queue-scenario.ts';
import type { RunningService } from '../../e2e/support/service.ts';
import { sleep } from '../../e2e/support/wait.ts';
import type { ScenarioFigures } from './report.ts';
import { conversations, leftovers, outcome, queueCallers, queueCallersBlind, quickPhones, recordsMissing, type LoadedCaller } from './rig.ts';
import { TcpProxy } from './tcp-proxy.ts';

/**
 * Scenarios 1–4 of the reliability suite, one function each: the same load (three counsellors in
 * long conversations, `waiting` callers behind them), one fault, then quick phones serve the queue;
 * the figures say what was lost. `npm run chaos` runs them with 50 waiting callers and records the
 * figures; the e2e suite runs the first three with 3 and asserts them.
 */

export interface FaultRun {
  scenario: QueueScenario;
  waiting: number;
  /** How long the three conversations last: past the fault and the recovery. */
  talkMs: number;
  /** Run after the test whatever happened (proxy, own Redis or PostgreSQL). */
  cleanups: Array<() => Promise<void>>;
}

interface Loaded {
  talkers: LoadedCaller[];
  waiting: LoadedCaller[];
  order: string[];
  phones: Awaited<ReturnType<typeof conversations>>['phones'];
}

async function load(r: FaultRun, service: RunningService, first: number): Promise<Loaded> {
  const { phones, talkers } = await conversations(r.scenario, service, r.talkMs, first);
  const waiting = await queueCallers(r.scenario, service, r.waiting, { first: first + 10 });
  const order = (await r.scenario.waiting(service)).map((w) => w.callId);
  return { phones, talkers, waiting, order };
}

/** The conversations are still whole: each caller in a mixing bridge with their counsellor. */
async function conversationsIntact(r: FaultRun, talkers: LoadedCaller[]): Promise<number> {
  const bridges = await r.scenario.ari.bridges();
  return talkers.filter((t) => bridges.some((b) => b.bridge_type === 'mixing' && b.channels.length === 2 && b.channels.includes(t.callId))).length;
}

const held = (f: ScenarioFigures, talkers: number, more = true) =>
  f.hungUpBySystem === 0 && f.lostPlace === 0 && f.reachedCounsellor === f.callers && Object.values(f.leftovers).every((n) => n === 0)
  && f.recordsMissing === 0 && f.extra?.['conversations intact after the fault'] === talkers && more;

async function finish(r: FaultRun, head: Pick<ScenarioFigures, 'scenario' | 'load' | 'fault'>, service: RunningService, l: Loaded, started: number,
  extra: Record<string, string | number>, notes: string[] = []): Promise<ScenarioFigures> {
  const quick = await quickPhones(r.scenario, l.phones, l.talkers);
  const counts = await outcome(r.scenario, service, l.waiting, l.order);
  await quick.retire();
  const supervisor = await service.login('s2001');
  const everyone = [...l.talkers, ...l.waiting];
  for (const c of everyone) await c.caller.done;
  const figures: ScenarioFigures = {
    ...head, ...counts,
    callers: everyone.length,
    reachedCounsellor: counts.reachedCounsellor + l.talkers.length,
    leftovers: await leftovers(r.scenario, service, supervisor),
    recordsMissing: await recordsMissing(r.scenario, service, everyone.map((c) => c.callId)),
    extra, notes, passed: false, durationSec: Math.round((Date.now() - started) / 1000),
  };
  figures.passed = held(figures, l.talkers.length);
  return figures;
}

const loadText = (r: FaultRun) => `${r.waiting} callers waiting, 3 in conversation`;

export async function serviceSigkill(r: FaultRun): Promise<ScenarioFigures> {
  const started = Date.now();
  const first = await r.scenario.start();
  const l = await load(r, first, 1000);
  await first.kill();
  const killedAt = Date.now();
  const second = await r.scenario.start({ redisPrefix: first.env.REDIS_PREFIX! });
  const resync = await second.waitForLog(/"msg":"resync done"/, 30_000);
  const resyncMs = (JSON.parse(resync) as { time: number }).time - killedAt;
  const intact = await conversationsIntact(r, l.talkers);
  return finish(r, { scenario: '1. Service SIGKILL', load: loadText(r), fault: 'SIGKILL of the service, restarted at once' }, second, l, started, {
    'kill to resync done (ms, includes starting the new process)': resyncMs, 'conversations intact after the fault': intact,
  }, ['An escalation whose 110 leg rings during the kill is covered by tests/e2e/escalation.test.ts ("killed while 110 rings").']);
}

export async function ariCut(r: FaultRun): Promise<ScenarioFigures> {
  const started = Date.now();
  const proxy = new TcpProxy(profilePorts('test', testSlot()).ariHttpPort);
  await proxy.start();
  r.cleanups.push(() => proxy.stop());
  const service = await r.scenario.start({ env: { ARI_URL: `http://127.0.0.1:${proxy.port}` } });
  const l = await load(r, service, 2000);
  const mark = service.logs().length;
  proxy.cut(10_000);
  const cutAt = Date.now();
  await sleep(10_000);
  const resync = await service.waitForLog(/"msg":"resync done"/, 30_000, mark);
  const intact = await conversationsIntact(r, l.talkers);
  return finish(r, { scenario: '2. ARI connection cut', load: loadText(r), fault: 'every ARI connection dropped and refused for 10 s (a TCP proxy)' }, service, l, started, {
    'cut to resync done (ms, 10 000 of them the cut)': (JSON.parse(resync) as { time: number }).time - cutAt, 'conversations intact after the fault': intact,
  });
}

export async function redisWiped(r: FaultRun): Promise<ScenarioFigures> {
  const started = Date.now();
  const redis = new OwnRedis();
  await redis.start();
  r.cleanups.push(() => redis.stop());
  const service = await r.scenario.start({ env: { REDIS_URL: redis.url } });
  const l = await load(r, service, 3000);
  const mark = service.logs().length;
  await redis.restart({ wiped: true });
  const restartedAt = Date.now();
  const recovered = await service.waitForLog(/"msg":"store recovered after data loss"/, 30_000, mark);
  const intact = await conversationsIntact(r, l.talkers);
  return finish(r, { scenario: '3. Redis restart without its data', load: loadText(r), fault: 'Redis SIGKILLed and started empty (as a Redis without persistence)' }, service, l, started, {
    'Redis back to recovery done (ms)': (JSON.parse(recovered) as { time: number }).time - restartedAt, 'conversations intact after the fault': intact,
  }, ['With the project\'s Redis settings (AOF, fsync every second) a restart keeps the data: tests/e2e/redis-restart.test.ts checks that case.']);
}

export async function databaseOutage(r: FaultRun, outageMs = 60_000, arriving = 10): Promise<ScenarioFigures> {
  const started = Date.now();
  const postgres = new OwnPostgres();
  await postgres.start();
  r.cleanups.push(() => postgres.remove());
  const service = await r.scenario.start({ env: { DATABASE_URL: postgres.url('hotline_chaos') } });
  const l = await load(r, service, 4000);
  await postgres.stop();
  const stoppedAt = Date.now();
  // Served during the outage: the conversations end, quick phones take the queue, more callers arrive.
  const quick = await quickPhones(r.scenario, l.phones, l.talkers);
  const during = await queueCallersBlind(r.scenario, arriving, 4500);
  await quick.retire();
  await sleep(Math.max(0, outageMs - (Date.now() - stoppedAt)));
  const ready = (await (await fetch(`${service.url}/readyz`)).json()) as { status: string };
  const mark = service.logs().length;
  await postgres.start();
  await service.waitForLog(/"msg":"database back; deferred writes written"/, 30_000, mark).catch(() => undefined);
  const waiting = [...l.waiting, ...during];
  const counts = await outcome(r.scenario, service, waiting, l.order);
  const supervisor = await service.login('s2001');
  const everyone = [...l.talkers, ...waiting];
  for (const c of everyone) await c.caller.done;
  const figures: ScenarioFigures = {
    scenario: '4. PostgreSQL unavailable', load: `${loadText(r)}, ${arriving} more arriving during the outage`, fault: `PostgreSQL stopped for ${outageMs / 1000} s`,
    ...counts, callers: everyone.length, reachedCounsellor: counts.reachedCounsellor + l.talkers.length,
    leftovers: await leftovers(r.scenario, service, supervisor),
    recordsMissing: await recordsMissing(r.scenario, service, everyone.map((c) => c.callId)),
    extra: { '/readyz during the outage': ready.status, 'callers arriving during the outage': during.length, 'conversations intact after the fault': l.talkers.length },
    passed: false, durationSec: Math.round((Date.now() - started) / 1000),
  };
  figures.passed = held(figures, l.talkers.length, ready.status === 'degraded' && during.length === arriving);
  return figures;
}
