import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import { readSecrets } from '../../../src/adapters/asterisk/secrets.ts';
import { profilePorts, testSlot } from '../../../src/config/profiles.ts';

/**
 * Records the test PBX's ARI events through a Stasis application of its own with subscribeAll, so a
 * test can see what the service made Asterisk do (which prompt played to which channel, which
 * keys arrived) without touching the service's own `hotline` application.
 */

const ROOT = resolve(import.meta.dirname, '../../..');

export interface AriEvent {
  type: string;
  /** Asterisk's timestamp of the event, in ms. */
  at: number;
  raw: Record<string, unknown>;
}

export interface PlaybackSeen {
  at: number;
  /** When it ended (PlaybackFinished), if it has. */
  finishedAt: number | undefined;
  id: string;
  /** Prompt ids, e.g. ['privacy_notice', 'queue_hold_intro'] for sound:hotline/cmn/privacy_notice,... */
  prompts: string[];
  channelId: string;
}

const parseTime = (t: unknown) => (typeof t === 'string' ? Date.parse(t.replace(/([+-]\d\d)(\d\d)$/, '$1:$2')) : NaN);

export class AriEventRecorder {
  readonly events: AriEvent[] = [];

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: WebSocket.RawData) => {
      const raw = JSON.parse(data.toString()) as Record<string, unknown>;
      this.events.push({ type: String(raw.type), at: parseTime(raw.timestamp) || Date.now(), raw });
    });
  }

  static async start(app = `queue-e2e-recorder-${process.pid}`): Promise<AriEventRecorder> {
    const port = profilePorts('test', testSlot()).ariHttpPort;
    const password = readSecrets(join(ROOT, 'var/test/secrets.json')).ariPassword;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ari/events?app=${encodeURIComponent(app)}&subscribeAll=true`, {
      headers: { authorization: 'Basic ' + Buffer.from(`hotline:${password}`).toString('base64') },
    });
    await new Promise<void>((res, rej) => {
      ws.once('open', () => res());
      ws.once('error', rej);
    });
    return new AriEventRecorder(ws);
  }

  /** Playbacks started on a channel, in order. */
  playbacksOn(channelId: string): PlaybackSeen[] {
    return this.events.flatMap((e) => {
      if (e.type !== 'PlaybackStarted') return [];
      const pb = e.raw.playback as { id: string; media_uri: string; target_uri: string } | undefined;
      if (!pb || pb.target_uri !== `channel:${channelId}`) return [];
      const prompts = pb.media_uri.split(',').map((m) => m.replace(/^sound:hotline\/[a-z]+\//, ''));
      const end = this.events.find((f) => f.type === 'PlaybackFinished' && (f.raw.playback as { id?: string } | undefined)?.id === pb.id);
      return [{ at: e.at, finishedAt: end?.at, id: pb.id, prompts, channelId }];
    });
  }

  /** Keys Asterisk received on a channel, with when. */
  dtmfOn(channelId: string): Array<{ at: number; digit: string }> {
    return this.events.flatMap((e) => {
      const ch = e.raw.channel as { id?: string } | undefined;
      return e.type === 'ChannelDtmfReceived' && ch?.id === channelId ? [{ at: e.at, digit: String(e.raw.digit) }] : [];
    });
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((res) => {
      this.ws.once('close', () => res());
      this.ws.close();
      setTimeout(() => (this.ws.terminate(), res()), 2000).unref();
    });
  }
}
