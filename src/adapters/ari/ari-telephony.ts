import type { Logger } from 'pino';
import { TelephonyListeners } from './telephony-listeners.ts';
import { isNotFound, PbxOperationError } from '../../errors.ts';
import type {
  AppState, BridgeSnapshot, ChannelSnapshot, DialOutRequest, RingPhoneRequest, SnoopRequest, Sound, Telephony, TelephonyEvent, TelephonyListener,
} from '../../ports/telephony.ts';
import { dialOutOriginate, mediaUri, ringPhoneOriginate, type AriOriginate } from './ari-dialling.ts';
import { AriEventStream } from './ari-events.ts';
import { mapAriEvent, USED_ARI_EVENTS } from './ari-event-mapper.ts';
import { AriRest, type AriConnection } from './ari-rest.ts';

interface AriChannelJson {
  id: string; name: string; state: string; creationtime: string;
  caller: { number: string; name: string }; dialplan: { exten: string };
}

const toChannel = (c: AriChannelJson): ChannelSnapshot => ({
  id: c.id, name: c.name, state: c.state, caller: { number: c.caller?.number ?? '', name: c.caller?.name ?? '' },
  dialled: c.dialplan?.exten ?? '', creationTime: c.creationtime,
});

/** ARI's 422 "Channel not in this bridge" to a removeChannel. */
function notInBridge(err: unknown): boolean {
  return err instanceof PbxOperationError && err.details?.status === 422 && /not in this bridge/i.test(err.message);
}

