import { PbxNotFoundError, PbxOperationError } from '../../src/errors.ts';
import type {
  BridgeSnapshot, ChannelSnapshot, DialOutRequest, RingPhoneRequest, Sound, TelephonyEvent,
} from '../../src/ports/telephony.ts';

/** What the fake PBX knows about a channel: what ARI would show of it, and more. */
export interface FakeChannel extends ChannelSnapshot {
  /** In our Stasis app (between channel-entered and channel-left). */
  inApp: boolean;
  /** Stasis arguments it entered with. */
  args: string[];
  bridgeId: string | null;
  moh: string | null;
  variables: Record<string, string>;
  /** Set for channels we dialled (a staff phone rung, or a trunk dialled out). */
  dialledAs: FakeLeg | null;
  /** Where continueInDialplan sent it. */
  dialplan: { context: string; extension: string; priority: number } | null;
}

export interface FakeBridge {
  id: string;
  type: 'holding' | 'mixing';
  name: string;
  channels: string[];
  moh: string | null;
  recordings: string[];
}

export interface FakePlayback {
  id: string;
  target: { channelId: string } | { bridgeId: string };
  sounds: Sound[];
}

/** A leg the service dialled, as it asked for it: which port command, with its request. */
export type FakeLeg = ({ kind: 'phone' } & RingPhoneRequest) | ({ kind: 'out' } & DialOutRequest);

/**
 * The fake PBX's state: channels, bridges and playbacks, with the lookups that fail the way ARI
 * fails (404 → PbxNotFoundError; 400/409/422 → PbxOperationError).
 */
export class FakePbxState {
  readonly channels = new Map<string, FakeChannel>();
  readonly bridges = new Map<string, FakeBridge>();
  readonly playbacks = new Map<string, FakePlayback>();
  endpoints: Array<{ resource: string; state: string }> = [];
  startedAt = '2026-12-01T00:00:00.000Z';

  channel(op: string, id: string): FakeChannel {
    const c = this.channels.get(id);
    if (!c) throw new PbxNotFoundError(`${op} channel ${id}`);
    return c;
  }

  bridge(op: string, id: string): FakeBridge {
    const b = this.bridges.get(id);
    if (!b) throw new PbxNotFoundError(`${op} bridge ${id}`);
    return b;
  }

  /** A channel that must exist for a bridge operation: ARI answers 400, not 404, for a missing one. */
  bridgeChannel(op: string, id: string): FakeChannel {
    const c = this.channels.get(id);
    if (!c) throw new PbxOperationError(op, 400, `Channel not found: ${id}`);
    return c;
  }

  newChannel(init: Partial<FakeChannel> & { id: string }): FakeChannel {
    const c: FakeChannel = {
      name: `PJSIP/fake-${init.id}`, state: 'Down', caller: { number: '', name: '' }, dialled: '', creationTime: new Date().toISOString(),
      inApp: false, args: [], bridgeId: null, moh: null, variables: {}, dialledAs: null, dialplan: null, ...init,
    };
    this.channels.set(c.id, c);
    return c;
  }

  leaveBridge(c: FakeChannel): void {
    if (!c.bridgeId) return;
    const b = this.bridges.get(c.bridgeId);
    if (b) b.channels = b.channels.filter((x) => x !== c.id);
    c.bridgeId = null;
  }

  joinBridge(b: FakeBridge, c: FakeChannel): void {
    this.leaveBridge(c);
    b.channels.push(c.id);
    c.bridgeId = b.id;
  }

  /** Playbacks on a channel end with it (silently: tests decide which events they want). */
  dropPlaybacksOn(channelId: string): void {
    for (const [id, p] of this.playbacks) if ('channelId' in p.target && p.target.channelId === channelId) this.playbacks.delete(id);
  }

  /** Gone from the PBX: out of its bridge, its playbacks ended. */
  destroy(id: string): void {
    const c = this.channels.get(id);
    if (!c) return;
    this.leaveBridge(c);
    this.dropPlaybacksOn(id);
    this.channels.delete(id);
  }

  channelSnapshot(c: FakeChannel): ChannelSnapshot {
    return { id: c.id, name: c.name, state: c.state, caller: { ...c.caller }, dialled: c.dialled, creationTime: c.creationTime };
  }

  bridgeSnapshot(b: FakeBridge): BridgeSnapshot {
    return { id: b.id, type: b.type, channels: [...b.channels], name: b.name };
  }

  /** What an event tells about the PBX (a channel entered, left, ended; a playback finished...). */
  applyEvent(e: TelephonyEvent): void {
    const c = 'channelId' in e ? this.channels.get(e.channelId) : undefined;
    switch (e.type) {
      case 'channel-entered': {
        const ch = c ?? this.newChannel({ id: e.channelId, name: e.channelName, caller: e.caller, dialled: e.dialled });
        Object.assign(ch, { inApp: true, args: [...e.args], state: e.state, dialplan: null });
        return;
      }
      case 'channel-left':
        if (c) {
          this.leaveBridge(c);
          c.inApp = false;
        }
        return;
      case 'channel-destroyed':
        this.destroy(e.channelId);
        return;
      case 'channel-state':
        if (c) c.state = e.state;
        return;
      case 'playback-finished':
        this.playbacks.delete(e.playbackId);
        return;
      case 'endpoint-state':
        this.endpoints = [...this.endpoints.filter((x) => x.resource !== e.resource), { resource: e.resource, state: e.state }];
        return;
      default:
        return;
    }
  }

  /** A deep copy, e.g. for a FakeTelephony that stands for the same PBX after our service restarted. */
  copy(): FakePbxState {
    const s = new FakePbxState();
    for (const c of this.channels.values()) s.channels.set(c.id, structuredClone(c));
    for (const b of this.bridges.values()) s.bridges.set(b.id, structuredClone(b));
    for (const p of this.playbacks.values()) s.playbacks.set(p.id, structuredClone(p));
    s.endpoints = structuredClone(this.endpoints);
    s.startedAt = this.startedAt;
    return s;
  }

  /** The PBX restarted: every channel, bridge and playback is gone, registrations too. */
  restart(at: string): void {
    this.channels.clear();
    this.bridges.clear();
    this.playbacks.clear();
    this.endpoints = this.endpoints.map((e) => ({ ...e, state: 'offline' }));
    this.startedAt = at;
  }
}
