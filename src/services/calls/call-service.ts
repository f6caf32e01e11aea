import type { Logger } from 'pino';
import type { CallEvent } from '../../domain/calls/call-machine.ts';
import { findCallerArea, localHotlineNumber, type AreaTable } from '../../domain/routing/caller-area.ts';
import type { CallRecords } from '../../ports/call-records.ts';
import type { Clock } from '../../ports/clock.ts';
import type { ChannelLink, LiveCall, LiveCalls } from '../../ports/live-calls.ts';
import type { Telephony, TelephonyEvent } from '../../ports/telephony.ts';
import { PbxUnavailableError } from '../../errors.ts';
import type { CallHandle } from './call-handle.ts';
import { CallEventBus } from './call-events.ts';
import { CallTransitions, type LiveCallFields } from './call-transitions.ts';
import { DialplanHandOvers } from './dialplan-hand-overs.ts';
import { PbxLifecycle } from './pbx-lifecycle.ts';
import type { IvrService } from './ivr-service.ts';
import { isOriginatedLeg } from './leg-ids.ts';
import type { PlaybackOwners } from './playback-owners.ts';
import { SerialExecutor } from './serial-executor.ts';

/** What a feature (queue, escalation, monitoring) does with the events of its calls and legs. */
export interface CallFeature {
  /** Caller events while the call is in a phase this feature owns; true when handled. */
  onCallerEvent?(call: LiveCall, event: TelephonyEvent, log: Logger): Promise<boolean>;
  /** The PBX restarted under this call: the caller was cut off by the fault, not by choice (before onCallerGone). */
  onCallerCutOff?(call: LiveCall, log: Logger): Promise<void>;
  /** The caller's channel left Stasis: release whatever the feature holds for this call. */
  onCallerGone?(call: LiveCall, log: Logger): Promise<void>;
  /** Events of a non-caller channel linked to one of our calls with one of `roles`. */
  roles?: ReadonlyArray<ChannelLink['role']>;
  onLegEvent?(link: ChannelLink, event: TelephonyEvent, log: Logger): Promise<void>;
  /** A channel with args [role, ...] entered Stasis (answered originate, snoop). */
  onLegEntered?(args: string[], channelId: string, log: Logger): Promise<void>;
  /** Events about the PBX rather than a call (endpoint presence). */
  onPbxEvent?(event: TelephonyEvent, log: Logger): Promise<void>;
  /** After a reconnect: pick up this feature's calls and legs again. */
  resync?(calls: LiveCall[], channelIds: Set<string>, log: Logger): Promise<void>;
}

export interface CallServiceDeps {
  telephony: Telephony;
  clock: Clock;
  calls: LiveCalls;
  records: CallRecords;
  playbacks: PlaybackOwners;
  log: Logger;
  /** How a caller's area and local team are found; without it, a caller's team is their line's. */
  areas?: AreaTable;
}

const ENDED_OUTCOME: Record<LiveCall['phase'], 'ivr-hangup' | 'abandoned' | 'completed'> = {
  ivr: 'ivr-hangup', queued: 'abandoned', offered: 'abandoned', connected: 'completed', escalating: 'completed', transferring: 'completed', ending: 'completed', survey: 'completed',
};

/**
 * The Stasis handler: reads each PBX event, finds the call it belongs to and passes it on
 * through that call's serial executor. It decides nothing about routing; when handling a
 * caller's event fails, the caller is handed to the dialplan fallback rather than dropped.
 */
export class CallService implements CallHandle {
  private readonly live = new Map<string, LiveCall>();
  private readonly logs = new Map<string, Logger>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly serial: SerialExecutor;
  private readonly phases = new CallTransitions((callId) => this.logFor(callId));
  /** Calls being handed to the dialplan: the phase they were in, and the attempt (see `onCallerGone`). */
  private readonly handOvers: DialplanHandOvers;
  private features: readonly CallFeature[] = [];
  /** Roles of non-caller channels (the first Stasis argument): those the features declare. */
  private legRoles: ReadonlySet<string> = new Set();
  readonly events = new CallEventBus();
  private ivr!: IvrService;
  /** Connection state and start time of the PBX, and who left just before it dropped. */
  private readonly pbx: PbxLifecycle;
  /** Calls whose step failed because the PBX went away: the resync after reconnecting resumes them. */
  private readonly interrupted = new Set<string>();
  /**
   * Callers whose entry is queued but not yet handled: their next events (a StasisEnd right behind
   * the StasisStart, the caller having hung up at once) queue behind the entry on the call's
   * executor, instead of finding no call and being dropped.
   */
  private readonly entering = new Set<string>();
  /** While a resync runs: channels that entered meanwhile (they are in Stasis, whatever the snapshot says). */
  private enteredDuringResync: Set<string> | null = null;

