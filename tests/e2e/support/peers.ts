import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import { parse, stringify } from 'yaml';
import { readSecrets } from '../../../src/adapters/asterisk/secrets.ts';
import { profilePorts, testSlot } from '../../../src/config/profiles.ts';
import { CARRIER_IP, freePort as freeUdpPort, PBX_IP } from '../../support/sipp-process.ts';
import type { AriBridge, AriInspector } from './ari-inspector.ts';
import { dtmfPcap } from './dtmf-pcap.ts';
import { ulaw, writeRtpPcapOnce } from './rtp-pcap.ts';
import { registeredPhone, renderScenario, runSipp, saw, type Peer, type SipMessage, type SippRun } from './sipp.ts';
import { sleep } from './wait.ts';

/**
 * SIPp peers the stock helpers in sipp.ts do not offer, for escalation and monitoring tests:
 *  - a counsellor phone that presses '*' on its own leg after answering (sipp/escalate-phone.xml);
 *  - a caller whose keys each have their own delay and which can echo the RTP it receives
 *    (-rtp_echo), so that Asterisk's receive counter on the caller's channel shows whether audio
 *    really reached the caller;
 * plus an independent ARI event tap, the hotline file with overrides, and bridge look-ups.
 */

const ROOT = resolve(import.meta.dirname, '../../..');
const PBX_PORT = profilePorts('test', testSlot()).sipPort;
let cachedSecrets: ReturnType<typeof readSecrets> | undefined;
/**
 * var/test/secrets.json, read once. Every start of a test-profile service rewrites the file in place
 * (ensureSecrets), so a read racing another run's start can see it empty: such a read is retried.
 */
