import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import {
  handleDialBackEvent, startDialBack, type DialBackCommand, type DialBackEvent, type DialBackOutcome, type DialBackState,
} from '../../domain/callbacks/dial-back-machine.ts';
import type { Language } from '../../domain/calls/routing-request.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { AuditLog, Principal } from '../../ports/auth.ts';
import type { CallRecords } from '../../ports/call-records.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Jobs, PendingCallback } from '../../ports/jobs.ts';
import type { ChannelLink, LiveCall, LiveCalls } from '../../ports/live-calls.ts';
import type { Notifier } from '../../ports/notifier.ts';
import type { QueueStore } from '../../ports/queue-store.ts';
import type { OfferedCall, Telephony, TelephonyEvent } from '../../ports/telephony.ts';
import type { CallAdoption } from '../calls/call-handle.ts';
import type { CallFeature } from '../calls/call-service.ts';
import { promptsIn } from '../calls/media.ts';
import type { PlaybackOwners } from '../calls/playback-owners.ts';
import type { CounsellorService } from '../queue/counsellor-service.ts';

/** A callback being dialled: how long it is held for its counsellor if nobody ends the hold (a restart). */
const HOLD_MS = 5 * 60_000;
export const NO_ANSWER_NOTICE = 'callback_caller_no_answer';
const NOTICE_GUARD_MS = 20_000;

export interface DialBackSettings {
  /** Dial string for a caller's number through the carrier; `{number}` is replaced. */
  dialTemplate: string;
  /** How long the counsellor's phone rings. */
  counsellorRingSec: number;
  /** How long the caller's phone rings before the callback goes back to the list. */
  callerRingSec: number;
  defaultLanguage: Language;
  /** The number both legs show: the hotline's, never the counsellor's. */
  hotlineNumber: string;
}

export interface DialBackDeps {
  telephony: Telephony;
  calls: CallAdoption;
  liveCalls: LiveCalls;
  records: CallRecords;
  store: QueueStore;
  counsellors: CounsellorService;
  jobs: Jobs;
  audit: AuditLog;
  notifier: Notifier;
  clock: Clock;
  playbacks: PlaybackOwners;
  settings: DialBackSettings;
  log: Logger;
}

/**
 * What a dial-back calls and what it tells when it is over: a pending callback (回拨) or a due
 * follow-up call (回访). `finish` runs once the caller answered; `giveBack` when they were not
 * reached (with why), so the callback goes back to the list or the follow-up is retried.
 */
export interface DialBackJob {
  /** The call the job comes from (the callback's call, the follow-up's case's call). */
  callId: string;
  callerNumber: string;
  routing: PendingCallback['routing'];
  /** What the counsellor's phone shows as the caller's name (never the caller's number). */
  label: string;
  /** How the connected call's record names what was dialled. */
  dialled: string;
  /** Extra fields for the counsellor's offer (the SIP headers), e.g. the follow-up's id. */
  offer?: Pick<OfferedCall, 'followUpId'>;
  finish(): Promise<void>;
  giveBack(outcome: DialBackOutcome): Promise<void>;
}

interface DialBack {
  id: string;
  /** The call id the connected call will have: the caller leg's channel id. */
  callId: string;
  counsellorLeg: string;
  bridgeId: string;
  callback: DialBackJob;
  counsellorId: string;
  state: DialBackState;
  log: Logger;
  guard?: NodeJS.Timeout;
}

/** Channel ids of one dial-back, derived from its id so that any leg names the others (also after a restart). */
const CALL_PREFIX = 'dialback-';
export function dialBackLegs(id: string): { callId: string; counsellorLeg: string; bridgeId: string } {
  return { callId: `${CALL_PREFIX}${id}`, counsellorLeg: `${CALL_PREFIX}agent-${id}`, bridgeId: `call-${CALL_PREFIX}${id}` };
}

/** The dial-back id in a dial-back's call id (`dialback-<id>`), or null for any other call. */
export function dialBackIdOf(callId: string | null): string | null {
  return callId?.startsWith(CALL_PREFIX) ? callId.slice(CALL_PREFIX.length) : null;
}

/**
 * The serial key of a dial-back's own work until it is connected: its own, apart from the caller
 * leg's channel events (which run under the call id, the leg's channel id).
 */
function serialKey(id: string): string {
  return `dialback:${id}`;
}

/**
 * Callbacks dialled from the hotline (回拨): the counsellor asks for a pending callback, their
 * phone rings, then the caller's. Runs the pure dial-back machine and carries out its commands;
 * once the caller answers, the call is handed to the call service as an ordinary connected call.
 */
export class DialBackService implements CallFeature {
  readonly roles = ['dialback'] as const;
  private readonly active = new Map<string, DialBack>();

  constructor(private readonly d: DialBackDeps) {}

