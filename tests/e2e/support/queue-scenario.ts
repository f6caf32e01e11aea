import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, beforeEach } from 'vitest';
import { parse, stringify } from 'yaml';
import { CALLBACK_QUEUE } from '../../../src/adapters/jobs/bullmq-jobs.ts';
import type { QueueSettings } from '../../../src/config/queue-config.ts';
import { profileRedisUrl } from '../../../src/config/profiles.ts';
import { dropRedisPrefix } from '../../support/redis-keys.ts';
import { AriInspector, type AriChannel } from './ari-inspector.ts';
import { AriEventRecorder } from './queue-ari-events.ts';
import { startQueueCaller, startQueuePhone, type QueueCaller, type QueueCallerOptions, type QueuePhone } from './queue-sipp.ts';
import { startService, type RunningService } from './service.ts';
import type { SipMessage } from './sipp.ts';
import { waitFor } from './wait.ts';

/**
 * What the queue e2e tests share: the service with short queue timers, SIPp callers and counsellor
 * phones, reads of the service's API, ARI and Redis, and a cleanup that leaves the slot's PBX and
 * Redis as it found them whatever the test did.
 */

const ROOT = resolve(import.meta.dirname, '../../..');
const REDIS_URL = profileRedisUrl();

/** config/hotline.yaml with the fixture's queue settings (and `queue` overrides): the real menus and targets, short timers. */
export function queueConfigFile(queue: Partial<QueueSettings> = {}, ivr: Record<string, unknown> = {}): string {
  const raw = parse(readFileSync(join(ROOT, 'config/hotline.yaml'), 'utf8')) as Record<string, unknown>;
  const base: Record<string, unknown> = { ...raw, ivr: { ...(raw.ivr as object), ...ivr } };
  const fixture = parse(readFileSync(join(ROOT, 'tests/e2e/fixtures/queue-fast.yaml'), 'utf8')) as { queue: Partial<QueueSettings> };
  const file = join(mkdtempSync(join(tmpdir(), 'hotline-queue-e2e-')), 'hotline.yaml');
  // No satisfaction survey: these tests time the queue, and a caller's BYE follows the counsellor's
  // at once; the survey has its own e2e (survey.test.ts).
  const lines = Object.fromEntries(Object.entries(base.lines as Record<string, object>).map(([id, l]) => [id, { ...l, survey: false }]));
  writeFileSync(file, stringify({ ...base, lines, queue: { ...(base.queue as object), ...fixture.queue, ...queue } }));
  return file;
}

export interface QueueEvent { at: string; type: string; callId?: string; counsellorId?: string; data: Record<string, unknown> }
export interface CallRecord {
  callId: string; line: string; need: string | null; language: string | null; callerNumber: string; startedAt: string;
  answeredAt: string | null; connectedAt: string | null; endedAt: string | null; outcome: string | null; counsellorId: string | null;
}
export interface CounsellorView { id: string; status: string; pauseReason: string | null; missedInARow: number; registered: boolean; callId: string | null }
export interface WaitingView { callId: string; position: number; state: string; need: string; waitSec: number; offeredTo: string[] }

export const INVITE_HEADER = { callId: 'x-hotline-call-id', need: 'x-hotline-need', line: 'x-hotline-line' } as const;

