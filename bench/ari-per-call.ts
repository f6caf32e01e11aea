/**
 * What a new call asks of Asterisk, and when its caller first hears something: the load calls of
 * the calls-per-second benchmark (answered, then on the line for `--hold` ms), at a low rate.
 *
 *   HOTLINE_TEST_SLOT=6 node --import tsx bench/ari-per-call.ts [--calls 40] [--rate 5] [--hold 3000] [--json]
 *
 * - Service (12355): the service runs with bench/bench-trace-preload.ts; each ARI request it
 *   starts and each ARI event it receives is tied to a caller's channel (by the channel id in the
 *   request's path or the event, a playback by the request that started it) and counted by kind.
 * - Both systems (12355 and app_queue's 12399): the callers' SDP offers the port of a UDP socket of
 *   this script, which notes the first RTP packet from each call's Asterisk port (the port in the
 *   200 OK's SDP): INVITE → first audio, the moment the caller first hears something.
 *
 * Counts do not depend on the machine's load; the times do (run it on a quiet machine).
 */
import { createSocket } from 'node:dgram';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pbxForProfile } from '../src/adapters/asterisk/pbx-profile.ts';
import { CARRIER_IP, freePort } from '../tests/support/sipp-process.ts';
import { addQueueEntry, BENCH_QUEUE_NUMBER, connectAmi, ROOT, settle, startBenchPbx, type BenchPbx, type Ami } from './bench-pbx.ts';
import { BENCH_DIR, startBenchService, watchProcess, writeFixtureConfig } from './bench-service.ts';
import { startCallers, type TracedMessage } from './bench-sipp.ts';
import { median, round1, summarize } from './bench-stats.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const CALLS = opt('--calls', 40);
const RATE = opt('--rate', 5);
const HOLD_MS = opt('--hold', 3000);
const JSON_OUT = args.includes('--json');
const say = (line: string) => process.stderr.write(`[ari-per-call] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface TraceLine { t: number; rest?: string; phase?: string; event?: string; channel?: string; playback?: string }

/** `/channels/1733.5/play/pb-…` → `/channels/:id/play/:id`, and the ids it names. */
function normalise(rest: string): { kind: string; ids: string[] } {
  const [method = '', path = ''] = rest.split(' ');
  const parts = path.split('/');
  const ids: string[] = [];
  const named = new Set(['channels', 'playbacks', 'bridges', 'play', 'snoop', 'applications']);
  const out = parts.map((p, i) => {
    if (i > 0 && named.has(parts[i - 1]!) && p && !['play', 'variable', 'answer', 'moh', 'ring', 'continue'].includes(p)) {
      ids.push(p);
      return ':id';
    }
    return p;
  });
  return { kind: `${method} ${out.join('/')}`, ids };
}

const tally = (xs: string[]) => Object.fromEntries([...xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>())].sort());

/** Per caller channel: ARI requests and events by kind, playbacks started. */
function perCall(lines: TraceLine[]) {
  const callers = [...new Set(lines.filter((l) => l.event === 'StasisStart' && l.channel).map((l) => l.channel!))];
  const of = new Map(callers.map((c) => [c, { requests: [] as string[], events: [] as string[] }]));
  const playbackOwner = new Map<string, string>();
  let unattributedRequests = 0;
  let unattributedEvents = 0;
  for (const l of lines) {
    if (l.rest && l.phase === 'start') {
      const { kind, ids } = normalise(l.rest);
      const owner = ids.find((id) => of.has(id)) ?? ids.map((id) => playbackOwner.get(id)).find(Boolean);
      if (owner) {
        of.get(owner)!.requests.push(kind);
        if (kind.includes('/play/')) playbackOwner.set(ids.at(-1)!, owner);
      } else unattributedRequests++;
    } else if (l.event) {
      const owner = (l.channel && of.has(l.channel) ? l.channel : undefined) ?? (l.playback ? playbackOwner.get(l.playback) : undefined);
      if (owner) of.get(owner)!.events.push(l.event);
      else unattributedEvents++;
    }
  }
  const calls = [...of.values()];
  const kinds = (pick: (c: { requests: string[]; events: string[] }) => string[]) => {
    const all = [...new Set(calls.flatMap(pick))].sort();
    return Object.fromEntries(all.map((k) => [k, round1(calls.reduce((n, c) => n + pick(c).filter((x) => x === k).length, 0) / Math.max(1, calls.length))]));
  };
  return {
    calls: calls.length,
    requestsPerCall: { median: median(calls.map((c) => c.requests.length)), byKind: kinds((c) => c.requests) },
    eventsPerCall: { median: median(calls.map((c) => c.events.length)), byType: kinds((c) => c.events) },
    playbacksPerCall: median(calls.map((c) => c.requests.filter((r) => r.includes('/play/')).length)),
    unattributed: { requests: unattributedRequests, events: unattributedEvents },
  };
}

/** INVITE → 200 OK and INVITE → first RTP from the call's Asterisk port, per call. */
function timings(trace: TracedMessage[], firstAudio: Map<number, number>) {
  const invite = new Map<string, number>();
  const answer: number[] = [];
  const audio: number[] = [];
  const answerToAudio: number[] = [];
  for (const m of trace) {
    if (m.direction === 'sent' && m.firstLine.startsWith('INVITE ') && !m.toTag && !invite.has(m.callId)) invite.set(m.callId, m.at);
    if (m.direction === 'received' && m.firstLine.startsWith('SIP/2.0 200') && m.cseq.endsWith('INVITE') && invite.has(m.callId)) {
      const at = invite.get(m.callId)!;
      invite.delete(m.callId);
      answer.push(m.at - at);
      const heard = m.sdpAudioPort === undefined ? undefined : firstAudio.get(m.sdpAudioPort);
      if (heard !== undefined) {
        audio.push(heard - at);
        answerToAudio.push(heard - m.at);
      }
    }
  }
  return { answerMs: summarize(answer), firstAudioMs: summarize(audio), answerToFirstAudioMs: summarize(answerToAudio) };
}

/** One batch of calls to `number`, with a socket noting each Asterisk port's first RTP packet. */
async function batch(pbx: BenchPbx, ami: Ami, number: string, label: string) {
  const port = await freePort(CARRIER_IP, 38000);
  const firstAudio = new Map<number, number>();
  const sock = createSocket('udp4');
  sock.on('message', (_msg, from) => {
    if (!firstAudio.has(from.port)) firstAudio.set(from.port, performance.timeOrigin + performance.now());
  });
  await new Promise<void>((r) => sock.bind(port, CARRIER_IP, () => r()));
  const ast = watchProcess(pbx.pid);
  try {
    const callers = await startCallers({
      number, pbxPort: pbx.params.sipPort, rate: RATE, total: CALLS, answerTimeoutMs: 5000, holdMs: HOLD_MS,
      budgetS: Math.ceil(CALLS / RATE) + 60, sdpMediaPort: port,
    }, `count-${label}`);
    await callers.done;
    const usage = ast.stop();
    await settle(ami, 10_000);
    return { ...timings(callers.trace(), firstAudio), asteriskCpuMsPerCall: round1((usage.cpuSeconds * 1000) / CALLS) };
  } finally {
    sock.close();
  }
}

async function main(): Promise<void> {
  pbxForProfile(ROOT, 'test'); // creates the test profile's secrets on a fresh checkout
  const config = writeFixtureConfig();
  const traceFile = join(BENCH_DIR, 'ari-per-call.trace.jsonl');
  if (existsSync(traceFile)) rmSync(traceFile);
  process.env.BENCH_TRACE_FILE = traceFile;
  say(`starting the benchmark Asterisk (slot ${process.env.HOTLINE_TEST_SLOT ?? '?'})`);
  const pbx = await startBenchPbx();
  const ami = await connectAmi(pbx.params);
  try {
    await addQueueEntry(ami);
    const svc = await startBenchService('count', config);
    let service;
    try {
      await sleep(1500); // start-up requests (event filter, resync, subscriptions) are over
      const from = Date.now();
      say(`service: ${CALLS} calls at ${RATE} cps to 12355, ${HOLD_MS} ms each`);
      const t = await batch(pbx, ami, '12355', 'service');
      const lines = readFileSync(traceFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as TraceLine).filter((l) => l.t >= from);
      service = { ...t, ari: perCall(lines), allRequests: tally(lines.filter((l) => l.rest && l.phase === 'start').map((l) => normalise(l.rest!).kind)) };
    } finally {
      await svc.stop();
    }
    say(`app_queue: ${CALLS} calls at ${RATE} cps to ${BENCH_QUEUE_NUMBER}`);
    const appQueue = await batch(pbx, ami, BENCH_QUEUE_NUMBER, 'appqueue');
    const report = { at: new Date().toISOString(), calls: CALLS, rate: RATE, holdMs: HOLD_MS, service, appQueue };
    process.stdout.write(`${JSON.stringify(report, null, JSON_OUT ? 0 : 2)}\n`);
  } finally {
    await ami.close();
    await pbx.stop();
  }
}

await main();
