import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { EscalationSettings } from '../../config/queue-config.ts';
import { PRIORITY } from '../../domain/calls/routing-request.ts';
import {
  handleEscalation, startEscalation, type EscalationCommand, type EscalationEvent, type EscalationState,
} from '../../domain/escalation/escalation-machine.ts';
import { openStateOf } from '../calls/open-state.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { AuditLog, Principal } from '../../ports/auth.ts';
import type { CallRecords } from '../../ports/call-records.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EscalationLog } from '../../ports/escalation-log.ts';
import type { ChannelLink, LiveCall, LiveCalls } from '../../ports/live-calls.ts';
import type { Notifier } from '../../ports/notifier.ts';
import type { Telephony, TelephonyEvent } from '../../ports/telephony.ts';
import type { CallHandle } from '../calls/call-handle.ts';
import type { CallFeature } from '../calls/call-service.ts';
import { promptsIn } from '../calls/media.ts';
import type { PlaybackOwners } from '../calls/playback-owners.ts';

/** Still running: the police leg is being dialled, hears the announcement, or is on the call. */
const isOpen = (s: EscalationState) => s.status === 'dialling' || s.status === 'announcing' || s.status === 'connected';

export interface EscalationDeps {
  telephony: Telephony;
  calls: CallHandle;
  liveCalls: LiveCalls;
  records: CallRecords;
  log: EscalationLog;
  audit: AuditLog;
  notifier: Notifier;
  clock: Clock;
  playbacks: PlaybackOwners;
  settings: EscalationSettings;
  /** Dial strings of the emergency trunks, first choice first. */
  routes: string[];
  defaultLanguage: 'cmn' | 'yue' | 'hak' | 'nan';
  /** The hotline's number: the 110 leg's display name, and its number when the caller's is unknown. */
  hotlineNumber: string;
}

/**
 * Carries out the escalation machine's commands against the PBX. Triggered by the counsellor's
 * key on their own leg (the caller's keys never reach here) or by the console button.
 */
export class EscalationService implements CallFeature {
  readonly roles = ['counsellor', 'emergency'] as const;
  private readonly active = new Map<string, EscalationState>();
  private readonly guards = new Map<string, NodeJS.Timeout>();

  constructor(private readonly d: EscalationDeps) {}

  activeFor(callId: string): EscalationState | undefined {
    return this.active.get(callId);
  }

  /** Starts an escalation on a connected call (API button or counsellor key). */
  async escalate(callId: string, actor: Pick<Principal, 'userId' | 'role'>): Promise<EscalationState> {
    let result: EscalationState | undefined;
    let failure: unknown;
    await this.d.calls.runOnCall(callId, async () => {
      try {
        result = await this.startNow(callId, actor);
      } catch (err) {
        failure = err;
      }
    });
    if (failure) throw failure;
    if (!result) throw new NotFoundError('no-such-call', 'no such call');
    return result;
  }

  private async startNow(callId: string, actor: Pick<Principal, 'userId' | 'role'>): Promise<EscalationState> {
    const call = this.d.calls.getCall(callId);
    if (!call) throw new NotFoundError('no-such-call', 'no such live call');
    const running = this.active.get(callId);
    if (running && isOpen(running)) return running;
    if (call.phase !== 'connected' || !call.bridgeId) throw new ConflictError('call-not-connected', 'only a call with a counsellor can be escalated');
    const id = randomBytes(4).toString('hex');
    const step = startEscalation(
      { id, callId, counsellorId: call.counsellorId, routes: this.d.routes, announce: this.d.settings.policeAnnouncement !== '', record: this.d.settings.recordEscalatedCalls },
      this.d.clock.now(),
    );
    // Connected was checked just above, with nothing awaited since: the machine agrees.
    if (!this.d.calls.transition(call, 'escalation-started')) throw new ConflictError('call-not-connected', 'only a call with a counsellor can be escalated');
    await this.d.liveCalls.save(call);
    const log = this.d.calls.logFor(callId);
    log.warn({ escalationId: id, by: actor.userId }, 'escalation to 110 started');
    await this.d.audit.append({ actor: actor.userId, role: actor.role, action: 'escalate-110', callId, data: { escalationId: id } });
    await this.d.records.update(callId, { critical: true, outcome: 'escalated' });
    call.outcome = 'escalated';
    await this.apply(call, step.state, step.commands, log);
    return step.state;
  }

  /** The call's escalation: in memory, or (first event after a restart) as stored with the call. */
  private stateOf(call: LiveCall): EscalationState | undefined {
    return openStateOf(this.active, call.callId, call.escalation, isOpen);
  }

  private async event(call: LiveCall, event: EscalationEvent, log: Logger): Promise<void> {
    const state = this.stateOf(call);
    if (!state) return;
    const step = handleEscalation(state, event, this.d.clock.now());
    await this.apply(call, step.state, step.commands, log);
  }

