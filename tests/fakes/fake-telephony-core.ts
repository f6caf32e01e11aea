import { PbxOperationError } from '../../src/errors.ts';
import type {
  AppState, BridgeSnapshot, ChannelSnapshot, DialOutRequest, RingPhoneRequest, SnoopRequest, Sound, Telephony, TelephonyEvent, TelephonyListener,
} from '../../src/ports/telephony.ts';
import { FakePbxState, type FakeLeg } from './fake-pbx-state.ts';

export type TelephonyOp = Exclude<keyof Telephony, 'onEvent'>;
export interface CommandCall<K extends TelephonyOp = TelephonyOp> {
  op: K;
  args: Parameters<Telephony[K]>;
}
interface Failure {
  op: TelephonyOp;
  when: (args: unknown[]) => boolean;
  error: () => Error;
  times: number;
}

/**
 * An in-memory PBX behind the Telephony port. It records every command in `commands`, keeps
 * channels, bridges and playbacks, fails like the ARI adapter (unknown channel or bridge →
 * PbxNotFoundError where ARI answers 404; hangup, destroyBridge, stopPlayback, stopMoh and
 * removeFromBridge of something gone are no-ops) and sends the events Asterisk would send after our
 * own commands (hangup → channel-left + channel-destroyed, continueInDialplan → channel-left,
 * stopPlayback → playback-finished, snoop → channel-entered) a microtask later, as if from the
 * event stream. Everything else a test drives with `emit` (or the helpers of FakeTelephony).
 */
export class FakePbxTelephony implements Telephony {
  readonly commands: CommandCall[] = [];
  readonly pbx: FakePbxState;
  readonly events: TelephonyEvent[] = [];
  /** Send the events that follow our own commands (see above). */
  autoEvents = true;
  closed = false;
  private readonly listeners = new Set<TelephonyListener>();
  private failures: Failure[] = [];

  constructor(state?: FakePbxState) {
    this.pbx = state ?? new FakePbxState();
  }

  /** Makes `op` reject (once by default; `times: Infinity` for always), optionally only for some arguments. */
  failOn<K extends TelephonyOp>(op: K, opts: { when?: (...args: Parameters<Telephony[K]>) => boolean; error?: Error; times?: number } = {}): void {
    const when = opts.when as ((...a: unknown[]) => boolean) | undefined;
    this.failures.push({
      op, when: (args) => (when ? when(...args) : true), times: opts.times ?? 1,
      error: () => opts.error ?? new PbxOperationError(`fake ${op}`, 500, 'injected failure'),
    });
  }

  /** The arguments of every call of `op`, in order. */
  callsOf<K extends TelephonyOp>(op: K): Array<Parameters<Telephony[K]>> {
    return this.commands.filter((c): c is CommandCall<K> => c.op === op).map((c) => c.args);
  }

  /** Delivers an event to the service now, after applying it to the PBX state. */
  emit(event: TelephonyEvent): void {
    this.pbx.applyEvent(event);
    this.events.push(event);
    for (const l of [...this.listeners]) l(event);
  }

  // ---- the port --------------------------------------------------------------------------------