  async start(jobId: string, who: Principal): Promise<{ id: string; callId: string }> {
    const counsellorId = who.userId;
    const { phone } = await this.freeCounsellor(counsellorId);
    const id = randomBytes(4).toString('hex');
    const legs = dialBackLegs(id);
    // The counsellor is claimed as for an offer, so matching cannot ring them meanwhile.
    if (!(await this.d.store.claim(legs.callId, [counsellorId], id))) throw new ConflictError('counsellor-not-available', 'you are being offered a call');
    let held: PendingCallback | null = null;
    try {
      const claim = await this.d.jobs.reserveCallback(jobId, counsellorId, (cb) =>
        this.d.audit.append({ actor: who.userId, role: who.role, action: 'callback-dial', callId: cb.callId, target: jobId, data: { dialBackCallId: legs.callId } }), HOLD_MS);
      if (claim.status === 'unknown') throw new NotFoundError('no-such-callback', 'no such pending callback');
      if (claim.status === 'taken') throw new ConflictError('callback-taken', 'another person has taken this callback');
      held = claim.callback;
      await this.d.counsellors.apply(counsellorId, { type: 'offer', callId: legs.callId });
    } catch (err) {
      await this.d.store.releaseCounsellor(counsellorId, id);
      if (held) await this.d.jobs.returnCallback(jobId);
      throw err;
    }
    const cb = held;
    const job: DialBackJob = {
      callId: cb.callId, callerNumber: cb.callerNumber, routing: cb.routing, label: `回拨 ${cb.routing.line}/${cb.routing.need}`, dialled: 'callback',
      finish: () => this.d.jobs.finishCallback(cb.jobId),
      giveBack: async () => {
        await this.d.jobs.returnCallback(cb.jobId);
        this.d.notifier.publish({ type: 'queue-changed' });
      },
    };
    await this.ring(id, job, counsellorId, phone, { jobId });
    // The callback left the pending lists (dashboards and consoles re-read them on this event).
    this.d.notifier.publish({ type: 'queue-changed' });
    return { id, callId: legs.callId };
  }

  /**
   * Dials `job` with `counsellorId` (chosen by the caller of this method, e.g. the follow-up
   * service): the counsellor is claimed as for an offer, their phone rings first, then the
   * caller's. Refused (ConflictError) when the counsellor is not free with a phone.
   */
  async dial(job: DialBackJob, counsellorId: string): Promise<{ id: string; callId: string }> {
    const { phone } = await this.freeCounsellor(counsellorId);
    const id = randomBytes(4).toString('hex');
    const legs = dialBackLegs(id);
    if (!(await this.d.store.claim(legs.callId, [counsellorId], id))) throw new ConflictError('counsellor-not-available', 'the counsellor is being offered a call');
    try {
      await this.d.counsellors.apply(counsellorId, { type: 'offer', callId: legs.callId });
    } catch (err) {
      await this.d.store.releaseCounsellor(counsellorId, id);
      throw err;
    }
    await this.ring(id, job, counsellorId, phone, {});
    return { id, callId: legs.callId };
  }

  private async freeCounsellor(counsellorId: string): Promise<{ phone: string }> {
    const snapshot = await this.d.store.getCounsellor(counsellorId);
    if (!snapshot) throw new NotFoundError('no-such-counsellor', 'only a counsellor on the roster can dial a callback');
    const phone = this.d.counsellors.phoneOf(counsellorId);
    if (snapshot.status !== 'available' || !phone) {
      throw new ConflictError('counsellor-not-available', 'be available with a registered phone to dial a callback');
    }
    return { phone };
  }

  /** The counsellor (claimed and offered) is rung; a failure ends the dial-back and gives the job back. */
  private async ring(id: string, job: DialBackJob, counsellorId: string, phone: string, logFields: Record<string, unknown>): Promise<void> {
    const legs = dialBackLegs(id);
    const log = this.d.log.child({ callId: legs.callId, dialBackId: id, originalCallId: job.callId, ...(job.offer?.followUpId ? { followUpId: job.offer.followUpId } : {}) });
    const b: DialBack = { id, ...legs, callback: job, counsellorId, state: startDialBack(), log };
    this.active.set(id, b);
    log.info({ counsellorId, ...logFields }, 'dialling back: the counsellor first');
    try {
      await this.d.liveCalls.link({ channelId: b.counsellorLeg, callId: b.callId, role: 'dialback' });
      await this.d.telephony.ringPhone({
        channelId: b.counsellorLeg, phone, appArgs: ['dialback', id, 'counsellor'],
        callerId: { name: job.label, number: this.d.settings.hotlineNumber },
        timeoutSec: this.d.settings.counsellorRingSec,
        call: { callId: b.callId, callbackOf: job.callId, line: job.routing.line, need: job.routing.need, language: job.routing.language, ...(job.offer ?? {}) },
      });
    } catch (err) {
      log.error({ err }, 'could not ring the counsellor for a dial-back');
      await this.dropLeg(b.counsellorLeg).catch(() => undefined);
      await this.event(b, { type: 'counsellor-gone' });
      throw err;
    }
  }