/** Swallows "not found": the thing we wanted gone is gone already. */
async function ignoreGone(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** The Telephony port over Asterisk ARI. Thin: no decisions here. */
export class AriTelephony implements Telephony {
  private readonly rest: AriRest;
  private readonly events: AriEventStream;
  private readonly listeners: TelephonyListeners;

  /** `phonesVia`: in a cluster, the SIP edge endpoint counsellors' phones are rung through. */
  constructor(conn: AriConnection, private readonly app: string, private readonly log: Logger, private readonly phonesVia?: string) {
    this.listeners = new TelephonyListeners(log);
    this.rest = new AriRest(conn);
    this.events = new AriEventStream(conn, app, log);
    this.events.on('event', (raw) => {
      const event = mapAriEvent(raw);
      if (event) this.emit(event);
    });
    this.events.on('up', () => {
      void this.limitEvents();
      this.emit({ type: 'connection', state: 'up' });
    });
    this.events.on('down', () => this.emit({ type: 'connection', state: 'down' }));
  }

  start(): void {
    this.events.start();
  }

  /** Asks Asterisk to send only the event types we use; without it we still get them all. */
  private async limitEvents(): Promise<void> {
    try {
      await this.rest.call('PUT', `/applications/${this.app}/eventFilter`, {}, { allowed: USED_ARI_EVENTS.map((type) => ({ type })) });
    } catch (err) {
      this.log.warn({ err }, 'ARI event filter not set; every event type is delivered');
    }
  }

  get connected(): boolean {
    return this.events.connected;
  }

  private emit(event: TelephonyEvent): void {
    this.listeners.emit(event);
  }

  onEvent(listener: TelephonyListener): () => void {
    return this.listeners.add(listener);
  }

  async answer(channelId: string): Promise<void> {
    await this.rest.call('POST', `/channels/${channelId}/answer`);
  }
  async hangup(channelId: string, reason = 'normal'): Promise<void> {
    await ignoreGone(this.rest.call('DELETE', `/channels/${channelId}`, { reason }));
  }
  async continueInDialplan(channelId: string, target?: { context: string; extension: string; priority: number }): Promise<void> {
    await this.rest.call('POST', `/channels/${channelId}/continue`, target ? { ...target } : {});
  }
  async play(target: { channelId: string } | { bridgeId: string }, sounds: Sound[], playbackId: string): Promise<void> {
    const path = 'channelId' in target ? `/channels/${target.channelId}` : `/bridges/${target.bridgeId}`;
    await this.rest.call('POST', `${path}/play/${playbackId}`, { media: sounds.map(mediaUri).join(',') });
  }
  async stopPlayback(playbackId: string): Promise<void> {
    await ignoreGone(this.rest.call('DELETE', `/playbacks/${playbackId}`));
  }
  async startMoh(channelId: string, mohClass: string): Promise<void> {
    await this.rest.call('POST', `/channels/${channelId}/moh`, { mohClass });
  }
  async stopMoh(channelId: string): Promise<void> {
    await ignoreGone(this.rest.call('DELETE', `/channels/${channelId}/moh`));
  }
  async ring(channelId: string): Promise<void> {
    await this.rest.call('POST', `/channels/${channelId}/ring`);
  }
  async createBridge(bridgeId: string, type: 'holding' | 'mixing', name: string): Promise<void> {
    // dtmf_events keeps a mixing bridge's media inside Asterisk (no native RTP bridge between two
    // plain-RTP legs), so that keys pressed on a leg still reach the app: the counsellor's '*'.
    await this.rest.call('POST', `/bridges/${bridgeId}`, { type: type === 'mixing' ? 'mixing,dtmf_events' : type, name });
  }
  async destroyBridge(bridgeId: string): Promise<void> {
    await ignoreGone(this.rest.call('DELETE', `/bridges/${bridgeId}`));
  }
  async addToBridge(bridgeId: string, channelIds: string[], role?: string): Promise<void> {
    await this.rest.call('POST', `/bridges/${bridgeId}/addChannel`, { channel: channelIds.join(','), role });
  }
  async removeFromBridge(bridgeId: string, channelIds: string[]): Promise<void> {
    try {
      await this.rest.call('POST', `/bridges/${bridgeId}/removeChannel`, { channel: channelIds.join(',') });
    } catch (err) {
      // Gone, or not in that bridge (a caller still hearing a prompt before joining it): out of it already.
      if (!isNotFound(err) && !notInBridge(err)) throw err;
    }
  }
  async startBridgeMoh(bridgeId: string, mohClass: string): Promise<void> {
    await this.rest.call('POST', `/bridges/${bridgeId}/moh`, { mohClass });
  }
  async ringPhone(r: RingPhoneRequest): Promise<void> {
    await this.originate(ringPhoneOriginate(r, this.phonesVia));
  }
  async dialOut(r: DialOutRequest): Promise<void> {
    await this.originate(dialOutOriginate(r));
  }
  private async originate(r: AriOriginate): Promise<void> {
    await this.rest.call(
      'POST',
      `/channels/${r.channelId}`,
      { endpoint: r.endpoint, app: this.app, appArgs: r.appArgs.join(','), callerId: r.callerId, timeout: r.timeoutSec },
      { variables: r.variables },
    );
  }
  async snoop(channelId: string, r: SnoopRequest): Promise<void> {
    await this.rest.call('POST', `/channels/${channelId}/snoop/${r.snoopId}`, {
      spy: r.spy, whisper: r.whisper, app: this.app, appArgs: r.appArgs.join(','),
    });
  }
  async recordBridge(bridgeId: string, name: string): Promise<void> {
    await this.rest.call('POST', `/bridges/${bridgeId}/record`, { name, format: 'wav', ifExists: 'overwrite' });
  }
  async setVariable(channelId: string, variable: string, value: string): Promise<void> {
    await this.rest.call('POST', `/channels/${channelId}/variable`, { variable, value });
  }
  async getVariable(channelId: string, variable: string): Promise<string | null> {
    try {
      const r = await this.rest.call<{ value: string }>('GET', `/channels/${channelId}/variable`, { variable });
      return r.value ?? null;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }
  async getChannel(channelId: string): Promise<ChannelSnapshot | null> {
    try {
      return toChannel(await this.rest.call<AriChannelJson>('GET', `/channels/${channelId}`));
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }
  async listChannels(): Promise<ChannelSnapshot[]> {
    return (await this.rest.call<AriChannelJson[]>('GET', '/channels')).map(toChannel);
  }
  async listBridges(): Promise<BridgeSnapshot[]> {
    const list = await this.rest.call<Array<{ id: string; bridge_type: string; channels: string[]; name: string }>>('GET', '/bridges');
    return list.map((b) => ({ id: b.id, type: b.bridge_type, channels: b.channels, name: b.name }));
  }
  async appState(): Promise<AppState> {
    const app = await this.rest.call<{ channel_ids: string[]; bridge_ids: string[] }>('GET', `/applications/${this.app}`);
    const info = await this.rest.call<{ status?: { startup_time?: string } }>('GET', '/asterisk/info?only=status').catch(() => null);
    return { channelIds: app.channel_ids, bridgeIds: app.bridge_ids, pbxStartedAt: info?.status?.startup_time ?? null };
  }
  async subscribeEndpoints(endpoints: string[]): Promise<void> {
    if (endpoints.length === 0) return;
    const path = `/applications/${this.app}/subscription`;
    try {
      await this.rest.call('POST', path, { eventSource: endpoints.map((e) => `endpoint:${e}`).join(',') });
    } catch (err) {
      // One endpoint the PBX does not know yet (config not re-rendered) fails the whole batch:
      // subscribe the others one by one.
      this.log.warn({ err }, 'endpoint subscription failed as a batch; subscribing one by one');
      for (const e of endpoints) {
        await this.rest.call('POST', path, { eventSource: `endpoint:${e}` }).catch((one: unknown) => this.log.warn({ err: one, endpoint: e }, 'endpoint not subscribed'));
      }
    }
  }
  async endpointStates(technology: string): Promise<Array<{ resource: string; state: string }>> {
    return this.rest.call('GET', `/endpoints/${technology}`);
  }
  async ping(): Promise<boolean> {
    try {
      await this.rest.call('GET', '/asterisk/ping');
      return true;
    } catch {
      return false;
    }
  }
  async close(): Promise<void> {
    await this.events.stop();
  }
}