/** The calls a phone was offered: initial INVITEs (no To tag), once each (SIPp logs retransmissions too). */
export function invitesOf(phone: QueuePhone): SipMessage[] {
  const seen = new Set<string>();
  return phone.invites().filter((m) => {
    const id = m.headers['call-id'] ?? '';
    if (/;\s*tag=/.test(m.headers.to ?? '') || seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Call ids (X-Hotline-Call-Id) of the calls a phone was rung for, in order. */
export const invitedCallIds = (phone: QueuePhone): string[] => invitesOf(phone).map((m) => m.headers[INVITE_HEADER.callId] ?? '?');

export class QueueScenario {
  readonly ari = new AriInspector();
  readonly since = new Date(Date.now() - 1000).toISOString();
  recorder: AriEventRecorder | undefined;
  private readonly services: RunningService[] = [];
  private readonly phones: QueuePhone[] = [];
  private readonly callers: QueueCaller[] = [];
  private readonly prefixes = new Set<string>();
  private readonly tokens = new Map<RunningService, string>();

  /**
   * The service (this slot's database and a fresh Redis prefix, see service.ts) with the fixture's
   * queue settings; `redisPrefix` to pick up where a killed one left off.
   */
  async start(o: { queue?: Partial<QueueSettings>; redisPrefix?: string; env?: Record<string, string> } = {}): Promise<RunningService> {
    const env = { HOTLINE_CONFIG: queueConfigFile(o.queue), ...(o.redisPrefix ? { REDIS_PREFIX: o.redisPrefix } : {}), ...o.env };
    const service = await startService({ env });
    this.services.push(service);
    this.prefixes.add(service.env.REDIS_PREFIX!);
    return service;
  }

  async record(): Promise<AriEventRecorder> {
    this.recorder ??= await AriEventRecorder.start();
    return this.recorder;
  }

  /** A counsellor phone that answers (hanging up after `talkMs`) or lets every call ring out. */
  async phone(sipUser: string, answer: boolean, o: { talkMs?: number; ringMs?: number } = {}): Promise<QueuePhone> {
    const phone = await startQueuePhone({ sipUser, answer, ...o });
    this.phones.push(phone);
    return phone;
  }

  async caller(o: QueueCallerOptions): Promise<QueueCaller> {
    const caller = await startQueueCaller(o);
    this.callers.push(caller);
    return caller;
  }

  /** The caller's channel in Asterisk (its id is the service's call id). */
  channelOf(caller: QueueCaller, timeoutMs = 10_000): Promise<AriChannel> {
    return waitFor(`the channel of ${caller.callerNumber}`, () => this.ari.channelOf(caller.callerNumber), timeoutMs);
  }

  private async token(service: RunningService): Promise<string> {
    let t = this.tokens.get(service);
    if (!t) this.tokens.set(service, (t = await service.login('s2001')));
    return t;
  }

  private async get<T>(service: RunningService, path: string): Promise<T> {
    const { status, body } = await service.api<T>(path, await this.token(service));
    if (status !== 200) throw new Error(`GET ${path}: ${status} ${JSON.stringify(body)}`);
    return body;
  }

  /** The queue event log since this scenario began (optionally one call's). */
  async events(service: RunningService, callId?: string): Promise<QueueEvent[]> {
    const { events } = await this.get<{ events: QueueEvent[] }>(service, `/api/queue/events?since=${encodeURIComponent(this.since)}`);
    return callId ? events.filter((e) => e.callId === callId) : events;
  }

  /** Resolves with the first event matching, once it is logged. */
  waitForEvent(service: RunningService, what: string, match: (e: QueueEvent) => boolean, timeoutMs = 15_000): Promise<QueueEvent> {
    return waitFor(what, async () => (await this.events(service)).find(match), timeoutMs).catch(async (err: Error) => {
      throw new Error(`${err.message}\nqueue events:\n${(await this.events(service)).map((e) => JSON.stringify(e)).join('\n')}`);
    });
  }

  async counsellors(service: RunningService): Promise<CounsellorView[]> {
    return (await this.get<{ counsellors: CounsellorView[] }>(service, '/api/counsellors')).counsellors;
  }

  async counsellor(service: RunningService, id: string): Promise<CounsellorView> {
    const c = (await this.counsellors(service)).find((k) => k.id === id);
    if (!c) throw new Error(`no counsellor ${id}`);
    return c;
  }

  /** Waits for a counsellor's state (e.g. available once their phone registered). */
  waitForCounsellor(service: RunningService, id: string, status: string, timeoutMs = 10_000): Promise<CounsellorView> {
    return waitFor(`${id} ${status}`, async () => {
      const c = await this.counsellor(service, id);
      return c.status === status ? c : undefined;
    }, timeoutMs);
  }

  async waiting(service: RunningService): Promise<WaitingView[]> {
    return (await this.get<{ waiting: WaitingView[] }>(service, '/api/queue')).waiting;
  }

  async call(service: RunningService, callId: string): Promise<CallRecord> {
    return (await this.get<{ call: CallRecord }>(service, `/api/calls/${encodeURIComponent(callId)}`)).call;
  }

  /** The call's record once it has ended. */
  endedCall(service: RunningService, callId: string, timeoutMs = 10_000): Promise<CallRecord> {
    return waitFor(`the record of ${callId} closed`, async () => {
      const c = await this.call(service, callId).catch(() => undefined);
      return c?.endedAt ? c : undefined;
    }, timeoutMs);
  }

  /** Waits until a phone has been rung `count` times; returns its INVITEs. */
  waitForInvites(phone: QueuePhone, count: number, what: string, timeoutMs = 15_000): Promise<SipMessage[]> {
    return waitFor(what, async () => {
      const list = invitesOf(phone);
      return list.length >= count ? list : undefined;
    }, timeoutMs);
  }

  /** The callback job BullMQ holds for a call under a service's prefix (null if none). */
  async callbackJob(service: RunningService, callId: string) {
    const connection = new Redis(service.env.REDIS_URL ?? REDIS_URL, { maxRetriesPerRequest: 1 });
    const queue = new Queue(CALLBACK_QUEUE, { connection, prefix: `${service.env.REDIS_PREFIX}:bull` });
    try {
      const job = await queue.getJob(`callback-${callId}`);
      return job ? { id: job.id, name: job.name, data: job.data as Record<string, unknown>, opts: job.opts, state: await job.getState() } : null;
    } finally {
      await queue.close();
      connection.disconnect();
    }
  }

  /** The counsellor endpoints Asterisk has no registration for (a leftover one would ring a dead SIPp). */
  async waitForPhonesGone(timeoutMs = 10_000): Promise<void> {
    await waitFor('no counsellor phone registered', async () => {
      const eps = await this.ari.request<Array<{ resource: string; state: string }>>('GET', '/endpoints/PJSIP');
      return eps.every((e) => !/^(web)?\d+$/.test(e.resource) || e.state !== 'online') ? true : undefined;
    }, timeoutMs);
  }

  /** Ends everything the test started, in an order that lets the service see each thing go. */
  async cleanup(failed: boolean): Promise<void> {
    if (failed) {
      for (const s of this.services) console.error(`service ${s.pid} log (tail):\n${s.logs().split('\n').slice(-60).join('\n')}`);
    }
    await Promise.allSettled(this.phones.map((p) => p.stop()));
    await Promise.allSettled(this.callers.map((c) => c.stop()));
    await this.recorder?.close();
    await this.ari.clear().catch(() => undefined);
    for (const s of this.services) await s.stop();
    await this.ari.clear().catch(() => undefined);
    for (const p of this.prefixes) await dropRedisPrefix(REDIS_URL, p);
  }
}

/**
 * A fresh scenario for each test of the file, started once no phone an earlier test left is
 * registered (it would be rung in this one), and cleaned up after the test.
 */
export function scenarioPerTest(started: (s: QueueScenario) => void): void {
  let scenario: QueueScenario | undefined;
  beforeEach(async () => {
    scenario = new QueueScenario();
    started(scenario);
    await scenario.waitForPhonesGone();
  });
  afterEach(async (ctx) => {
    await scenario?.cleanup(ctx.task.result?.state === 'fail');
  });
}