  async onLegEntered(args: string[], channelId: string, log: Logger): Promise<void> {
    const [role, id = '', leg = ''] = args;
    if (role !== 'dialback') return;
    const b = this.active.get(id);
    await this.d.calls.runOnCall(serialKey(id), async () => {
      if (!b) {
        // A dial-back from before a restart: nobody is waiting on this leg any more.
        log.warn({ dialBackId: id, leg }, 'leg of an unknown dial-back answered; hanging it up');
        await this.dropLeg(channelId);
        return;
      }
      const event: DialBackEvent = leg === 'caller' ? { type: 'caller-answered' } : { type: 'counsellor-answered' };
      const before = b.state.status;
      await this.event(b, event);
      // An answer that came too late (the other side gave up meanwhile) is hung up.
      if (b.state.status === before) await this.dropLeg(channelId);
    });
  }

  async onLegEvent(link: ChannelLink, e: TelephonyEvent): Promise<void> {
    const id = dialBackIdOf(link.callId);
    if (id === null) return;
    await this.d.calls.runOnCall(serialKey(id), async () => {
      const b = this.active.get(id);
      if (!b) {
        if (e.type === 'channel-destroyed' || e.type === 'channel-left') await this.d.liveCalls.unlink(link.channelId);
        return;
      }
      const isCounsellor = link.channelId === b.counsellorLeg;
      if (e.type === 'playback-finished' && isCounsellor) return this.event(b, { type: 'notice-done' });
      if (e.type !== 'channel-destroyed' && e.type !== 'channel-left') return;
      await this.d.liveCalls.unlink(link.channelId);
      if (isCounsellor) return this.event(b, { type: 'counsellor-gone' });
      const cause = e.type === 'channel-destroyed' ? e.causeText || String(e.cause) : 'left';
      return this.event(b, { type: 'caller-failed', cause });
    });
  }

  private async event(b: DialBack, e: DialBackEvent): Promise<void> {
    const step = handleDialBackEvent(b.state, e);
    const entered = step.state.status !== b.state.status;
    b.state = step.state;
    let noticeFailed = false;
    for (const c of step.commands) {
      await this.exec(b, c).catch((err: unknown) => {
        b.log.error({ err, command: c.type }, 'dial-back step failed');
        if (c.type === 'play-no-answer-notice') noticeFailed = true;
      });
    }
    if (entered && b.state.status === 'telling-counsellor') {
      // The counsellor is never left on a silent line: a notice that cannot play, or whose end
      // never arrives, ends the leg all the same.
      if (noticeFailed) return this.event(b, { type: 'notice-done' });
      b.guard = setTimeout(() => void this.d.calls.runOnCall(serialKey(b.id), () => this.event(b, { type: 'notice-done' })), NOTICE_GUARD_MS);
    }
    if (b.state.status === 'ended' || b.state.status === 'connected') {
      if (b.guard) clearTimeout(b.guard);
      this.active.delete(b.id);
      this.d.playbacks.forget(b.counsellorLeg);
      b.log.info({ outcome: b.state.outcome }, 'dial-back over');
    }
  }

  private async exec(b: DialBack, c: DialBackCommand): Promise<void> {
    const t = this.d.telephony;
    switch (c.type) {
      case 'bridge-counsellor':
        await t.createBridge(b.bridgeId, 'mixing', b.bridgeId);
        await t.addToBridge(b.bridgeId, [b.counsellorLeg]);
        await this.d.counsellors.apply(b.counsellorId, { type: 'answer', callId: b.callId }, true);
        return;
      case 'play-ringback':
        await t.play({ channelId: b.counsellorLeg }, [{ tone: 'ringback' }], this.d.playbacks.begin(b.counsellorLeg));
        return;
      case 'dial-caller': {
        await this.d.liveCalls.link({ channelId: b.callId, callId: b.callId, role: 'dialback' });
        b.log.info('counsellor answered; dialling the caller');
        const hotline = this.d.settings.hotlineNumber;
        await t.dialOut({
          channelId: b.callId, route: this.d.settings.dialTemplate.replace('{number}', b.callback.callerNumber),
          appArgs: ['dialback', b.id, 'caller'], callerId: { name: hotline, number: hotline }, timeoutSec: this.d.settings.callerRingSec,
        });
        return;
      }
      case 'stop-ringback': {
        const pb = this.d.playbacks.currentOf(b.counsellorLeg);
        this.d.playbacks.forget(b.counsellorLeg);
        if (pb) await t.stopPlayback(pb);
        return;
      }
      case 'connect-caller':
        return this.connect(b);
      case 'play-no-answer-notice': {
        b.log.info({ outcome: 'caller-no-answer' }, 'the caller did not answer; telling the counsellor');
        const language = b.callback.routing.language ?? this.d.settings.defaultLanguage;
        await t.play({ channelId: b.counsellorLeg }, promptsIn(language, [NO_ANSWER_NOTICE]), this.d.playbacks.begin(b.counsellorLeg));
        return;
      }
      case 'hang-up-caller-leg':
        return this.dropLeg(b.callId);
      case 'hang-up-counsellor-leg':
        return this.dropLeg(b.counsellorLeg);
      case 'destroy-bridge':
        await t.destroyBridge(b.bridgeId);
        return;
      case 'finish-callback':
        await b.callback.finish();
        return;
      case 'return-callback':
        await b.callback.giveBack(b.state.outcome ?? 'counsellor-no-answer');
        return;
      case 'release-counsellor':
        await this.d.store.releaseCounsellor(b.counsellorId, b.id);
        await this.d.counsellors.apply(b.counsellorId, c.answered ? { type: 'call-ended', callId: b.callId } : { type: 'offer-withdrawn', callId: b.callId }, true);
        return;
    }
  }

