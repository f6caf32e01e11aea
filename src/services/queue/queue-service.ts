import type { Logger } from 'pino';
import type { LiveCall, ChannelLink } from '../../ports/live-calls.ts';
import type { QueuedCaller } from '../../ports/queue-store.ts';
import type { TelephonyEvent } from '../../ports/telephony.ts';
import type { CallFeature } from '../calls/call-service.ts';
import type { CallerQueue } from '../calls/ivr-service.ts';
import { MOH_CLASS, promptsIn } from '../calls/media.ts';
import { PRIORITY } from '../../domain/calls/routing-request.ts';
import { buildRouting } from '../../domain/ivr/ivr-routing.ts';
import { onCounsellorAnswered, onNoticeEnded } from '../../domain/queue/notice-handoff.ts';
import { OfferManager } from './offer-manager.ts';
import { HandOff, type AnsweredLeg } from './hand-off.ts';
import { HOLDING_BRIDGE, logQueueEvent, offerChannelId, parseOfferChannelId, type QueueContext } from './queue-context.ts';
import { resyncQueue } from './queue-resync.ts';
import { WaitingTimers } from './waiting-timers.ts';

/** Longest a bridge waits for the notice, should its end never be reported. */
const NOTICE_MAX_MS = 30_000;


/**
 * The queue as a call feature: callers wait in one holding bridge with music on hold, ordered
 * in the store; counsellor legs answer into a per-call mixing bridge. State lives in the store,
 * so a restarted service resumes every waiting caller in their original order.
 */
export class QueueService implements CallFeature, CallerQueue {
  readonly roles = ['counsellor'] as const;
  readonly offers: OfferManager;
  readonly timers: WaitingTimers;
  private readonly handOff: HandOff;
  private readonly hangupAfter = new Set<string>();
  private holdingReady = false;
  /** Callers still hearing the privacy notice (callId → playback id): bridged no earlier than its end. */
  private readonly hearingNotice = new Map<string, string>();
  /** Counsellors who answered during the notice (by call id): bridged when it ends. */
  private readonly answeredInNotice = new Map<string, AnsweredLeg>();

  constructor(private readonly ctx: QueueContext) {
    // Callers are offered while they hear the notice: the phone rings meanwhile (issue #11).
    this.offers = new OfferManager(ctx);
    this.timers = new WaitingTimers(ctx, () => void this.offers.dispatch());
    this.handOff = new HandOff(ctx, this.offers, this.timers);
    ctx.calls.events.on('counsellor-available', () => this.onCounsellorAvailable());
    ctx.calls.events.on('offer-withdrawn', ({ counsellorId, callId }) => this.stopRinging(counsellorId, callId));
    ctx.calls.events.on('caller-requeued', ({ call, enqueuedAt }) => this.enqueue(call, enqueuedAt));
  }

  /** The one holding bridge all waiting callers share; created once, kept across restarts. */
  async ensureHoldingBridge(force = false): Promise<void> {
    if (this.holdingReady && !force) return;
    const exists = (await this.ctx.telephony.listBridges()).some((b) => b.id === HOLDING_BRIDGE);
    if (!exists) await this.ctx.telephony.createBridge(HOLDING_BRIDGE, 'holding', HOLDING_BRIDGE);
    await this.ctx.telephony.startBridgeMoh(HOLDING_BRIDGE, MOH_CLASS);
    this.holdingReady = true;
  }