  private async apply(call: LiveCall, state: EscalationState, commands: EscalationCommand[], log: Logger): Promise<void> {
    this.active.set(call.callId, state);
    // Stored with the live call before anything is carried out: a restart in between resumes from here.
    call.escalation = isOpen(state) ? state : null;
    await this.d.liveCalls.save(call);
    await this.d.log.save(state, null, null);
    this.d.notifier.publish({ type: 'escalation', callId: call.callId, escalationId: state.id, state: state.status });
    for (const c of commands) {
      try {
        await this.exec(call, state, c, log);
      } catch (err) {
        // 110 hanging up during its announcement is the police's choice, not a fault of ours.
        const policeGone = (c.type === 'announce-to-police' || c.type === 'join-police') &&
          (await this.d.telephony.getChannel(c.legChannelId).catch(() => undefined)) === null;
        if (policeGone) log.warn({ leg: c.legChannelId, command: c.type }, '110 hung up before it was joined to the call');
        else log.error({ err, command: c.type }, 'escalation step failed');
        if (c.type === 'dial') {
          this.clearGuard(c.legChannelId);
          await this.d.liveCalls.unlink(c.legChannelId).catch(() => undefined);
        }
        if (c.type === 'dial' || c.type === 'announce-to-police' || c.type === 'join-police') {
          await this.event(call, { type: 'leg-failed', legChannelId: c.legChannelId, cause: 'error' }, log);
        }
      }
    }
  }

  private async exec(call: LiveCall, state: EscalationState, c: EscalationCommand, log: Logger): Promise<void> {
    switch (c.type) {
      case 'dial': {
        await this.d.liveCalls.link({ channelId: c.legChannelId, callId: call.callId, role: 'emergency' });
        const timeoutSec = Math.max(1, Math.round(this.d.settings.answerTimeoutMs / 1000));
        this.guards.set(c.legChannelId, setTimeout(() => void this.d.telephony.hangup(c.legChannelId), this.d.settings.answerTimeoutMs + 5000));
        log.warn({ route: c.route, leg: c.legChannelId }, 'dialling 110');
        // The police see the caller's own number, so they can call back or locate them.
        await this.d.telephony.dialOut({
          channelId: c.legChannelId, route: c.route, appArgs: ['emergency', call.callId, state.id], timeoutSec,
          callerId: { name: this.d.hotlineNumber, number: call.callerNumber || this.d.hotlineNumber },
          escalationId: state.id,
        });
        return;
      }
      case 'announce-to-police': {
        const pb = this.d.playbacks.begin(c.legChannelId);
        await this.d.telephony.play({ channelId: c.legChannelId }, promptsIn(this.d.defaultLanguage, [this.d.settings.policeAnnouncement]), pb);
        return;
      }
      case 'join-police': {
        this.clearGuard(c.legChannelId);
        if (!call.bridgeId) throw new Error('call has no bridge');
        await this.d.telephony.addToBridge(call.bridgeId, [c.legChannelId]);
        call.extraChannels = [...call.extraChannels.filter((x) => x !== c.legChannelId), c.legChannelId];
        await this.d.liveCalls.save(call);
        log.warn({ leg: c.legChannelId, afterMs: Date.parse(state.connectedAt ?? '') - Date.parse(state.startedAt) }, '110 connected to the call');
        return;
      }
      case 'hangup-leg':
        this.clearGuard(c.legChannelId);
        await this.d.telephony.hangup(c.legChannelId);
        return;
      case 'start-recording':
        if (call.bridgeId) await this.d.telephony.recordBridge(call.bridgeId, `escalation-${call.callId}-${state.id}`);
        return;
      case 'tell-counsellor':
        if (call.counsellorChannelId) {
          const pb = this.d.playbacks.begin(call.counsellorChannelId);
          await this.d.telephony.play({ channelId: call.counsellorChannelId }, promptsIn(this.d.defaultLanguage, [c.prompt]), pb);
        }
        return;
      case 'alert':
        log.error({ code: c.code }, c.message);
        this.d.notifier.publish({ type: 'alert', severity: c.severity, code: c.code, message: c.message, callId: call.callId });
        return;
      case 'finished':
        await this.finished(call, state, c.outcome, log);
        return;
    }
  }

  private async finished(call: LiveCall, state: EscalationState, outcome: string, log: Logger): Promise<void> {
    await this.d.log.save(state, outcome, this.d.clock.now().toISOString());
    call.extraChannels = call.extraChannels.filter((x) => !x.startsWith(`police-${state.id}`));
    // The caller's leaving ended it (after 110 had joined, the outcome says so): nobody to keep or re-queue.
    if (outcome === 'caller-left' || this.d.calls.hasEnded(call)) return;
    if (call.counsellorChannelId) {
      if (this.d.calls.transition(call, 'escalation-ended')) await this.d.liveCalls.save(call);
      return;
    }
    // Nobody is left with the caller: back to the front of the queue, never alone, never dropped.
    log.warn('caller alone after the escalation ended; re-queueing at emergency priority');
    if (call.bridgeId) await this.d.telephony.destroyBridge(call.bridgeId);
    call.bridgeId = null;
    call.counsellorId = null;
    // Refused only for a call being handed to the dialplan: the fallback has the caller, not the queue.
    if (!this.d.calls.transition(call, 'requeued')) return;
    if (call.routing) call.routing = { ...call.routing, priority: PRIORITY.emergency, highRisk: true, announce: [] };
    await this.d.calls.events.emit('caller-requeued', { call });
  }