  constructor(private readonly d: CallServiceDeps) {
    this.serial = new SerialExecutor((key, err) => void this.onTaskFailed(key, err));
    this.pbx = new PbxLifecycle(() => d.clock.now().getTime());
    this.handOvers = new DialplanHandOvers({
      telephony: d.telephony,
      isLive: (call) => this.live.get(call.callId) === call,
      // On the call's executor, and cancelled with the call (onCallerGone → cancelSchedule).
      retryLater: (call, ms, retry) => void this.timers.set(call.callId, setTimeout(() => void this.serial.run(call.callId, retry), ms)),
    });
  }

  /** The IVR, and the features in the order they hear of each event (see wiring/call-services.ts). */
  use(ivr: IvrService, features: readonly CallFeature[]): void {
    this.ivr = ivr;
    this.features = features;
    this.legRoles = new Set(features.flatMap((f) => f.roles ?? []));
  }

  start(): () => void {
    return this.d.telephony.onEvent((e) => this.onEvent(e));
  }

  /** Calls this process is handling now. */
  liveCalls(): LiveCall[] {
    return [...this.live.values()];
  }

  getCall(callId: string): LiveCall | undefined {
    return this.live.get(callId);
  }

  logFor(callId: string): Logger {
    let log = this.logs.get(callId);
    if (!log) {
      log = this.d.log.child({ callId });
      this.logs.set(callId, log);
    }
    return log;
  }

  /**
   * Moves the call on by a named event of the call machine (`domain/calls/call-machine.ts`): the
   * only way a call's phase changes. False, logged as an error, when the machine refuses it; the
   * call is then left as it was. Persisting stays with the caller, who saves the call with the
   * other fields it changes.
   */
  transition(call: LiveCall, event: CallEvent): boolean {
    return this.phases.apply(call, event);
  }

  hasEnded(call: LiveCall): boolean {
    return this.phases.stateOf(call) === 'ended';
  }

  /**
   * A call that begins connected (a callback dialled out, once the caller answered): from now on
   * its events, hang-ups, escalation and monitoring are handled as for any connected call.
   */
  async adoptConnected(fields: LiveCallFields): Promise<LiveCall> {
    const call = this.phases.create(fields, 'adopted-connected');
    this.live.set(call.callId, call);
    await this.d.calls.save(call);
    return call;
  }

  /**
   * Runs work on a call through its serial executor (features use this for their own timers);
   * from inside the call's own turn it runs at once, as part of that turn (serial-executor.ts).
   */
  runOnCall(callId: string, task: () => Promise<void>): Promise<void> {
    return this.serial.run(callId, task);
  }

  schedule(callId: string, ms: number): void {
    this.cancelSchedule(callId);
    const t = setTimeout(() => {
      this.timers.delete(callId);
      void this.serial.run(callId, async () => {
        const call = this.live.get(callId);
        if (call) await this.ivr.onEvent(call, { type: 'timeout' }, this.logFor(callId));
      });
    }, ms);
    this.timers.set(callId, t);
  }

  cancelSchedule(callId: string): void {
    const t = this.timers.get(callId);
    if (t) clearTimeout(t);
    this.timers.delete(callId);
  }

  private onEvent(e: TelephonyEvent): void {
    switch (e.type) {
      case 'channel-entered': {
        this.enteredDuringResync?.add(e.channelId);
        const role = e.args[0] ?? '';
        if (this.legRoles.has(role)) {
          void this.serial.run(e.channelId, async () => {
            for (const f of this.features) await f.onLegEntered?.(e.args, e.channelId, this.d.log.child({ channelId: e.channelId, role }));
          });
        } else {
          this.entering.add(e.channelId);
          void this.serial.run(e.channelId, () => this.onCallerEntered(e).finally(() => this.entering.delete(e.channelId)));
        }
        return;
      }
      case 'playback-finished': {
        // Playbacks belong to a caller's call or to a leg (announcement to the police, a note to
        // the counsellor); the owner key is the call id or the leg's channel id.
        const owner = this.d.playbacks.finish(e.playbackId);
        if (owner?.current) this.toChannel(owner.callId, e);
        return;
      }
      case 'connection':
        if (e.state === 'up') {
          this.pbx.connectionUp();
          void this.serial.run('__resync__', () => this.resync());
        } else {
          this.pbx.connectionDown();
          this.d.log.warn('PBX connection lost; calls stay in Stasis until it returns');
        }
        return;
      case 'endpoint-state':
        void this.serial.run('__pbx__', async () => {
          for (const f of this.features) await f.onPbxEvent?.(e, this.d.log);
        });
        return;
      default:
        this.toChannel(e.channelId, e);
    }
  }

