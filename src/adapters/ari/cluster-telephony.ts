import type { Logger } from 'pino';
import { TelephonyListeners } from './telephony-listeners.ts';
import { isNotFound } from '../../errors.ts';
import { PbxUnavailableError } from '../../errors.ts';
import type {
  AppState, BridgeSnapshot, ChannelSnapshot, DialOutRequest, RingPhoneRequest, SnoopRequest, Sound, Telephony, TelephonyEvent, TelephonyListener,
} from '../../ports/telephony.ts';
import type { KamailioPresence } from '../kamailio/kamailio-presence.ts';

/** One Asterisk node's telephony: an AriTelephony with its own event stream. */
export interface NodeTelephony extends Telephony {
  start(): void;
  readonly connected: boolean;
}

interface BridgeSpec {
  type: 'holding' | 'mixing';
  name: string;
  moh: string | null;
  /** Nodes the bridge exists on. A bridge is made on a node when a channel of that node joins it. */
  nodes: Set<string>;
}

/** The start time of every node, `ast1=<time>;ast2=down`: a node's entry changes when it restarts or dies. */
export function combinedStart(entries: Array<[string, string | null]>): string {
  return entries.map(([id, t]) => `${id}=${t ?? 'down'}`).join(';');
}

/**
 * The Telephony port over several Asterisk nodes, for the services above it one PBX. Every command
 * goes to the node of the thing it names: a caller's channel id starts with its node's systemname
 * (`ast2-1733...`), the legs and bridges we create are remembered on the node they were made on,
 * and a leg we originate for a call goes to that call's node (the call id is the caller's channel id),
 * so no call is ever bridged across nodes. Bridges with one id on several nodes (the queue's holding
 * bridge) are made on each node when its first channel joins. Presence comes from Kamailio.
 *
 * A node that goes away is reported as the connection dropping and, while another node is up,
 * coming back at once: the call router's resync then finds that node's callers gone, and its start
 * time (`down` in `combinedStart`) tells it they were cut off by the fault, not hanging up.
 */
export class ClusterTelephony implements Telephony {
  private readonly up = new Set<string>();
  private readonly channelNode = new Map<string, string>();
  private readonly bridges = new Map<string, BridgeSpec>();
  private readonly playbackNodes = new Map<string, string[]>();
  /** Dial-backs (no caller channel yet): both legs of one go to the node the first was sent to. */
  private readonly dialNode = new Map<string, string>();
  private readonly making = new Map<string, Promise<void>>();
  private nextNode = 0;
  private readonly listeners: TelephonyListeners;

  constructor(
    private readonly nodes: Array<{ id: string; telephony: NodeTelephony }>,
    private readonly presence: KamailioPresence | null,
    private readonly log: Logger,
  ) {
    this.listeners = new TelephonyListeners(log);
    for (const { id, telephony } of nodes) {
      telephony.onEvent((e) => this.fromNode(id, e));
    }
  }

  start(): void {
    for (const n of this.nodes) n.telephony.start();
    this.presence?.start();
  }

  get connected(): boolean {
    return this.up.size > 0;
  }

  /** Ids of the nodes connected now. */
  nodesUp(): string[] {
    return this.nodes.map((n) => n.id).filter((id) => this.up.has(id));
  }

  private fromNode(node: string, e: TelephonyEvent): void {
    switch (e.type) {
      case 'connection':
        if (e.state === 'up') {
          this.up.add(node);
          this.log.info({ node }, 'Asterisk node connected');
          this.emit(e);
        } else {
          this.forgetNode(node);
          this.log.warn({ node, up: this.nodesUp() }, 'Asterisk node lost');
          this.emit(e);
          // The others carry on: "reconnected" makes the router resync, which closes the lost node's calls.
          if (this.up.size > 0) this.emit({ type: 'connection', state: 'up' });
        }
        return;
      case 'channel-entered':
        this.channelNode.set(e.channelId, node);
        break;
      case 'channel-destroyed':
        this.channelNode.delete(e.channelId);
        break;
      case 'playback-finished':
        this.playbackNodes.delete(e.playbackId);
        break;
      case 'endpoint-state':
        // Presence comes from the registrar; the nodes' own endpoints say nothing about phones.
        if (this.presence) return;
        break;
      default:
        break;
    }
    this.emit(e);
  }