  async enqueue(call: LiveCall, enqueuedAt?: number): Promise<void> {
    const routing = call.routing;
    if (!routing) throw new Error('enqueue without routing');
    const log = this.ctx.calls.logFor(call.callId);
    await this.ensureHoldingBridge();
    // Joining again after an interruption: a channel already in the bridge is not added twice (ARI
    // would wait on it while it hears a prompt).
    const holding = enqueuedAt === undefined ? [] : (await this.ctx.telephony.listBridges()).find((b) => b.id === HOLDING_BRIDGE)?.channels ?? [];
    if (!holding.includes(call.channelId)) await this.ctx.telephony.addToBridge(HOLDING_BRIDGE, [call.channelId]);
    const now = this.ctx.clock.now().getTime();
    const caller: QueuedCaller = {
      callId: call.callId, enqueuedAt: enqueuedAt ?? now, priority: routing.priority, skills: routing.skills, language: routing.language,
      // The caller's local team, found when the call came in (a call without one: its line's).
      team: call.area ? call.area.team : (this.ctx.config.queue.lineTeams[routing.line] ?? null), declinedBy: [], line: routing.line, need: routing.need,
      highRisk: routing.highRisk, state: 'waiting', offeredTo: [], offerId: null, callbackRequested: false, overflowed: false,
    };
    const pb = this.ctx.playbacks.begin(call.callId);
    // The notice is heard in full before a counsellor hears the caller, except in an emergency.
    // Marked before the caller is in the store, where a dispatch running for another caller would find them.
    if (routing.priority < PRIORITY.highRisk && routing.announce.length > 0) {
      this.hearingNotice.set(call.callId, pb);
      setTimeout(() => void this.ctx.calls.runOnCall(call.callId, () => this.noticeDone(call.callId, pb)), NOTICE_MAX_MS).unref();
    }
    await this.ctx.store.putCaller(caller);
    call.queuedAt = caller.enqueuedAt;
    // Persist phase and routing: a restarted service must see a waiting caller, not one in the menus.
    await this.ctx.liveCalls.save(call);
    const position = (await this.ctx.store.listCallers()).findIndex((c) => c.callId === call.callId) + 1;
    await logQueueEvent(this.ctx, 'enter', call.callId, undefined, {
      position, need: routing.need, line: routing.line, priority: routing.priority, team: caller.team, ...(call.area ? { areaSource: call.area.source } : {}),
    });
    log.info({ position, priority: routing.priority }, 'caller queued');
    this.ctx.notifier.publish({ type: 'queue-changed' });
    const first = routing.announce.length > 0 ? routing.announce : ['queue_hold_intro'];
    await this.ctx.telephony.play({ channelId: call.channelId }, promptsIn(routing.language, first), pb);
    this.timers.signedIn = (await this.ctx.store.listCounsellors()).filter((c) => c.status !== 'offline');
    this.timers.start(caller);
    // Matching runs on its own: this caller's step is over once they are in the queue.
    void this.offers.dispatch();
  }

  async onCallerEvent(call: LiveCall, e: TelephonyEvent, log: Logger): Promise<boolean> {
    if (call.phase !== 'queued' && call.phase !== 'offered') return false;
    if (e.type === 'playback-finished' && this.hearingNotice.get(call.callId) === e.playbackId) {
      await this.noticeDone(call.callId, e.playbackId);
    } else if (e.type === 'playback-finished' && this.hangupAfter.delete(call.callId)) {
      await this.ctx.telephony.hangup(call.channelId);
    } else if (e.type === 'dtmf' && e.digit === '1' && this.timers.callbackOffered.has(call.callId)) {
      await this.requestCallback(call, log);
    }
    return true;
  }

  /**
   * The notice is over (runs on the call's executor): a counsellor who answered meanwhile is bridged
   * now; otherwise the caller hears that we are connecting them.
   */
  private async noticeDone(callId: string, playbackId: string): Promise<void> {
    if (this.hearingNotice.get(callId) !== playbackId) return;
    this.hearingNotice.delete(callId);
    const leg = this.answeredInNotice.get(callId);
    this.answeredInNotice.delete(callId);
    const call = this.ctx.calls.getCall(callId);
    const caller = leg ? await this.ctx.store.getCaller(callId) : null;
    // Still current: the counsellor did not hang up and no restart withdrew the offer meanwhile.
    const answerStillCurrent = !!leg && !!caller && call?.phase === 'offered' && caller.offerId === leg.offerId && call.offerId === leg.offerId && caller.offeredTo.includes(leg.counsellorId);
    if (leg && call && caller && onNoticeEnded({ answerStillCurrent }).type === 'bridge') {
      await this.handOff.bridge(call, caller, leg);
      return;
    }
    if (call?.phase !== 'queued' || !call.routing || this.ctx.playbacks.currentOf(callId)) return;
    const pb = this.ctx.playbacks.begin(callId);
    await this.ctx.telephony.play({ channelId: call.channelId }, promptsIn(call.routing.language, ['queue_hold_intro']), pb);
  }

