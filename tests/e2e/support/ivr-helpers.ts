import { closeSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { readSecrets } from '../../../src/adapters/asterisk/secrets.ts';
import { profilePorts, testSlot } from '../../../src/config/profiles.ts';
import { sleep } from './wait.ts';

/**
 * Helpers for the IVR end-to-end tests: an independent observer of what Asterisk does (ARI events of
 * every channel), a WAV header reader and a hotline config with short menu timeouts.
 */

const ROOT = resolve(import.meta.dirname, '../../..');

export interface AriEvent {
  type: string;
  timestamp?: string;
  /** When the watcher received it (ms since epoch). */
  receivedAt: number;
  channel?: { id: string; name: string; state: string; caller: { number: string } };
  playback?: { id: string; media_uri: string; next_media_uri?: string; target_uri: string; state: string };
  bridge?: { id: string };
  digit?: string;
  [key: string]: unknown;
}

/**
 * A second ARI application with `subscribeAll`: it controls nothing, it only receives the events of
 * every channel, bridge and playback on the PBX, so a test sees what Asterisk really did (which
 * prompt it played, for how long, whether it failed, which keys it received).
 */
export class AriEventWatcher {
  readonly events: AriEvent[] = [];
  private ws: WebSocket | null = null;
  readonly app = `hotline-e2e-watch-${process.pid}`;

  async open(): Promise<void> {
    const port = profilePorts('test', testSlot()).ariHttpPort;
    const password = readSecrets(join(ROOT, 'var/test/secrets.json')).ariPassword;
    const url = `ws://127.0.0.1:${port}/ari/events?app=${encodeURIComponent(this.app)}&subscribeAll=true`;
    const ws = new WebSocket(url, { headers: { authorization: 'Basic ' + Buffer.from(`hotline:${password}`).toString('base64') } });
    ws.on('message', (data) => {
      try {
        const event = JSON.parse(data.toString()) as AriEvent;
        if (typeof event?.type === 'string') this.events.push({ ...event, receivedAt: Date.now() });
      } catch {
        // not JSON: not an event
      }
    });
    await new Promise<void>((res, rej) => {
      ws.once('open', () => res());
      ws.once('error', rej);
    });
    this.ws = ws;
  }

  close(): void {
    this.ws?.close();
    this.ws = null;
  }

  /** The id of the channel that called from `callerNumber` (in events from index `fromEvent` on), once Asterisk has created it. */
  async channelIdOf(callerNumber: string, fromEvent = 0, timeoutMs = 10_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const e = this.events.slice(fromEvent).find((x) => x.channel?.caller?.number === callerNumber);
      if (e?.channel) return e.channel.id;
      if (Date.now() > until) throw new Error(`no ARI event for a channel from ${callerNumber} within ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  /** Events about channel `channelId`: its own, and playbacks on it. */
  of(channelId: string): AriEvent[] {
    return this.events.filter((e) => e.channel?.id === channelId || e.playback?.target_uri === `channel:${channelId}`);
  }

  playbacks(channelId: string): AriEvent[] {
    return this.of(channelId).filter((e) => e.type.startsWith('Playback'));
  }

  digits(channelId: string): AriEvent[] {
    return this.of(channelId).filter((e) => e.type === 'ChannelDtmfReceived');
  }

  /** Waits for an event about `channelId` matching `pred`. */
  async waitFor(channelId: string, what: string, pred: (e: AriEvent) => boolean, timeoutMs = 10_000): Promise<AriEvent> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const e = this.of(channelId).find(pred);
      if (e) return e;
      if (Date.now() > until) {
        const seen = this.of(channelId).map((x) => `${x.type} ${x.playback?.media_uri ?? ''} ${x.playback?.state ?? ''}${x.digit ?? ''}`);
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} on ${channelId}; seen:\n  ${seen.join('\n  ')}`);
      }
      await sleep(50);
    }
  }
}

export interface WavInfo { format: number; channels: number; sampleRate: number; bitsPerSample: number; dataBytes: number; seconds: number }

/** Reads a RIFF/WAVE header (fmt and data chunks); throws if the file is not a WAV. */
export function readWavHeader(path: string): WavInfo {
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(4096);
  const n = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  const head = buf.subarray(0, n);
  if (head.toString('ascii', 0, 4) !== 'RIFF' || head.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${path}: not a RIFF/WAVE file`);
  let fmt: Omit<WavInfo, 'dataBytes' | 'seconds'> | undefined;
  for (let off = 12; off + 8 <= head.length;) {
    const id = head.toString('ascii', off, off + 4);
    const size = head.readUInt32LE(off + 4);
    if (id === 'fmt ') {
      fmt = { format: head.readUInt16LE(off + 8), channels: head.readUInt16LE(off + 10), sampleRate: head.readUInt32LE(off + 12), bitsPerSample: head.readUInt16LE(off + 22) };
    } else if (id === 'data') {
      if (!fmt) throw new Error(`${path}: data chunk before fmt chunk`);
      return { ...fmt, dataBytes: size, seconds: size / (fmt.sampleRate * fmt.channels * (fmt.bitsPerSample / 8)) };
    }
    off += 8 + size + (size % 2);
  }
  throw new Error(`${path}: no fmt/data chunk in the first ${head.length} bytes`);
}

/**
 * config/hotline.yaml with every menu's input timeouts cut to `timeoutMs` and, per menu, the
 * attempts given in `maxAttempts`: the real menus, prompts and targets, but silence costs
 * seconds instead of minutes. Returns the path of the written file.
 */
export function hotlineConfigWith(opts: { timeoutMs: number; maxAttempts?: Record<string, number> }): string {
  const raw = parseYaml(readFileSync(join(ROOT, 'config/hotline.yaml'), 'utf8')) as { menus: Record<string, Record<string, unknown>> };
  for (const [id, menu] of Object.entries(raw.menus)) {
    menu.firstDigitTimeoutMs = opts.timeoutMs;
    menu.interDigitTimeoutMs = opts.timeoutMs;
    if (opts.maxAttempts?.[id] !== undefined) menu.maxAttempts = opts.maxAttempts[id];
  }
  const file = join(tmpdir(), `hotline-ivr-e2e-${process.pid}-${opts.timeoutMs}-${Object.entries(opts.maxAttempts ?? {}).flat().join('-')}.yaml`);
  writeFileSync(file, stringifyYaml(raw));
  return file;
}