  private clearGuard(leg: string): void {
    const t = this.guards.get(leg);
    if (t) clearTimeout(t);
    this.guards.delete(leg);
  }

  async onLegEntered(args: string[], channelId: string, log: Logger): Promise<void> {
    if (args[0] !== 'emergency') return;
    const callId = args[1] ?? '';
    await this.d.calls.runOnCall(callId, async () => {
      const call = this.d.calls.getCall(callId);
      if (!call) {
        await this.d.telephony.hangup(channelId);
        return;
      }
      await this.event(call, { type: 'leg-answered', legChannelId: channelId }, log);
    });
  }

  async onLegEvent(link: ChannelLink, e: TelephonyEvent, log: Logger): Promise<void> {
    await this.d.calls.runOnCall(link.callId, async () => {
      // A police leg that is gone leaves no channel link behind (the soak found one per escalation).
      if (e.type === 'channel-destroyed' && link.role === 'emergency') await this.d.liveCalls.unlink(link.channelId);
      const call = this.d.calls.getCall(link.callId);
      if (!call) return;
      if (link.role === 'counsellor') {
        if (e.type === 'dtmf' && e.digit === this.d.settings.counsellorKey && call.counsellorChannelId === link.channelId && call.phase === 'connected') {
          await this.startNow(call.callId, { userId: call.counsellorId ?? 'counsellor', role: 'counsellor' }).catch((err: unknown) => log.error({ err }, 'escalation by key failed'));
        }
        return;
      }
      if (e.type === 'playback-finished') await this.event(call, { type: 'announcement-done', legChannelId: link.channelId }, log);
      else if (e.type === 'channel-destroyed' || e.type === 'channel-left') {
        this.clearGuard(link.channelId);
        const state = this.active.get(call.callId);
        const wasConnected = state?.status === 'connected' || state?.status === 'announcing';
        const cause = e.type === 'channel-destroyed' ? e.causeText || String(e.cause) : 'left';
        await this.event(call, wasConnected ? { type: 'police-left', legChannelId: link.channelId } : { type: 'leg-failed', legChannelId: link.channelId, cause }, log);
      }
    });
  }

  async onCallerGone(call: LiveCall, log: Logger): Promise<void> {
    // After a restart the state is only in the stored call (the caller left while we were away).
    if (!this.stateOf(call)) return;
    await this.event(call, { type: 'caller-left' }, log);
    for (const leg of call.extraChannels) await this.d.telephony.hangup(leg);
    this.active.delete(call.callId);
  }

  /**
   * After a restart or reconnect: escalations in progress carry on. What happened to the police
   * leg while we were away is read from the PBX and fed to the machine as the event it would
   * have been: answered (in Stasis, still dialling), announcement over (join now), or gone.
   */
  async resync(calls: LiveCall[], inApp: Set<string>, log: Logger): Promise<void> {
    for (const stored of calls) {
      if (!stored.escalation || !isOpen(stored.escalation) || this.active.has(stored.callId)) continue;
      await this.d.calls.runOnCall(stored.callId, async () => {
        const call = this.d.calls.getCall(stored.callId);
        // An event of the police leg may have got here first and carried the escalation on already.
        if (!call || this.active.has(call.callId)) return;
        const state = this.stateOf(call);
        if (!state) return;
        const callLog = this.d.calls.logFor(call.callId);
        callLog.warn({ escalationId: state.id, status: state.status }, 'escalation resumed after a restart');
        const leg = state.legChannelId;
        if (!leg) return;
        // An originated leg counts as the app's from the start, ringing or not: its state tells.
        const channel = inApp.has(leg) ? await this.d.telephony.getChannel(leg) : null;
        if (!channel) {
          const event: EscalationEvent = state.status === 'dialling'
            ? { type: 'leg-failed', legChannelId: leg, cause: 'ended while the service was away' }
            : { type: 'police-left', legChannelId: leg };
          await this.event(call, event, callLog);
        } else if (state.status === 'dialling' && channel.state === 'Up') {
          await this.event(call, { type: 'leg-answered', legChannelId: leg }, callLog);
        } else if (state.status === 'dialling') {
          // Still ringing at the police: the answer or failure arrives as an event; the guard covers a lost one.
          this.guards.set(leg, setTimeout(() => void this.d.telephony.hangup(leg), this.d.settings.answerTimeoutMs + 5000));
        } else if (state.status === 'announcing') {
          await this.event(call, { type: 'announcement-done', legChannelId: leg }, callLog);
        }
      });
    }
    log.info({ escalations: [...this.active.values()].filter(isOpen).length }, 'escalations resynced');
  }

  shutdown(): void {
    for (const t of this.guards.values()) clearTimeout(t);
    this.guards.clear();
  }
}
