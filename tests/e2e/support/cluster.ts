import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { clusterLayout, clusterServiceEnv, type ClusterLayout } from '../../../src/adapters/asterisk/cluster-profile.ts';
import { profileRedisUrl } from '../../../src/config/profiles.ts';
import { clusterControl } from '../../support/cluster-control.ts';
import { dropRedisPrefix } from '../../support/redis-keys.ts';
import { startQueueCaller, startQueuePhone, type QueueCaller, type QueuePhone } from './queue-sipp.ts';
import { queueConfigFile, type QueueEvent } from './queue-scenario.ts';
import { startService, type RunningService } from './service.ts';
import { sleep, waitFor } from './wait.ts';

/**
 * The cluster profile for e2e tests: Kamailio and three Asterisk nodes of this slot (started once,
 * a killed node restarted between tests), service instances sharing one Redis prefix and database,
 * SIPp phones registered through Kamailio and SIPp callers sent to it.
 */

const ROOT = resolve(import.meta.dirname, '../../..');
export const layout: ClusterLayout = clusterLayout('test');
export const EDGE = `${layout.edge.address}:${layout.edge.sipPort}`;

const control = clusterControl(ROOT, layout);

/** Starts whatever of the cluster is not running; every node answers Kamailio's OPTIONS again before calls are sent. */
export const ensureCluster = (): Promise<void> => control.ensure();

/** Stops the cluster after the file, as the global teardown stops the single PBX (E2E_KEEP_PBX=1 keeps it). */
export async function stopCluster(): Promise<void> {
  if (process.env.E2E_KEEP_PBX === '1') return;
  await control.stop();
}

export const edgeRpc = <T>(method: string, params: unknown[] = []): Promise<T> => control.rpc<T>(method, params);

/** SIGKILL of a node's Asterisk (the fault: no clean shutdown, no BYEs). */
export function killNode(index: number): void {
  control.killNode(index);
}

/** ARI of one node, as the test's own client. */
export const nodeAri = <T>(index: number, method: string, path: string): Promise<T> => control.nodeAri<T>(index, method, path);

export class ClusterScenario {
  readonly prefix = `hotline-e2e-cluster-${process.pid}-${Date.now().toString(36)}`;
  readonly since = new Date(Date.now() - 1000).toISOString();
  // A one-word privacy notice: the phones talk 1.5 s, and a counsellor who answers while the caller
  // still hears the notice is bridged only at its end (a hang-up before then is a missed offer).
  readonly config = queueConfigFile({}, { privacyNotice: 'digit_0' });
  private readonly services: RunningService[] = [];
  private readonly phones: QueuePhone[] = [];
  private readonly callers: QueueCaller[] = [];
  private token: { service: RunningService; token: string } | null = null;

  /** Service instance 0 or 1 (both on this scenario's Redis prefix); resolves once it answers /readyz. `extra`: e.g. HTTPS. */
  async start(instance: 0 | 1, timeoutMs = 30_000, extra: Record<string, string> = {}): Promise<RunningService> {
    const env = { ...clusterServiceEnv(ROOT, layout, instance), REDIS_PREFIX: this.prefix, HOTLINE_CONFIG: this.config, LOG_LEVEL: 'debug', ...extra };
    const service = await startService({ env, timeoutMs });
    this.services.push(service);
    return service;
  }

  async phone(sipUser: string, talkMs: number): Promise<QueuePhone> {
    const phone = await startQueuePhone({ sipUser, answer: true, talkMs, pbxHost: layout.edge.address, pbxPort: layout.edge.sipPort });
    this.phones.push(phone);
    return phone;
  }

  /** A caller through the carrier to the edge: Mandarin (1), then need 1 (psychological), then waits `holdMs` (then hangs up with `hangup: 'caller'`). */
  async caller(callerNumber: string, holdMs = 90_000, hangup: 'caller' | 'remote' = 'remote'): Promise<QueueCaller> {
    const caller = await startQueueCaller({ callerNumber, keys: [{ key: '1', afterMs: 1000 }, { key: '1', afterMs: 1000 }], holdMs, hangup, pbx: EDGE });
    this.callers.push(caller);
    return caller;
  }

  private async api<T>(service: RunningService, path: string): Promise<T> {
    if (this.token?.service !== service) this.token = { service, token: await service.login('s2001') };
    const { status, body } = await service.api<T>(path, this.token.token);
    if (status !== 200) throw new Error(`GET ${path}: ${status} ${JSON.stringify(body)}`);
    return body;
  }

  async events(service: RunningService): Promise<QueueEvent[]> {
    return (await this.api<{ events: QueueEvent[] }>(service, `/api/queue/events?since=${encodeURIComponent(this.since)}`)).events;
  }

  /** The call id (caller channel id) of a caller, from the service's call list. */
  async callIdOf(service: RunningService, caller: QueueCaller, timeoutMs = 15_000): Promise<string> {
    return waitFor(`the call of ${caller.callerNumber}`, async () =>
      (await service.liveCalls()).find((c) => c.callerNumber === caller.callerNumber)?.callId, timeoutMs);
  }

  waitForEvent(service: RunningService, what: string, match: (e: QueueEvent) => boolean, timeoutMs = 15_000): Promise<QueueEvent> {
    return waitFor(what, async () => (await this.events(service)).find(match), timeoutMs);
  }

  /**
   * A caller from `callerNumber` (see `caller`) answered with the answer button of the console open
   * on `page`, signed in as c1001: the call's id once the service has connected it to c1001.
   */
  async answeredInConsole(service: RunningService, page: Page, callerNumber: string, holdMs: number, hangup: 'caller' | 'remote' = 'remote'): Promise<string> {
    const caller = await this.caller(callerNumber, holdMs, hangup);
    const callId = await this.callIdOf(service, caller);
    await page.locator('#incoming').waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('#answer').click();
    await this.waitForEvent(service, 'the browser connected', (e) => e.type === 'connect' && e.callId === callId && e.counsellorId === 'c1001', 15_000);
    return callId;
  }

  async counsellorStatus(service: RunningService, id: string): Promise<string | undefined> {
    return (await this.api<{ counsellors: Array<{ id: string; status: string }> }>(service, '/api/counsellors')).counsellors.find((c) => c.id === id)?.status;
  }

  waitForCounsellor(service: RunningService, id: string, status: string, timeoutMs = 10_000): Promise<true> {
    return waitFor(`${id} ${status}`, async () => ((await this.counsellorStatus(service, id)) === status ? true : undefined), timeoutMs);
  }

  async cleanup(failed: boolean): Promise<void> {
    if (failed) for (const s of this.services) console.error(`service ${s.pid} log (tail):\n${s.logs().split('\n').filter((l) => !l.includes('"level":20')).slice(-50).join('\n')}`);
    await Promise.allSettled(this.phones.map((p) => p.stop()));
    await Promise.allSettled(this.callers.map((c) => c.stop()));
    for (const s of this.services) await s.stop();
    // Anything a killed instance or node left in the nodes' Stasis.
    for (let i = 0; i < layout.nodes.length; i++) {
      const channels = await nodeAri<Array<{ id: string }>>(i, 'GET', '/channels').catch(() => []);
      for (const c of channels ?? []) await nodeAri(i, 'DELETE', `/channels/${c.id}`).catch(() => undefined);
    }
    await dropRedisPrefix(profileRedisUrl(), this.prefix);
    await sleep(200);
  }
}
