import { join, resolve } from 'node:path';
import { readSecrets } from '../../../src/adapters/asterisk/secrets.ts';
import { profilePorts, testSlot } from '../../../src/config/profiles.ts';

/**
 * Reads the test PBX's state straight from ARI, independent of the service under test, to
 * check what a scenario left behind. Playbacks are not listable in ARI, so channels and
 * bridges are what is checked.
 */

const ROOT = resolve(import.meta.dirname, '../../..');

export interface AriChannel {
  id: string;
  name: string;
  state: string;
  caller: { number: string; name: string };
  dialplan: { context: string; exten: string; priority: number; app_name?: string; app_data?: string };
}
export interface AriBridge {
  id: string;
  name?: string;
  bridge_type: string;
  bridge_class: string;
  channels: string[];
}

/** The service's long-lived holding bridge may stay; everything else should be gone. */
export const isLongLivedBridge = (b: AriBridge) => b.id.startsWith('hotline-holding') || (b.name ?? '').startsWith('hotline-holding');

export class AriInspector {
  readonly url: string;
  private readonly auth: string;

  constructor(opts: { url?: string; user?: string; password?: string } = {}) {
    this.url = opts.url ?? `http://127.0.0.1:${profilePorts("test", testSlot()).ariHttpPort}`;
    const password = opts.password ?? readSecrets(join(ROOT, 'var/test/secrets.json')).ariPassword;
    this.auth = 'Basic ' + Buffer.from(`${opts.user ?? 'hotline'}:${password}`).toString('base64');
  }

  async request<T>(method: string, path: string): Promise<T> {
    const res = await fetch(`${this.url}/ari${path}`, {
      method,
      headers: { authorization: this.auth },
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) throw new Error(`ARI ${method} ${path}: ${res.status} ${await res.text()}`);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  channels(): Promise<AriChannel[]> {
    return this.request('GET', '/channels');
  }

  bridges(): Promise<AriBridge[]> {
    return this.request('GET', '/bridges');
  }

  /** RTP counters of a channel (txcount > 0: Asterisk is sending audio, e.g. a prompt, to it). */
  rtpStats(channelId: string): Promise<{ txcount: number; rxcount: number }> {
    return this.request('GET', `/channels/${encodeURIComponent(channelId)}/rtp_statistics`);
  }

  /** The channel of a caller, by the number it called from. */
  async channelOf(callerNumber: string): Promise<AriChannel | undefined> {
    return (await this.channels()).find((c) => c.caller.number === callerNumber);
  }

  /** Channel and bridge ids a Stasis app holds (what the service resyncs from after a restart). */
  application(name = 'hotline'): Promise<{ name: string; channel_ids: string[]; bridge_ids: string[] }> {
    return this.request('GET', `/applications/${encodeURIComponent(name)}`);
  }

  async leftovers(): Promise<{ channels: AriChannel[]; bridges: AriBridge[] }> {
    const [channels, bridges] = await Promise.all([this.channels(), this.bridges()]);
    return { channels, bridges: bridges.filter((b) => !isLongLivedBridge(b)) };
  }

  /** Resolves when no channel and no bridge (but the holding one) is left; rejects listing them. */
  async waitForNoLeftovers(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = await this.leftovers();
      if (left.channels.length === 0 && left.bridges.length === 0) return;
      if (Date.now() >= deadline) {
        const ch = left.channels.map((c) => `  channel ${c.name} (${c.id}) ${c.state} in ${c.dialplan.context},${c.dialplan.exten},${c.dialplan.priority} ${c.dialplan.app_name ?? ''}`);
        const br = left.bridges.map((b) => `  bridge ${b.id} ${b.name ?? ''} ${b.bridge_type}/${b.bridge_class} with [${b.channels.join(', ')}]`);
        throw new Error(`ARI leftovers after ${timeoutMs} ms:\n${[...ch, ...br].join('\n')}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Hangs up every channel and destroys every non-holding bridge: a failed test must not leak into the next. */
  async clear(): Promise<void> {
    const left = await this.leftovers();
    await Promise.allSettled([
      ...left.channels.map((c) => this.request('DELETE', `/channels/${encodeURIComponent(c.id)}`)),
      ...left.bridges.map((b) => this.request('DELETE', `/bridges/${encodeURIComponent(b.id)}`)),
    ]);
  }
}