  /** Presence from the registrar, reported as the nodes would report it. */
  emitPresence(event: TelephonyEvent): void {
    this.emit(event);
  }

  private forgetNode(node: string): void {
    this.up.delete(node);
    for (const [id, n] of this.channelNode) if (n === node) this.channelNode.delete(id);
    for (const b of this.bridges.values()) b.nodes.delete(node);
  }

  private emit(event: TelephonyEvent): void {
    this.listeners.emit(event);
  }

  onEvent(listener: TelephonyListener): () => void {
    return this.listeners.add(listener);
  }

  private node(id: string): NodeTelephony {
    const n = this.nodes.find((x) => x.id === id);
    if (!n) throw new Error(`no Asterisk node ${id}`);
    return n.telephony;
  }

  /** The node of a channel: remembered, else the systemname its id starts with. */
  private nodeOfChannel(channelId: string): string | undefined {
    const known = this.channelNode.get(channelId);
    if (known) return known;
    const prefix = channelId.split('-', 1)[0];
    return this.nodes.some((n) => n.id === prefix) ? prefix : undefined;
  }

  /** Runs `fn` on the channel's node; a channel of unknown node is looked for on every node up. */
  private async onChannel<T>(channelId: string, fn: (t: NodeTelephony) => Promise<T>): Promise<T> {
    const node = this.nodeOfChannel(channelId);
    if (node) return fn(this.node(node));
    let last: unknown = new PbxUnavailableError('no Asterisk node is connected');
    for (const id of this.nodesUp()) {
      try {
        const r = await fn(this.node(id));
        this.channelNode.set(channelId, id);
        return r;
      } catch (err) {
        last = err;
        if (!isNotFound(err)) throw err;
      }
    }
    throw last;
  }

  /** The node a leg for this call is dialled on: the caller's, or for a dial-back one chosen in turn. */
  private nodeForCall(key: string | undefined): string {
    const byCaller = key ? this.nodeOfChannel(key) : undefined;
    if (byCaller) return byCaller;
    const remembered = key ? this.dialNode.get(key) : undefined;
    if (remembered && this.up.has(remembered)) return remembered;
    const up = this.nodesUp();
    if (up.length === 0) throw new PbxUnavailableError('no Asterisk node is connected');
    const chosen = up[this.nextNode++ % up.length]!;
    if (key) {
      this.dialNode.set(key, chosen);
      // Both legs of a dial-back are placed within seconds; the choice need not outlive that.
      setTimeout(() => this.dialNode.delete(key), 120_000).unref();
    }
    return chosen;
  }

  private async ensureBridge(bridgeId: string, node: string): Promise<void> {
    const b = this.bridges.get(bridgeId);
    if (!b || b.nodes.has(node)) return;
    const key = `${bridgeId}@${node}`;
    let p = this.making.get(key);
    if (!p) {
      p = (async () => {
        const t = this.node(node);
        await t.createBridge(bridgeId, b.type, b.name);
        if (b.moh) await t.startBridgeMoh(bridgeId, b.moh);
        b.nodes.add(node);
      })().finally(() => this.making.delete(key));
      this.making.set(key, p);
    }
    await p;
  }

  /** Nodes a bridge is on; one we know nothing of (made before a restart) is asked of every node up. */
  private bridgeNodes(bridgeId: string): string[] {
    const b = this.bridges.get(bridgeId);
    return b ? [...b.nodes] : this.nodesUp();
  }

  private async onBridge(bridgeId: string, fn: (t: NodeTelephony) => Promise<void>, tolerateGone: boolean): Promise<void> {
    for (const id of this.bridgeNodes(bridgeId)) {
      try {
        await fn(this.node(id));
      } catch (err) {
        if (!(tolerateGone && isNotFound(err))) throw err;
      }
    }
  }

