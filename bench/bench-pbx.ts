/**
 * The benchmark's own Asterisk: the test profile of a test slot (HOTLINE_TEST_SLOT, 4 by default
 * for benchmarks), rendered with the app_queue baseline queue `benchq`, and an AMI client
 * (npm `asterisk-manager`) that drives and observes that queue.
 *
 * Nothing in src/ or the templates changes for the benchmark: the queue comes in through
 * PbxParams.benchQueue ({{BENCH_QUEUE}} in queues.conf), and the baseline's dialplan entry
 * (Answer, Queue(benchq)) is added at run time with the AMI action DialplanExtensionAdd.
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { asteriskRx, isAsteriskRunning, startAsterisk, stopAsterisk } from '../src/adapters/asterisk/asterisk-process.ts';
import { pbxForProfile } from '../src/adapters/asterisk/pbx-profile.ts';
import type { PbxParams } from '../src/adapters/asterisk/render-config.ts';
import { PBX_IP } from '../tests/support/sipp-process.ts';
import type { BenchTarget } from './bench-sipp.ts';

export const ROOT = resolve(import.meta.dirname, '..');
export const BENCH_QUEUE = 'benchq';
/** The number callers dial to reach app_queue (added to the carrier's context over AMI). */
export const BENCH_QUEUE_NUMBER = '12399';
/** The fixture line of the service that routes straight to the general queue. */
export const BENCH_LINE_NUMBER = '12356';
/**
 * RTP range of the benchmark's Asterisk: 5,000 RTP instances, enough for the top rate's concurrent
 * calls (400 cps × 3 s, plus answer time). A narrower range (1,000 instances) made the load test
 * measure port exhaustion ("couldn't allocate a port for RTP instance"): whichever system answered
 * a little slower at saturation held more channels at once and failed first. Clear of the test
 * profiles (10000-16999) and of the benchmark's SIPp ports (36000 and up).
 */
const RTP_RANGE = { start: 20000, end: 29999 };

/** app_queue configured like the hotline's queue: longest idle first, no wrap-up, never ring a busy phone. */
export const BENCH_QUEUE_CONF = [
  `[${BENCH_QUEUE}]`,
  'strategy = leastrecent',
  'wrapuptime = 0',
  'ringinuse = no',
  'timeout = 15',
  'retry = 1',
  'memberdelay = 0',
  'autofill = yes',
  'joinempty = yes',
  'leavewhenempty = no',
  'musicclass = hotline',
  'announce-frequency = 0',
  'periodic-announce-frequency = 0',
  'announce-position = no',
  'announce-holdtime = no',
  'reportholdtime = no',
  'setinterfacevar = no',
  'eventwhencalled = yes',
  '',
].join('\n');

export interface BenchPbx {
  params: PbxParams;
  pid: number;
  amiPort: number;
  stop(): Promise<void>;
}

/** The slot's PBX parameters with the baseline queue and a wider RTP range. */
export function benchPbxParams(): PbxParams {
  const { params } = pbxForProfile(ROOT, 'test');
  return { ...params, benchQueue: BENCH_QUEUE_CONF, rtpStart: RTP_RANGE.start, rtpEnd: RTP_RANGE.end };
}

/**
 * Starts the slot's Asterisk (stopping one this slot left running first, so the configuration is
 * fresh). Refuses slot 0, the shared test profile other runs use.
 */
export async function startBenchPbx(): Promise<BenchPbx> {
  const slot = Number(process.env.HOTLINE_TEST_SLOT ?? 0);
  if (!Number.isInteger(slot) || slot < 1 || slot > 9) throw new Error('set HOTLINE_TEST_SLOT (1-9) so the benchmark gets its own Asterisk and ports');
  const params = benchPbxParams();
  if (isAsteriskRunning(params)) await stopAsterisk(params);
  const pid = await startAsterisk(ROOT, params, 60_000);
  return { params, pid, amiPort: params.amiPort, stop: () => stopAsterisk(params) };
}

export function rx(params: PbxParams, command: string): string {
  return asteriskRx(params, command);
}

/** The Asterisk version string ("Asterisk 22.10.1 built by ..."), first line. */
export function asteriskVersion(params: PbxParams): string {
  return rx(params, 'core show version').split('\n')[0]?.trim() ?? 'unknown';
}

// ---------------------------------------------------------------------------------------------
// AMI through asterisk-manager (CommonJS, untyped): a small typed surface over it.

/** An AMI message as asterisk-manager parses it: lower-case keys, string values. */
export type AmiMessage = Record<string, string | string[] | Record<string, string> | undefined>;
type Callback = (err: AmiMessage | undefined, res: AmiMessage) => void;
interface ManagerInstance {
  on(event: string, fn: (e: AmiMessage) => void): void;
  removeListener(event: string, fn: (e: AmiMessage) => void): void;
  action(action: Record<string, string | number | boolean>, cb: Callback): string;
  disconnect(cb?: () => void): void;
  isConnected(): boolean;
}
type ManagerFactory = (port: number, host: string, user: string, secret: string, events: boolean) => ManagerInstance;
const Manager = createRequire(import.meta.url)('asterisk-manager') as ManagerFactory;

export interface Ami {
  /** Sends one action; rejects on `Response: Error` or after 10 s. */
  action(a: Record<string, string | number | boolean>): Promise<AmiMessage>;
  /** Sends an action whose answer is a list of events ending in `<Name>Complete`; resolves to the events. */
  list(a: Record<string, string | number | boolean>, completeEvent: string): Promise<AmiMessage[]>;
  on(event: string, fn: (e: AmiMessage) => void): () => void;
  close(): Promise<void>;
}