  private async requestCallback(call: LiveCall, log: Logger): Promise<void> {
    const caller = await this.ctx.store.getCaller(call.callId);
    if (!caller || !call.routing || caller.callbackRequested) return;
    let jobId: string;
    try {
      jobId = await this.ctx.jobs.requestCallback({
        callId: call.callId, callerNumber: call.callerNumber, routing: { ...call.routing, priority: Math.max(call.routing.priority, PRIORITY.callback) },
        enqueuedAt: caller.enqueuedAt, requestedAt: this.ctx.clock.now().toISOString(),
      });
    } catch (err) {
      // The callback could not be stored: the caller simply keeps waiting in the queue.
      log.error({ err }, 'could not store the callback request; the caller stays in the queue');
      return;
    }
    await this.ctx.store.putCaller({ ...caller, callbackRequested: true });
    await logQueueEvent(this.ctx, 'callback-requested', call.callId, undefined, { jobId, waitMs: this.ctx.clock.now().getTime() - caller.enqueuedAt });
    call.outcome = 'callback-requested';
    log.info({ jobId }, 'callback requested');
    const current = this.ctx.playbacks.currentOf(call.callId);
    if (current) {
      this.ctx.playbacks.forget(call.callId);
      await this.ctx.telephony.stopPlayback(current);
    }
    // The caller hears the confirmation, then the call ends by their choice.
    this.hangupAfter.add(call.callId);
    const pb = this.ctx.playbacks.begin(call.callId);
    await this.ctx.telephony.play({ channelId: call.channelId }, promptsIn(call.routing.language, ['queue_callback_confirmed']), pb);
  }

  /**
   * Asterisk restarted under a caller who was in the menus or waiting: nobody who reached the
   * hotline is forgotten. They go on the callback list at their original place (queue entry, or
   * arrival for one still in the menus), with the need they chose or the general one.
   */
  async onCallerCutOff(call: LiveCall, log: Logger): Promise<void> {
    if (call.phase !== 'ivr' && call.phase !== 'queued' && call.phase !== 'offered') return;
    if (!/^\+?\d{5,}$/.test(call.callerNumber)) {
      log.warn('cut off by a PBX restart with no number to call back');
      this.ctx.notifier.publish({ type: 'alert', severity: 'critical', code: 'caller-lost-no-number', message: '交换机重启中断了一通无号码的来电，无法回拨', callId: call.callId });
      return;
    }
    const queued = await this.ctx.store.getCaller(call.callId);
    if (queued?.callbackRequested || call.outcome === 'callback-requested') return;
    const routing = call.routing ?? buildRouting(this.ctx.config, call.ivr ?? { line: call.line, language: this.ctx.config.defaultLanguage, highRisk: false }, this.ctx.config.ivr.fallbackTarget);
    const enqueuedAt = queued?.enqueuedAt ?? call.queuedAt ?? Date.parse(call.startedAt);
    const now = this.ctx.clock.now();
    try {
      const jobId = await this.ctx.jobs.requestCallback({
        callId: call.callId, callerNumber: call.callerNumber, routing: { ...routing, priority: Math.max(routing.priority, PRIORITY.callback) },
        enqueuedAt, requestedAt: now.toISOString(),
      });
      call.outcome = 'callback-requested';
      await logQueueEvent(this.ctx, 'callback-requested', call.callId, undefined, { jobId, reason: 'pbx-restart', waitMs: now.getTime() - enqueuedAt });
      log.warn({ jobId }, 'put on the callback list after a PBX restart');
    } catch (err) {
      log.error({ err }, 'could not put a caller cut off by a PBX restart on the callback list');
      this.ctx.notifier.publish({ type: 'alert', severity: 'critical', code: 'caller-lost', message: '交换机重启中断的来电未能加入回拨列表，请人工跟进', callId: call.callId });
    }
  }

  async onCallerGone(call: LiveCall, log: Logger): Promise<void> {
    this.timers.stop(call.callId);
    this.hearingNotice.delete(call.callId);
    // A counsellor who answered during the notice is let go with the offer below (withdrawn: available again).
    this.answeredInNotice.delete(call.callId);
    this.hangupAfter.delete(call.callId);
    const now = this.ctx.clock.now().getTime();
    if (call.phase === 'queued' || call.phase === 'offered') {
      const callers = await this.ctx.store.listCallers();
      const position = callers.findIndex((c) => c.callId === call.callId) + 1;
      const caller = callers[position - 1];
      if (caller?.offerId) {
        await this.offers.withdraw(call.callId, caller.offerId, caller.offeredTo);
        await this.ctx.store.releaseCaller(call.callId, caller.offerId);
      }
      await this.ctx.store.removeCaller(call.callId);
      if (caller && !caller.callbackRequested) {
        await logQueueEvent(this.ctx, 'abandon', call.callId, undefined, { position, waitMs: now - caller.enqueuedAt });
        log.info({ position, waitMs: now - caller.enqueuedAt }, 'caller abandoned while waiting');
      }
    } else if (call.counsellorId) {
      await this.endConnected(call);
    } else {
      // e.g. handed to the dialplan mid-enqueue: make sure no stale entry stays in the queue.
      await this.ctx.store.removeCaller(call.callId);
    }
    this.ctx.notifier.publish({ type: 'queue-changed' });
    this.ctx.notifier.publish({ type: 'call-changed', callId: call.callId });
  }