  private toChannel(channelId: string, e: TelephonyEvent): void {
    if (this.live.has(channelId) || this.entering.has(channelId)) return this.toCall(channelId, e);
    void this.serial.run(channelId, async () => {
      const link = await this.d.calls.linkOf(channelId);
      if (!link) return;
      const log = this.logFor(link.callId).child({ leg: link.role, channelId });
      for (const f of this.features) {
        if (f.roles?.includes(link.role)) await f.onLegEvent?.(link, e, log);
      }
    });
  }

  private toCall(callId: string, e: TelephonyEvent): void {
    void this.serial.run(callId, async () => {
      const call = this.live.get(callId);
      if (!call) return;
      const log = this.logFor(callId);
      if (e.type === 'channel-left') return this.onCallerGone(call, log);
      if (e.type === 'channel-destroyed' || e.type === 'channel-state') return;
      if (call.phase === 'ivr') {
        if (e.type === 'dtmf') return this.ivr.onEvent(call, { type: 'digit', digit: e.digit }, log);
        if (e.type === 'playback-finished') return this.ivr.onEvent(call, { type: 'prompts-finished' }, log);
        return;
      }
      for (const f of this.features) if (await f.onCallerEvent?.(call, e, log)) return;
    });
  }

  private async onCallerEntered(e: Extract<TelephonyEvent, { type: 'channel-entered' }>): Promise<void> {
    const [line = 'main', received = '', mode = ''] = e.args;
    const callId = e.channelId;
    const log = this.logFor(callId);
    const now = this.d.clock.now().toISOString();
    const areas = this.d.areas;
    // A carrier that puts the area code in front of the number (075512355) still reaches its line.
    const dialled = areas ? localHotlineNumber(received || e.dialled, areas) : received || e.dialled;
    const area = areas ? findCallerArea({ callerNumber: e.caller.number, dialled: received || e.dialled, carrierCalled: e.carrierCalled ?? [], line }, areas) : undefined;
    const call = this.phases.create({
      callId, channelId: e.channelId, line, dialled, callerNumber: e.caller.number,
      startedAt: now, ivr: null, routing: null, counsellorId: null, counsellorChannelId: null,
      bridgeId: null, offerId: null, extraChannels: [], pbxStartedAt: this.pbx.startedAt, ...(area ? { area } : {}),
    }, 'entered');
    this.live.set(callId, call);
    log.info({ line, dialled: call.dialled, received: received || e.dialled, mode, channel: e.channelName, area }, 'caller entered');
    // The dialplan answers callers before Stasis (no ARI round trip per call); one that reaches us
    // unanswered (an older dialplan, a caller adopted after a restart) is answered here.
    if (e.state !== 'Up') await this.d.telephony.answer(e.channelId);
    await this.d.records.open({ callId, line, dialled: call.dialled, callerNumber: call.callerNumber, startedAt: now });
    await this.d.records.update(callId, { answeredAt: this.d.clock.now().toISOString() });
    await this.d.calls.save(call);
    await this.ivr.begin(call, log);
  }