  /** A leg of ours that nobody needs: its link goes first, so its last events find nothing to act on. */
  private async dropLeg(channelId: string): Promise<void> {
    await this.d.liveCalls.unlink(channelId);
    await this.d.telephony.hangup(channelId);
  }

  /** The caller answered: bridge them, and from now on the call is an ordinary connected call. */
  private async connect(b: DialBack): Promise<void> {
    const now = this.d.clock.now().toISOString();
    const cb = b.callback;
    // Born connected: the router gives it its phase ('adopted-connected').
    await this.d.calls.adoptConnected({
      callId: b.callId, channelId: b.callId, line: cb.routing.line, dialled: cb.dialled, callerNumber: cb.callerNumber, startedAt: now,
      ivr: null, routing: cb.routing, counsellorId: b.counsellorId, counsellorChannelId: b.counsellorLeg,
      bridgeId: b.bridgeId, offerId: b.id, extraChannels: [],
    });
    await this.d.liveCalls.unlink(b.callId);
    await this.d.liveCalls.link({ channelId: b.counsellorLeg, callId: b.callId, role: 'counsellor' });
    await this.d.telephony.addToBridge(b.bridgeId, [b.callId]);
    await this.d.records.open({ callId: b.callId, line: cb.routing.line, dialled: cb.dialled, callerNumber: cb.callerNumber, startedAt: now });
    await this.d.records.update(b.callId, {
      answeredAt: now, connectedAt: now, counsellorId: b.counsellorId, need: cb.routing.need, language: cb.routing.language,
      highRisk: cb.routing.highRisk, line: cb.routing.line, path: [],
    });
    b.log.info({ counsellorId: b.counsellorId }, 'callback connected: caller and counsellor bridged');
    this.d.notifier.publish({ type: 'call-changed', callId: b.callId });
  }

  /**
   * After a restart: dial-backs that were still ringing are not carried on (the counsellor hears
   * ringing, or nothing, and nobody is waiting for them). Their legs are hung up, the counsellor's
   * claim and state are freed, and the callback's hold lapses by itself, so it is pending again.
   * Runs before the queue's resync, which would otherwise withdraw the offer and forget its id.
   */
  async resync(calls: LiveCall[], inApp: Set<string>, log: Logger): Promise<void> {
    const connected = new Set(calls.map((c) => c.callId));
    for (const c of await this.d.store.listCounsellors()) {
      const id = dialBackIdOf(c.callId);
      if (id === null || this.active.has(id)) continue;
      const legs = dialBackLegs(id);
      const callId = legs.callId;
      if (connected.has(callId)) continue;
      log.warn({ counsellorId: c.id, callId }, 'dial-back interrupted by a restart; freeing the counsellor');
      for (const leg of [legs.counsellorLeg, legs.callId]) {
        await this.d.liveCalls.unlink(leg);
        if (inApp.has(leg)) await this.d.telephony.hangup(leg).catch(() => undefined);
      }
      await this.d.telephony.destroyBridge(legs.bridgeId).catch(() => undefined);
      await this.d.store.releaseCounsellor(c.id, id);
      const event = c.status === 'offered' ? { type: 'offer-withdrawn' as const, callId } : { type: 'call-ended' as const, callId };
      await this.d.counsellors.apply(c.id, event, true);
    }
  }

  /** On shutdown: only timers stop. Legs stay with Asterisk; the next start's resync frees them. */
  shutdown(): void {
    for (const b of this.active.values()) if (b.guard) clearTimeout(b.guard);
  }
}