  /** The call with a counsellor is over: free everything it held. */
  private async endConnected(call: LiveCall): Promise<void> {
    // A hand-off that failed between the answer and the bridge (the call went to the dialplan)
    // left the caller's queue entry and claim: a caller back from the fallback could never be
    // offered again (found by the chaos surge). Both steps are no-ops after a normal connect.
    await this.ctx.store.removeCaller(call.callId);
    if (call.offerId) await this.ctx.store.releaseCaller(call.callId, call.offerId);
    // The PBX's part is best effort: a counsellor must be freed even when the PBX refuses to
    // remove their leg or the bridge (Asterisk shutting down answers 503), or they stay on-call,
    // never offered again. The first refusal is still raised, after, for the log.
    let refused: unknown = null;
    const onPbx = async (step: () => Promise<void>) => step().catch((err: unknown) => void (refused ??= err));
    if (call.counsellorChannelId) {
      const leg = call.counsellorChannelId;
      await this.ctx.liveCalls.unlink(leg);
      await onPbx(() => this.ctx.telephony.hangup(leg));
    }
    const bridgeId = call.bridgeId;
    if (bridgeId) await onPbx(() => this.ctx.telephony.destroyBridge(bridgeId));
    if (call.counsellorId) {
      await this.releaseCounsellor(call);
      await logQueueEvent(this.ctx, 'complete', call.callId, call.counsellorId, {});
    }
    if (refused) throw refused;
  }

  /**
   * Ends the counsellor's part in this call, once: the event names the call, so a counsellor
   * already on their next call is left alone (the state machine rejects the mismatch).
   */
  private async releaseCounsellor(call: LiveCall): Promise<void> {
    const counsellorId = call.counsellorId;
    if (!counsellorId) return;
    // The claim goes first: becoming available starts matching, which claims the counsellor anew.
    if (call.offerId) await this.ctx.store.releaseCounsellor(counsellorId, call.offerId);
    await this.ctx.counsellors.apply(counsellorId, { type: 'call-ended', callId: call.callId }, true);
  }

  async onLegEntered(args: string[], channelId: string, log: Logger): Promise<void> {
    if (args[0] !== 'counsellor') return;
    const [, callId = '', counsellorId = '', offerId = ''] = args;
    await this.ctx.calls.runOnCall(callId, () => this.answered(callId, counsellorId, offerId, channelId, log));
  }

  private async answered(callId: string, counsellorId: string, offerId: string, channelId: string, log: Logger): Promise<void> {
    this.offers.clearGuard(channelId);
    const call = this.ctx.calls.getCall(callId);
    const caller = await this.ctx.store.getCaller(callId);
    if (!call || !caller || caller.offerId !== offerId || call.phase !== 'offered') {
      log.info({ callId }, 'counsellor answered an offer that is no longer current; releasing');
      await this.handOff.releaseAnswer(callId, counsellorId, offerId, channelId);
      return;
    }
    const others = caller.offeredTo.filter((id) => id !== counsellorId);
    if (others.length > 0) await this.offers.withdraw(callId, offerId, others);
    const leg: AnsweredLeg = { counsellorId, offerId, channelId };
    const step = onCounsellorAnswered({
      hearingNotice: this.hearingNotice.has(callId),
      call: { line: caller.line, need: caller.need, highRisk: caller.highRisk },
      known: new Set(Object.keys(this.ctx.config.prompts)),
    });
    if (step.type === 'whisper') {
      // The caller finishes the notice; the counsellor hears who is coming and is bridged at its end.
      // The offer stands meanwhile (only this counsellor on it), so a hang-up on either side ends it as any offer.
      await this.ctx.store.putCaller({ ...caller, offeredTo: [counsellorId] });
      this.answeredInNotice.set(callId, leg);
      log.info({ counsellorId, whisper: step.prompts }, 'counsellor answered during the privacy notice; bridging when it ends');
      if (step.prompts.length > 0) {
        const whisper = this.ctx.playbacks.begin(channelId);
        await this.ctx.telephony.play({ channelId }, promptsIn(this.ctx.config.defaultLanguage, step.prompts), whisper);
      }
      return;
    }
    await this.handOff.bridge(call, caller, leg);
  }