function secrets(): ReturnType<typeof readSecrets> {
  for (let i = 0; !cachedSecrets; i++) {
    try {
      cachedSecrets = readSecrets(join(ROOT, 'var/test/secrets.json'));
    } catch (err) {
      if (i >= 20) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
  return cachedSecrets;
}

/** An even UDP port (with its `span - 1` successors) in 30000-39999, clear of sipp.ts's ranges. */
const freePort = (host: string, span = 1) => freeUdpPort(host, 30000, span, 4990);

/**
 * A SIP phone (counsellor 1001, ..., or supervisor 2001) registered from 127.0.0.1 that answers every
 * INVITE after `ringMs`, answers re-INVITEs like a real phone, and with `starAfterMs` sends '*' that
 * long after answering (each call its own capture, so Asterisk takes every press). With `tone` it
 * talks: a 440 Hz tone in G.711 µ-law from the answer on (Asterisk cannot end a snoop on a channel
 * that carries no audio at all, see asterisk/asterisk#978). It hangs up `talkMs` after answering
 * (after the key, when there is one) unless the PBX does first.
 * Resolves once registered; `stop()` also unregisters it.
 */
export async function sipPhone(o: { sipUser: string; talkMs: number; starAfterMs?: number; ringMs?: number; tone?: boolean }): Promise<Peer> {
  const dir = mkdtempSync(join(tmpdir(), `sipp-phone-${o.sipUser}-`));
  const scenario = renderScenario(dir, 'escalate-phone.xml', {
    RING_MS: o.ringMs ?? 0, STAR_AFTER_MS: Math.max(1, o.starAfterMs ?? 1), TALK_MS: Math.max(1, o.talkMs),
    STAR: o.starAfterMs === undefined ? '' : `<nop><action><exec play_pcap_audio="${dtmfPcap('*', 0)}"/></action></nop>`,
    AUDIO: o.tone ? `<nop><action><exec play_pcap_audio="${tonePcap(Math.ceil(o.talkMs / 1000) + 5)}"/></action></nop>` : '',
  });
  const [port, mediaPort] = [await freePort(PBX_IP), await freePort(PBX_IP, 4)];
  return registeredPhone({ sipUser: o.sipUser, password: secrets().sip[o.sipUser], dir, port, mediaPort, scenario });
}

/** A counsellor phone that presses '*' on its own leg `starAfterMs` after answering (see sipPhone). */
export const escalatingPhone = (o: { sipUser: string; starAfterMs: number; talkMs: number; ringMs?: number }) => sipPhone(o);

/**
 * A pcap of `seconds` of RTP (PCMU, 20 ms packets) carrying a 440 Hz tone at -10 dBFS, for SIPp's
 * play_pcap_audio. Written once per length into the system temp dir.
 */
export function tonePcap(seconds: number, dir = join(tmpdir(), 'hotline-e2e-media')): string {
  return writeRtpPcapOnce(join(dir, `tone_440_pcmu_${seconds}s.pcap`), function* tone() {
    for (let n = 0; n < seconds * 50; n++) {
      const body = Buffer.alloc(160);
      for (let i = 0; i < 160; i++) body[i] = ulaw(Math.round(10362 * Math.sin((2 * Math.PI * 440 * (n * 160 + i)) / 8000)));
      yield { atMs: n * 20, pt: 0, marker: n === 0, seq: 2000 + n, ts: n * 160, ssrc: 0x12355110, body };
    }
  });
}

export interface CallerOptions {
  callerNumber: string;
  number?: string;
  /** Keys sent once answered, each `afterMs` after the previous one (the first: after the answer). */
  keys?: Array<{ key: string; afterMs: number }>;
  /** Time on the line after the last key: 'caller' then hangs up; 'remote' waits that long at most for a BYE. */
  holdMs: number;
  hangup: 'caller' | 'remote';
  /** Echo every RTP packet received back to Asterisk (SIPp -rtp_echo). */
  rtpEcho?: boolean;
}

/** A caller from the carrier address (127.0.0.2) through tests/e2e/sipp/caller.xml. */
export async function startCaller(o: CallerOptions): Promise<SippRun> {
  const dir = mkdtempSync(join(tmpdir(), 'sipp-caller-'));
  const keys = o.keys ?? [];
  const dtmf = keys.map((k, i) => `  <pause milliseconds="${Math.max(1, k.afterMs)}"/>\n` +
    `  <nop><action><exec play_pcap_audio="${dtmfPcap(k.key, i)}"/></action></nop>`).join('\n');
  const scenario = renderScenario(dir, 'caller.xml', {
    CALLER: o.callerNumber, DTMF: dtmf,
    BYE_WAIT: `timeout="${Math.max(1, o.holdMs)}"` + (o.hangup === 'caller' ? ' ontimeout="hangup"' : ''),
  });
  const budgetS = Math.ceil((keys.reduce((n, k) => n + k.afterMs, 0) + o.holdMs) / 1000) + 30;
  return runSipp('caller', CARRIER_IP, await freePort(CARRIER_IP), [`${PBX_IP}:${PBX_PORT}`, '-sf', scenario, '-s', o.number ?? '12355',
    '-mi', CARRIER_IP, '-mp', String(await freePort(CARRIER_IP, 4)), ...(o.rtpEcho ? ['-rtp_echo'] : []),
    '-m', '1', '-aa', '-timeout', `${budgetS}s`, '-timeout_error'], dir);
}

/** Whether the peer received a BYE (the PBX hung up on it). */
export const gotBye = (p: { messages(): SipMessage[] }) => saw({ messages: p.messages() }, 'received', 'BYE');

export interface AriEvent {
  type: string;
  timestamp?: string;
  channel?: { id: string; name: string; state: string };
  digit?: string;
  bridge?: { id: string; channels: string[] };
  [key: string]: unknown;
}

/**
 * Every ARI event of the test PBX, seen through an app of the test's own (subscribeAll), apart
 * from the service's app: e.g. which DTMF digits Asterisk took from which channel.
 */
export class AriEventTap {
  readonly events: AriEvent[] = [];
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      try {
        this.events.push(JSON.parse(data.toString()) as AriEvent);
      } catch {
        // not JSON: ignore
      }
    });
  }

  static async open(ari: AriInspector): Promise<AriEventTap> {
    const app = `e2e-tap-${process.pid}-${Date.now().toString(36)}`;
    const url = `${ari.url.replace(/^http/, 'ws')}/ari/events?app=${app}&subscribeAll=true&api_key=${encodeURIComponent(`hotline:${secrets().ariPassword}`)}`;
    const ws = new WebSocket(url);
    await new Promise<void>((res, rej) => {
      ws.once('open', () => res());
      ws.once('error', rej);
    });
    return new AriEventTap(ws);
  }

  dtmf(channelId: string): string[] {
    return this.events.filter((e) => e.type === 'ChannelDtmfReceived' && e.channel?.id === channelId).map((e) => e.digit ?? '');
  }

  async waitFor(what: string, pred: (e: AriEvent) => boolean, timeoutMs = 10_000): Promise<AriEvent> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.events.find(pred);
      if (hit) return hit;
      if (Date.now() > until) throw new Error(`no ARI event ${what} within ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  close(): void {
    this.ws.close();
  }
}

/** config/hotline.yaml with `patch(config)` applied, written to a temp file for HOTLINE_CONFIG. */
export function hotlineConfigWith(patch: (c: Record<string, Record<string, unknown>>) => void): string {
  const config = parse(readFileSync(join(ROOT, 'config/hotline.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;
  patch(config);
  const file = join(mkdtempSync(join(tmpdir(), 'hotline-config-')), 'hotline.yaml');
  writeFileSync(file, stringify(config));
  return file;
}

/**
 * The config of the console tests: presence does not follow registration (going available is the
 * console's own button), and a one-word privacy notice, so a queued caller is offered at once.
 */
export function consoleTestConfig(patch: (c: Record<string, Record<string, unknown>>) => void = () => undefined): string {
  return hotlineConfigWith((c) => {
    (c.queue as Record<string, unknown>).presenceFollowsRegistration = false;
    (c.ivr as Record<string, unknown>).privacyNotice = 'digit_0';
    patch(c);
  });
}

/** The (non-holding) bridge a channel is in now, if any. */
export async function bridgeWith(ari: AriInspector, channelId: string): Promise<AriBridge | undefined> {
  return (await ari.bridges()).find((b) => b.channels.includes(channelId));
}

/** A web password from var/test/secrets.json (c1001, s2001, ...). */
export const webPassword = (user: string): string => {
  const pw = secrets().web[user];
  if (!pw) throw new Error(`no web password for ${user} in var/test/secrets.json`);
  return pw;
};