  onEvent(listener: TelephonyListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  answer(channelId: string) {
    return this.run('answer', [channelId], () => void (this.pbx.channel('answer', channelId).state = 'Up'));
  }
  hangup(channelId: string, reason?: 'normal' | 'busy' | 'congestion' | 'no_answer') {
    return this.run('hangup', [channelId, reason], () => {
      const c = this.pbx.channels.get(channelId);
      if (!c) return;
      const inApp = c.inApp;
      this.pbx.destroy(channelId);
      if (inApp) this.later({ type: 'channel-left', channelId });
      this.later({ type: 'channel-destroyed', channelId, cause: 16, causeText: 'Normal Clearing' });
    });
  }
  continueInDialplan(channelId: string, target?: { context: string; extension: string; priority: number }) {
    return this.run('continueInDialplan', [channelId, target], () => {
      const c = this.pbx.channel('continue', channelId);
      if (!c.inApp) throw new PbxOperationError('continue', 409, 'Channel not in Stasis application');
      this.pbx.leaveBridge(c);
      this.pbx.dropPlaybacksOn(channelId);
      c.inApp = false;
      c.dialplan = target ?? { context: 'default', extension: c.dialled, priority: 1 };
      this.later({ type: 'channel-left', channelId });
    });
  }
  play(target: { channelId: string } | { bridgeId: string }, sounds: Sound[], playbackId: string) {
    return this.run('play', [target, sounds, playbackId], () => {
      if ('channelId' in target) this.pbx.channel('play', target.channelId);
      else this.pbx.bridge('play', target.bridgeId);
      this.pbx.playbacks.set(playbackId, { id: playbackId, target, sounds: structuredClone(sounds) });
    });
  }
  stopPlayback(playbackId: string) {
    return this.run('stopPlayback', [playbackId], () => {
      if (!this.pbx.playbacks.delete(playbackId)) return;
      this.later({ type: 'playback-finished', playbackId, state: 'done' });
    });
  }
  startMoh(channelId: string, mohClass: string) {
    return this.run('startMoh', [channelId, mohClass], () => void (this.pbx.channel('moh', channelId).moh = mohClass));
  }
  stopMoh(channelId: string) {
    return this.run('stopMoh', [channelId], () => {
      const c = this.pbx.channels.get(channelId);
      if (c) c.moh = null;
    });
  }
  ring(channelId: string) {
    return this.run('ring', [channelId], () => void this.pbx.channel('ring', channelId));
  }
  createBridge(bridgeId: string, type: 'holding' | 'mixing', name: string) {
    return this.run('createBridge', [bridgeId, type, name], () => {
      const b = this.pbx.bridges.get(bridgeId);
      if (b) Object.assign(b, { type, name });
      else this.pbx.bridges.set(bridgeId, { id: bridgeId, type, name, channels: [], moh: null, recordings: [] });
    });
  }
  destroyBridge(bridgeId: string) {
    return this.run('destroyBridge', [bridgeId], () => {
      for (const id of this.pbx.bridges.get(bridgeId)?.channels ?? []) {
        const c = this.pbx.channels.get(id);
        if (c) c.bridgeId = null;
      }
      this.pbx.bridges.delete(bridgeId);
    });
  }
  addToBridge(bridgeId: string, channelIds: string[], role?: string) {
    return this.run('addToBridge', [bridgeId, channelIds, role], () => {
      const b = this.pbx.bridge('addChannel', bridgeId);
      const chans = channelIds.map((id) => this.pbx.bridgeChannel('addChannel', id));
      const outside = chans.find((c) => !c.inApp);
      if (outside) throw new PbxOperationError('addChannel', 422, `Channel not in Stasis application: ${outside.id}`);
      for (const c of chans) this.pbx.joinBridge(b, c);
    });
  }
  removeFromBridge(bridgeId: string, channelIds: string[]) {
    return this.run('removeFromBridge', [bridgeId, channelIds], () => {
      const b = this.pbx.bridges.get(bridgeId);
      if (!b) return;
      const chans = channelIds.map((id) => this.pbx.bridgeChannel('removeChannel', id));
      const elsewhere = chans.find((c) => c.bridgeId !== bridgeId);
      if (elsewhere) throw new PbxOperationError('removeChannel', 422, `Channel not in this bridge: ${elsewhere.id}`);
      for (const c of chans) this.pbx.leaveBridge(c);
    });
  }
  startBridgeMoh(bridgeId: string, mohClass: string) {
    return this.run('startBridgeMoh', [bridgeId, mohClass], () => void (this.pbx.bridge('moh', bridgeId).moh = mohClass));
  }
  ringPhone(request: RingPhoneRequest) {
    return this.run('ringPhone', [request], () => this.dial({ kind: 'phone', ...structuredClone(request) }, `PJSIP/${request.phone}`));
  }
  dialOut(request: DialOutRequest) {
    return this.run('dialOut', [request], () => this.dial({ kind: 'out', ...structuredClone(request) }, request.route));
  }
  /** Both ways of dialling make a ringing channel; its name is what Asterisk would give it. */
  private dial(leg: FakeLeg, endpoint: string): void {
    if (this.pbx.channels.has(leg.channelId)) throw new PbxOperationError('originate', 409, 'Channel with given unique ID already exists');
    this.pbx.newChannel({ id: leg.channelId, name: `${endpoint}-${leg.channelId}`, dialledAs: leg });
  }
  snoop(channelId: string, request: SnoopRequest) {
    return this.run('snoop', [channelId, request], () => {
      this.pbx.channel('snoop', channelId);
      const c = this.pbx.newChannel({ id: request.snoopId, name: `Snoop/${channelId}`, state: 'Up' });
      this.later({ type: 'channel-entered', channelId: c.id, channelName: c.name, args: request.appArgs, caller: c.caller, dialled: '', state: 'Up' });
    });
  }
  recordBridge(bridgeId: string, name: string) {
    return this.run('recordBridge', [bridgeId, name], () => void this.pbx.bridge('record', bridgeId).recordings.push(name));
  }
  setVariable(channelId: string, name: string, value: string) {
    return this.run('setVariable', [channelId, name, value], () => void (this.pbx.channel('variable', channelId).variables[name] = value));
  }
  getVariable(channelId: string, name: string) {
    return this.run('getVariable', [channelId, name], () => this.pbx.channels.get(channelId)?.variables[name] ?? null);
  }
  getChannel(channelId: string) {
    return this.run('getChannel', [channelId], (): ChannelSnapshot | null => {
      const c = this.pbx.channels.get(channelId);
      return c ? this.pbx.channelSnapshot(c) : null;
    });
  }
  listChannels() {
    return this.run('listChannels', [], () => [...this.pbx.channels.values()].map((c) => this.pbx.channelSnapshot(c)));
  }
  listBridges() {
    return this.run('listBridges', [], (): BridgeSnapshot[] => [...this.pbx.bridges.values()].map((b) => this.pbx.bridgeSnapshot(b)));
  }
  appState() {
    return this.run('appState', [], (): AppState => ({
      // As in Asterisk, a channel originated into the app is listed from its creation, ringing or not.
      channelIds: [...this.pbx.channels.values()].filter((c) => c.inApp || c.dialledAs !== null).map((c) => c.id), bridgeIds: [...this.pbx.bridges.keys()],
      pbxStartedAt: this.pbx.startedAt,
    }));
  }
  subscribeEndpoints(endpoints: string[]) {
    return this.run('subscribeEndpoints', [endpoints], () => undefined);
  }
  endpointStates(technology: string) {
    return this.run('endpointStates', [technology], () => structuredClone(this.pbx.endpoints));
  }
  ping() {
    return this.run('ping', [], () => !this.closed);
  }
  close() {
    return this.run('close', [], () => void (this.closed = true));
  }

  // ---- internals -------------------------------------------------------------------------------

  private async run<K extends TelephonyOp, R>(op: K, args: Parameters<Telephony[K]>, body: () => R): Promise<R> {
    this.commands.push({ op, args } as unknown as CommandCall);
    const f = this.failures.find((x) => x.op === op && x.times > 0 && x.when(args));
    if (f) {
      f.times -= 1;
      throw f.error();
    }
    return body();
  }

  private later(event: TelephonyEvent): void {
    if (this.autoEvents) queueMicrotask(() => this.emit(event));
  }
}