  async onLegEvent(link: ChannelLink, e: TelephonyEvent, log: Logger): Promise<void> {
    if (e.type !== 'channel-destroyed' && e.type !== 'channel-left') return;
    await this.ctx.calls.runOnCall(link.callId, async () => {
      const call = this.ctx.calls.getCall(link.callId);
      if (call?.counsellorChannelId === link.channelId && (call.phase === 'connected' || call.phase === 'escalating')) {
        await this.counsellorLeft(call, log);
        return;
      }
      const offer = parseOfferChannelId(link.channelId);
      if (offer && call?.offerId === offer.offerId && call.phase === 'offered') {
        const cause = e.type === 'channel-destroyed' ? e.causeText : 'left';
        await this.offers.noAnswer(link.callId, offer.counsellorId, offer.offerId, cause);
      }
    });
  }

  /** The counsellor hung up. The call ends, unless an escalation keeps the caller with the police. */
  private async counsellorLeft(call: LiveCall, log: Logger): Promise<void> {
    await this.ctx.liveCalls.unlink(call.counsellorChannelId ?? '');
    call.counsellorChannelId = null;
    if (call.phase === 'escalating') {
      // The caller stays in the bridge: with the police, or until the escalation ends and re-queues them.
      log.info('counsellor left during an escalation; caller stays on');
      await this.releaseCounsellor(call);
      call.counsellorId = null;
      await this.ctx.liveCalls.save(call);
      return;
    }
    const colleague = this.ctx.calls.events.ask('colleague-to-promote', call);
    if (colleague) {
      // A colleague brought in by a transfer is on the call: they take it over.
      await this.releaseCounsellor(call);
      call.counsellorId = colleague.counsellorId;
      call.counsellorChannelId = colleague.channelId;
      call.offerId = colleague.token;
      await this.ctx.liveCalls.link({ channelId: colleague.channelId, callId: call.callId, role: 'counsellor' });
      await this.ctx.liveCalls.save(call);
      await this.ctx.records.update(call.callId, { counsellorId: colleague.counsellorId });
      log.info({ counsellorId: colleague.counsellorId }, 'colleague took over the call');
      return;
    }
    log.info('counsellor hung up; ending the call');
    // Free the counsellor and let matching ring them for the next caller before this caller's
    // teardown (hang-up, StasisEnd, bridge destroyed) competes with it for the event loop, Redis
    // and ARI. This runs on the ending call's executor, which matching never needs.
    await this.releaseCounsellor(call);
    await this.offers.settled();
    // The caller may stay on for the satisfaction survey, which then ends the call itself.
    await this.ctx.calls.events.emit('counsellor-hung-up', { call });
    if (call.phase === 'survey') return;
    await this.ctx.telephony.hangup(call.channelId);
  }

  /** After a reconnect: waiting callers back in the holding bridge, ringing offers reset (queue-resync.ts). */
  resync(calls: LiveCall[], inApp: Set<string>, log: Logger): Promise<void> {
    return resyncQueue({
      ctx: this.ctx, offers: this.offers, timers: this.timers,
      ensureHoldingBridge: (force) => this.ensureHoldingBridge(force),
      counsellorLeft: (call, callLog) => this.counsellorLeft(call, callLog),
      enqueue: (call, enqueuedAt) => this.enqueue(call, enqueuedAt),
    }, calls, inApp, log);
  }

  async onPbxEvent(e: TelephonyEvent): Promise<void> {
    if (e.type === 'endpoint-state' && e.technology === 'PJSIP') await this.ctx.counsellors.endpointState(e.resource, e.state);
  }

  onCounsellorAvailable(): void {
    void this.offers.dispatch({ counsellorFree: true });
  }

  /** The counsellor may no longer be rung for this call (paused, registration lost): their offer leg goes. */
  private stopRinging(counsellorId: string, callId: string): void {
    const call = this.ctx.calls.getCall(callId);
    if (call?.offerId) void this.ctx.telephony.hangup(offerChannelId(call.offerId, counsellorId));
  }

  shutdown(): void {
    this.timers.stopAll();
    this.offers.shutdown();
  }
}