  private async onCallerGone(call: LiveCall, log: Logger): Promise<void> {
    // Forget the call first: whatever fails below, it must not linger as a live call.
    this.live.delete(call.callId);
    this.cancelSchedule(call.callId);
    // The outcome is what the call was when the caller left: work still finishing on the call
    // (a failure being looked into, a feature's clean-up) must not rewrite it.
    const phase = call.phase;
    // A call ends once: a second report of the same departure (the resync and a late StasisEnd) is refused.
    if (!this.transition(call, 'caller-left') && this.phases.stateOf(call) === 'ended') return;
    // A hand-over under way finishes first: it tells whether the caller was handed over or had hung up.
    const wentFirstFrom = phase === 'ending' ? await this.handOvers.callerWentFirst(call) : null;
    const handed = phase === 'ending' && wentFirstFrom === null;
    if (phase === 'ivr' || phase === 'queued' || phase === 'offered') this.pbx.rememberLeft(call);
    try {
      if (phase === 'ivr') await this.ivr.stop(call.callId);
      // Each feature releases what it holds; one failing must not stop the others.
      for (const f of this.features) await f.onCallerGone?.(call, log).catch((err: unknown) => log.error({ err }, 'cleanup failed'));
      this.d.playbacks.forget(call.callId);
      const outcome = handed ? 'handed-to-dialplan' : (call.outcome ?? ENDED_OUTCOME[wentFirstFrom ?? phase]);
      // A caller who left in the menus still leaves their path and language for analytics.
      const menus = phase === 'ivr' && call.ivr ? { path: call.ivr.path, language: call.ivr.language } : {};
      const endedAt = this.d.clock.now().toISOString();
      await this.d.records.update(call.callId, { endedAt, outcome, ...menus });
      log.info({ outcome }, 'caller left');
      await this.events.emit('call-ended', { call, outcome, endedAt });
    } finally {
      await this.d.calls.remove(call.callId);
      this.logs.delete(call.callId);
    }
  }

  /** Duty of care: any failure on a caller's event hands the caller to the dialplan. */
  private async onTaskFailed(key: string, err: unknown): Promise<void> {
    const call = this.live.get(key);
    if (!call) {
      this.d.log.error({ err, key }, 'event handling failed');
      return;
    }
    const log = this.logFor(key);
    // The caller hung up mid-step, whatever the failed request said about it (play: 404, bridge
    // addChannel: 400 "Channel not found"): nothing to rescue; StasisEnd closes the call. Only a
    // definite "no such channel" counts: if the PBX does not answer, hand the caller over.
    if ((await this.d.telephony.getChannel(call.channelId).catch(() => undefined)) === null) {
      log.info({ err: (err as Error).message }, 'caller hung up while we were acting on the call');
      return;
    }
    // This runs beside the call's serial queue: its StasisEnd may have been handled during the
    // look-up (Asterisk still lists a channel for a moment after it left the app). Then the call
    // is closed already, as what it was; marking it 'ending' now would rewrite that. A call
    // already 'ending' is being handed over (by an earlier failure): once is enough.
    if (this.live.get(key) !== call || call.phase === 'ending' || this.hasEnded(call)) return;
    // The PBX itself went away mid-step (connection cut, not this call's fault): the caller is still
    // in Stasis, and the resync after reconnecting resumes them where they were, place kept.
    if (err instanceof PbxUnavailableError && (await this.pbx.goneWithin(1000))) {
      this.interrupted.add(key);
      log.warn({ err: err.message, phase: call.phase }, 'PBX unreachable mid-step; the resync will resume this caller');
      return;
    }
    const before = call.phase;
    if (!this.transition(call, 'handed-to-dialplan')) return;
    this.cancelSchedule(key);
    await this.handOvers.start(call, before, log, err);
  }

  /**
   * The store lost its data (StoreLossRecovery): the calls this router holds are written back,
   * each on its own executor so that a call ending meanwhile is not brought back, then the same
   * resync as after a reconnect puts waiting callers back in their place. Rejects if it failed.
   */
  async recoverLostStore(): Promise<void> {
    let failure: unknown = null;
    await this.serial.run('__resync__', async () => {
      try {
        for (const call of [...this.live.values()]) {
          await this.serial.run(call.callId, async () => {
            if (this.live.get(call.callId) === call) await this.d.calls.save(call);
          });
        }
        await this.resync();
      } catch (err) {
        failure = err;
      }
    });
    if (failure) throw failure;
  }

  /** After (re)connecting: adopt channels still in Stasis, close calls that ended meanwhile. */
  private async resync(): Promise<void> {
    // Calls keep arriving during a resync when other PBX nodes stay up (cluster): a channel that
    // enters after the app state was read is in Stasis too, not a caller who left unseen.
    const entered = new Set<string>();
    this.enteredDuringResync = entered;
    try {
      await this.resyncWith(entered);
    } finally {
      this.enteredDuringResync = null;
    }
  }