  answer(channelId: string): Promise<void> {
    return this.onChannel(channelId, (t) => t.answer(channelId));
  }
  hangup(channelId: string, reason?: 'normal' | 'busy' | 'congestion' | 'no_answer'): Promise<void> {
    const node = this.nodeOfChannel(channelId);
    // Hanging up is idempotent per node (gone is fine), so an unknown channel is hung up wherever it is.
    if (node) return this.node(node).hangup(channelId, reason);
    return Promise.all(this.nodesUp().map((id) => this.node(id).hangup(channelId, reason))).then(() => undefined);
  }
  continueInDialplan(channelId: string, target?: { context: string; extension: string; priority: number }): Promise<void> {
    return this.onChannel(channelId, (t) => t.continueInDialplan(channelId, target));
  }
  async play(target: { channelId: string } | { bridgeId: string }, sounds: Sound[], playbackId: string): Promise<void> {
    if ('channelId' in target) {
      await this.onChannel(target.channelId, (t) => t.play(target, sounds, playbackId));
      this.playbackNodes.set(playbackId, [this.nodeOfChannel(target.channelId)!].filter(Boolean));
      return;
    }
    const nodes = this.bridgeNodes(target.bridgeId);
    this.playbackNodes.set(playbackId, nodes);
    for (const id of nodes) await this.node(id).play(target, sounds, playbackId);
  }
  async stopPlayback(playbackId: string): Promise<void> {
    const nodes = this.playbackNodes.get(playbackId) ?? this.nodesUp();
    this.playbackNodes.delete(playbackId);
    await Promise.all(nodes.filter((id) => this.up.has(id)).map((id) => this.node(id).stopPlayback(playbackId)));
  }
  startMoh(channelId: string, mohClass: string): Promise<void> {
    return this.onChannel(channelId, (t) => t.startMoh(channelId, mohClass));
  }
  stopMoh(channelId: string): Promise<void> {
    return this.onChannel(channelId, (t) => t.stopMoh(channelId));
  }
  ring(channelId: string): Promise<void> {
    return this.onChannel(channelId, (t) => t.ring(channelId));
  }
  async createBridge(bridgeId: string, type: 'holding' | 'mixing', name: string): Promise<void> {
    // Made on a node when the first channel of that node joins (addToBridge).
    const b = this.bridges.get(bridgeId);
    if (b) Object.assign(b, { type, name });
    else this.bridges.set(bridgeId, { type, name, moh: null, nodes: new Set() });
  }
  async destroyBridge(bridgeId: string): Promise<void> {
    await this.onBridge(bridgeId, (t) => t.destroyBridge(bridgeId), true);
    this.bridges.delete(bridgeId);
  }
  async addToBridge(bridgeId: string, channelIds: string[], role?: string): Promise<void> {
    const node = channelIds.map((c) => this.nodeOfChannel(c)).find(Boolean);
    if (!node) {
      await this.onBridge(bridgeId, (t) => t.addToBridge(bridgeId, channelIds, role), false);
      return;
    }
    await this.ensureBridge(bridgeId, node);
    await this.node(node).addToBridge(bridgeId, channelIds, role);
  }
  async removeFromBridge(bridgeId: string, channelIds: string[]): Promise<void> {
    const node = channelIds.map((c) => this.nodeOfChannel(c)).find(Boolean);
    if (node) await this.node(node).removeFromBridge(bridgeId, channelIds);
    else await this.onBridge(bridgeId, (t) => t.removeFromBridge(bridgeId, channelIds), true);
  }
  async startBridgeMoh(bridgeId: string, mohClass: string): Promise<void> {
    const b = this.bridges.get(bridgeId);
    if (b) b.moh = mohClass;
    await this.onBridge(bridgeId, (t) => t.startBridgeMoh(bridgeId, mohClass), false);
  }
  async ringPhone(r: RingPhoneRequest): Promise<void> {
    const node = this.nodeForCall(r.appArgs[1]);
    this.channelNode.set(r.channelId, node);
    await this.node(node).ringPhone(r);
  }
  async dialOut(r: DialOutRequest): Promise<void> {
    const node = this.nodeForCall(r.appArgs[1]);
    this.channelNode.set(r.channelId, node);
    await this.node(node).dialOut(r);
  }
  async snoop(channelId: string, r: SnoopRequest): Promise<void> {
    await this.onChannel(channelId, (t) => t.snoop(channelId, r));
    const node = this.nodeOfChannel(channelId);
    if (node) this.channelNode.set(r.snoopId, node);
  }
  recordBridge(bridgeId: string, name: string): Promise<void> {
    return this.onBridge(bridgeId, (t) => t.recordBridge(bridgeId, name), false);
  }
  setVariable(channelId: string, name: string, value: string): Promise<void> {
    return this.onChannel(channelId, (t) => t.setVariable(channelId, name, value));
  }
  async getVariable(channelId: string, name: string): Promise<string | null> {
    const node = this.nodeOfChannel(channelId);
    if (node) return this.node(node).getVariable(channelId, name);
    for (const id of this.nodesUp()) {
      const v = await this.node(id).getVariable(channelId, name);
      if (v !== null) return v;
    }
    return null;
  }
  async getChannel(channelId: string): Promise<ChannelSnapshot | null> {
    const node = this.nodeOfChannel(channelId);
    if (node) return this.node(node).getChannel(channelId);
    for (const id of this.nodesUp()) {
      const c = await this.node(id).getChannel(channelId);
      if (c) {
        this.channelNode.set(channelId, id);
        return c;
      }
    }
    return null;
  }
  async listChannels(): Promise<ChannelSnapshot[]> {
    const lists = await Promise.all(this.nodesUp().map(async (id) => {
      const list = await this.node(id).listChannels();
      for (const c of list) this.channelNode.set(c.id, id);
      return list;
    }));
    return lists.flat();
  }
  async listBridges(): Promise<BridgeSnapshot[]> {
    const merged = new Map<string, BridgeSnapshot>();
    for (const id of this.nodesUp()) {
      for (const b of await this.node(id).listBridges()) {
        this.learnBridge(b.id, id, b.type === 'holding' ? 'holding' : 'mixing', b.name);
        const seen = merged.get(b.id);
        if (seen) seen.channels = [...seen.channels, ...b.channels];
        else merged.set(b.id, { ...b, channels: [...b.channels] });
      }
    }
    return [...merged.values()];
  }
  private learnBridge(bridgeId: string, node: string, type: 'holding' | 'mixing', name: string): void {
    const b = this.bridges.get(bridgeId);
    if (b) b.nodes.add(node);
    else this.bridges.set(bridgeId, { type, name, moh: null, nodes: new Set([node]) });
  }
  /**
   * Every node's app state together, asked over REST even of a node whose event stream is not up
   * yet (just taken over, still connecting): only a node that does not answer counts as down, and
   * only its calls are taken for cut off.
   */
  async appState(): Promise<AppState> {
    const states = await Promise.all(this.nodes.map(async ({ id, telephony }) => {
      try {
        return { id, state: await telephony.appState() };
      } catch (err) {
        this.log.warn({ node: id, err: (err as Error).message }, 'node state not read; its calls count as gone');
        return { id, state: null };
      }
    }));
    const channelIds: string[] = [];
    const bridgeIds: string[] = [];
    for (const { id, state } of states) {
      if (!state) continue;
      for (const c of state.channelIds) this.channelNode.set(c, id);
      for (const b of state.bridgeIds) {
        const known = this.bridges.get(b);
        if (known) known.nodes.add(id);
      }
      channelIds.push(...state.channelIds);
      bridgeIds.push(...new Set(state.bridgeIds));
    }
    return { channelIds, bridgeIds: [...new Set(bridgeIds)], pbxStartedAt: combinedStart(states.map((s) => [s.id, s.state?.pbxStartedAt ?? null])) };
  }
  async subscribeEndpoints(endpoints: string[]): Promise<void> {
    if (this.presence) {
      this.presence.subscribe(endpoints);
      return;
    }
    await Promise.all(this.nodesUp().map((id) => this.node(id).subscribeEndpoints(endpoints)));
  }
  async endpointStates(technology: string): Promise<Array<{ resource: string; state: string }>> {
    if (this.presence) return this.presence.states();
    const first = this.nodesUp()[0];
    return first ? this.node(first).endpointStates(technology) : [];
  }
  async ping(): Promise<boolean> {
    const answers = await Promise.all(this.nodesUp().map((id) => this.node(id).ping()));
    return answers.some(Boolean);
  }
  async close(): Promise<void> {
    this.presence?.stop();
    await Promise.all(this.nodes.map((n) => n.telephony.close()));
  }
}