/** Connects and logs in (events on) with the ARI user's credentials, as manager.conf.tmpl sets them. */
export async function connectAmi(params: PbxParams): Promise<Ami> {
  const m = Manager(params.amiPort, '127.0.0.1', params.ariUser, params.ariPassword, true);
  const until = Date.now() + 15_000;
  // asterisk-manager holds actions until login; a harmless Ping tells us login went through.
  const call = (a: Record<string, string | number | boolean>, ms = 10_000) =>
    new Promise<AmiMessage>((res, rej) => {
      const t = setTimeout(() => rej(new Error(`AMI ${String(a.action)}: no answer within ${ms} ms`)), ms);
      m.action(a, (err, r) => {
        clearTimeout(t);
        if (err) rej(new Error(`AMI ${String(a.action)}: ${String(err.message ?? JSON.stringify(err))}`));
        else res(r);
      });
    });
  for (;;) {
    try {
      await call({ action: 'Ping' }, 3000);
      break;
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const on = (event: string, fn: (e: AmiMessage) => void) => {
    m.on(event.toLowerCase(), fn);
    return () => m.removeListener(event.toLowerCase(), fn);
  };
  return {
    action: (a) => call(a),
    async list(a, completeEvent) {
      const actionId = `bench-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
      const got: AmiMessage[] = [];
      return new Promise<AmiMessage[]>((res, rej) => {
        const t = setTimeout(() => (off(), rej(new Error(`AMI ${String(a.action)}: no ${completeEvent} within 10 s`))), 10_000);
        const off = on('managerevent', (e) => {
          if (e.actionid !== actionId) return;
          if (String(e.event).toLowerCase() === completeEvent.toLowerCase()) {
            clearTimeout(t);
            off();
            res(got);
          } else got.push(e);
        });
        call({ ...a, actionid: actionId }).catch((err: unknown) => (clearTimeout(t), off(), rej(err as Error)));
      });
    },
    on,
    close: () => new Promise<void>((r) => m.disconnect(() => r())),
  };
}

/** Adds `number` → Answer(), Queue(benchq), Hangup() to the carrier's context, for this Asterisk run only. */
export async function addQueueEntry(ami: Ami, number = BENCH_QUEUE_NUMBER): Promise<void> {
  const steps: Array<[string, string]> = [['Answer', ''], ['Queue', BENCH_QUEUE], ['Hangup', '']];
  for (const [i, [app, data]] of steps.entries()) {
    await ami.action({
      action: 'DialplanExtensionAdd', context: 'from-carrier', extension: number, priority: i + 1,
      application: app, applicationdata: data, replace: 'true',
    });
  }
}

/** The baseline queue's one member: the same SIP phone endpoint the service rings. */
export async function addMember(ami: Ami, iface: string): Promise<void> {
  await ami.action({ action: 'QueueAdd', queue: BENCH_QUEUE, interface: iface, penalty: 0, paused: 'false', membername: iface });
}

export async function removeMember(ami: Ami, iface: string): Promise<void> {
  await ami.action({ action: 'QueueRemove', queue: BENCH_QUEUE, interface: iface }).catch(() => undefined);
}

export async function resetQueueStats(ami: Ami): Promise<void> {
  await ami.action({ action: 'QueueReset', queue: BENCH_QUEUE });
}

export interface QueueSnapshot { calls: number; completed: number; abandoned: number; members: Array<{ name: string; status: string; callsTaken: number; inCall: boolean }> }

/** QueueStatus of the baseline queue: waiting callers, completed/abandoned counts and members. */
export async function queueStatus(ami: Ami): Promise<QueueSnapshot> {
  const events = await ami.list({ action: 'QueueStatus', queue: BENCH_QUEUE }, 'QueueStatusComplete');
  const params = events.find((e) => String(e.event).toLowerCase() === 'queueparams');
  const num = (v: unknown) => Number(typeof v === 'string' ? v : 0);
  return {
    calls: num(params?.calls),
    completed: num(params?.completed),
    abandoned: num(params?.abandoned),
    members: events.filter((e) => String(e.event).toLowerCase() === 'queuemember').map((e) => ({
      name: String(e.name ?? e.membername ?? ''), status: String(e.status ?? ''), callsTaken: num(e.callstaken), inCall: String(e.incall) === '1',
    })),
  };
}

/** The slot's PBX as the target of the SIPp peers; its leftover calls are hung up over AMI. */
export const pbxTarget = (pbx: BenchPbx, ami: Ami): BenchTarget => ({ host: PBX_IP, port: pbx.params.sipPort, hangUpAll: (graceMs) => settle(ami, graceMs) });

/** Channels up in this Asterisk (AMI CoreStatus). */
export async function currentCalls(ami: Ami): Promise<number> {
  const r = await ami.action({ action: 'CoreStatus' });
  return Number(r.corecurrentcalls ?? 0);
}

/**
 * Waits until this Asterisk has no call left; after `graceMs` it hangs up whatever remains (the
 * benchmark's own PBX only), so that one phase never leaves load or a busy phone for the next.
 */
export async function settle(ami: Ami, graceMs = 15_000): Promise<{ leftover: number }> {
  const until = Date.now() + graceMs;
  while (Date.now() < until) {
    if ((await currentCalls(ami)) === 0) return { leftover: 0 };
    await new Promise((r) => setTimeout(r, 250));
  }
  const leftover = await currentCalls(ami);
  await ami.action({ action: 'Hangup', channel: '/.*/' }).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 1000));
  return { leftover };
}