  private async resyncWith(entered: Set<string>): Promise<void> {
    const state = await this.d.telephony.appState();
    // Callers a clean PBX shutdown hung up just before the connection dropped were cut off too.
    for (const call of this.pbx.observeStart(state.pbxStartedAt)) {
      await this.serial.run(call.callId, async () => {
        await this.ifCutOff(call);
        if (call.outcome === 'callback-requested') await this.d.records.update(call.callId, { outcome: call.outcome });
      });
    }
    for (const id of state.channelIds) entered.add(id);
    const inApp = entered;
    const stored = await this.d.calls.list();
    const log = this.d.log.child({ resync: true });
    // Calls we hold whose caller left while no events arrived (the StasisEnd was lost with the connection).
    const closed = new Set<string>();
    for (const call of [...this.live.values()]) {
      if (!inApp.has(call.channelId)) {
        closed.add(call.callId);
        await this.serial.run(call.callId, async () => {
          await this.ifCutOff(call);
          await this.onCallerGone(call, this.logFor(call.callId));
        });
      }
      else if (call.phase === 'ending') await this.serial.run(call.callId, () => this.handOvers.retry(call, this.logFor(call.callId), 'retry after reconnect'));
      else if (this.interrupted.has(call.callId) && call.phase === 'ivr') {
        // Interrupted in the menus: they start again (a waiting caller is resumed by the queue's resync).
        log.info({ callId: call.callId }, 'resuming an interrupted caller in the menus');
        await this.serial.run(call.callId, () => this.ivr.begin(call, this.logFor(call.callId)));
      }
    }
    this.interrupted.clear();
    for (const call of stored) {
      if (this.live.has(call.callId) || closed.has(call.callId)) continue;
      if (!inApp.has(call.channelId)) {
        // The caller left while we were away (or the PBX restarted under them): close the record as the phase says.
        await this.ifCutOff(call);
        const outcome = call.outcome === 'callback-requested' ? call.outcome : ENDED_OUTCOME[call.phase];
        this.transition(call, 'caller-left');
        const endedAt = this.d.clock.now().toISOString();
        await this.d.records.update(call.callId, { endedAt, outcome });
        await this.events.emit('call-ended', { call, outcome, endedAt });
        for (const f of this.features) await f.onCallerGone?.(call, this.logFor(call.callId)).catch(() => undefined);
        await this.d.calls.remove(call.callId);
        continue;
      }
      this.live.set(call.callId, call);
      if (call.phase === 'ivr') {
        log.info({ callId: call.callId }, 'resuming caller in the menus');
        await this.serial.run(call.callId, () => this.ivr.begin(call, this.logFor(call.callId)));
      }
    }
    const adopted = [...this.live.values()];
    for (const f of this.features) await f.resync?.(adopted, inApp, log);
    // Callers that entered while we were away (no stored state): start them as new callers.
    // Only the snapshot: a channel that entered during the resync is being handled by its own event.
    for (const channelId of state.channelIds) {
      if (this.live.has(channelId) || (await this.d.calls.linkOf(channelId))) continue;
      if (isOriginatedLeg(channelId)) {
        // One of our legs whose call is not stored (Redis lost its data): nobody to connect it to.
        log.warn({ channelId }, 'hanging up a leg of a call the service no longer knows');
        await this.d.telephony.hangup(channelId).catch(() => undefined);
        continue;
      }
      const ch = await this.d.telephony.getChannel(channelId);
      if (!ch) continue;
      const line = (await this.d.telephony.getVariable(channelId, 'HOTLINE_LINE')) ?? 'main';
      log.info({ channelId }, 'adopting a caller that entered while we were away');
      await this.serial.run(channelId, () =>
        this.onCallerEntered({ type: 'channel-entered', channelId, channelName: ch.name, args: [line, ch.dialled], caller: ch.caller, dialled: ch.dialled, state: ch.state }),
      );
    }
    log.info({ channels: inApp.size, calls: this.live.size }, 'resync done');
  }

  /** A call whose channel is gone because the PBX restarted: features act for the caller cut off. */
  private async ifCutOff(call: LiveCall): Promise<void> {
    if (!this.pbx.restartedUnder(call)) return;
    const log = this.logFor(call.callId);
    log.warn({ phase: call.phase, was: call.pbxStartedAt, now: this.pbx.startedAt }, 'caller cut off by a PBX restart');
    for (const f of this.features) await f.onCallerCutOff?.(call, log).catch((err: unknown) => log.error({ err }, 'cut-off handling failed'));
  }

  async shutdown(): Promise<void> {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await this.serial.drain();
  }
}
