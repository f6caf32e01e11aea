import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { PRIORITY } from '../../domain/calls/routing-request.ts';
import {
  handleTransfer, isTransferOpen, startTransfer, type TransferCommand, type TransferEvent, type TransferMode, type TransferState, type TransferStatus,
} from '../../domain/transfer/transfer-machine.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { AuditLog, Principal } from '../../ports/auth.ts';
import type { CallRecords } from '../../ports/call-records.ts';
import type { ChannelLink, LiveCall, LiveCalls } from '../../ports/live-calls.ts';
import type { Notifier } from '../../ports/notifier.ts';
import type { QueueStore } from '../../ports/queue-store.ts';
import type { Telephony, TelephonyEvent } from '../../ports/telephony.ts';
import type { CallHandle } from '../calls/call-handle.ts';
import { openStateOf } from '../calls/open-state.ts';
import type { CallFeature } from '../calls/call-service.ts';
import { MOH_CLASS } from '../calls/media.ts';
import type { CounsellorService } from '../queue/counsellor-service.ts';

export type { TransferMode };

/** colleague-<token>-<counsellor id> → its parts. */
export function parseColleagueChannel(channelId: string): { token: string; counsellorId: string } | null {
  const m = /^colleague-([0-9a-f]{8})-(.+)$/.exec(channelId);
  return m ? { token: m[1] as string, counsellorId: m[2] as string } : null;
}

/** The bridge a caller holds in (music on hold) while their counsellor consults a colleague. */
export const holdBridgeOf = (callId: string): string => `transfer-hold-${callId}`;

/** Longer than the colleague's ring time: a guard for a ring whose end was never reported. */
const RING_GUARD_EXTRA_MS = 3000;

export interface TransferDeps {
  telephony: Telephony; calls: CallHandle; liveCalls: LiveCalls; store: QueueStore; counsellors: CounsellorService; audit: AuditLog;
  records: CallRecords; notifier: Notifier; ringTimeoutMs: number;
  /** The number the colleague's phone shows (the hotline's). */
  hotlineNumber: string;
}

/**
 * Carries out the transfer machine (domain/transfer/transfer-machine.ts) on a live call: the
 * caller holds in a bridge of their own with music while the colleague rings and, for a warm
 * transfer, while the counsellor and the colleague talk in the call's bridge. The call is in the
 * phase 'transferring' throughout; every end puts the caller with someone or in the queue.
 */
export class TransferService implements CallFeature {
  readonly roles = ['colleague', 'counsellor'] as const;
  /** Open transfers by call id. */
  private readonly active = new Map<string, TransferState>();
  /** Colleague legs not yet ended, and whether they answered (their part ends as a call or a missed ring). */
  private readonly legs = new Map<string, boolean>();
  private readonly guards = new Map<string, NodeJS.Timeout>();
  /**
   * Calls whose caller's holding bridge we made and have not destroyed yet. Destroyed once only: a
   * second DELETE while Asterisk dissolves it (its music leg going) is refused with 409, not 404.
   */
  private readonly holdBridges = new Set<string>();

  constructor(private readonly d: TransferDeps) {
    d.calls.events.answer('colleague-to-promote', (call) => this.promoteColleague(call));
  }

  /** The open transfer of a call, for the console and supervisors. */
  activeFor(callId: string): { id: string; mode: TransferMode; status: TransferStatus; colleagueId: string } | null {
    const s = this.active.get(callId);
    return s ? { id: s.colleagueLeg, mode: s.mode, status: s.status, colleagueId: s.colleagueId } : null;
  }

  async transfer(callId: string, to: string, mode: TransferMode, who: Principal): Promise<{ id: string }> {
    return this.onCall(callId, async (call) => {
      if (this.active.has(callId) || call.phase === 'transferring') throw new ConflictError('transfer-in-progress', 'a transfer is already running on this call');
      if (call.phase !== 'connected' || !call.bridgeId || !call.counsellorChannelId) throw new ConflictError('call-not-connected', 'only a call with a counsellor can be transferred');
      if (to === call.counsellorId) throw new ConflictError('same-counsellor', 'that counsellor is already on the call');
      const target = await this.d.counsellors.get(to);
      if (!target) throw new NotFoundError('no-such-counsellor', `no counsellor ${to}`);
      const phone = this.d.counsellors.phoneOf(to);
      if (target.status !== 'available' || !phone) throw new ConflictError('counsellor-not-available', `${to} is not available`);
      const token = randomBytes(4).toString('hex');
      if (!(await this.d.store.claim(`transfer-${callId}-${token}`, [to], token))) throw new ConflictError('counsellor-not-available', `${to} was just taken`);
      const leg = `colleague-${token}-${to}`;
      // Connected was checked above with nothing between that could move the call (its own turn).
      if (!this.d.calls.transition(call, 'transfer-started')) {
        await this.d.store.releaseCounsellor(to, token);
        throw new ConflictError('call-not-connected', 'only a call with a counsellor can be transferred');
      }
      await this.d.audit.append({ actor: who.userId, role: who.role, action: `transfer-${mode}`, callId, target: to });
      const step = startTransfer({ id: token, callId, mode, colleagueId: to, colleagueLeg: leg });
      this.d.calls.logFor(callId).info({ colleague: to, mode, by: who.userId }, 'transfer started');
      await this.apply(call, step.state, step.commands, phone);
      return { id: leg };
    });
  }

  /** Warm: the counsellor hands the caller to the colleague they consulted. */
  complete(callId: string, who: Principal): Promise<{ status: TransferStatus }> {
    return this.request(callId, { type: 'complete' }, who);
  }

  /** The colleague is let go; the caller is back with the counsellor. */
  cancel(callId: string, who: Principal): Promise<{ status: TransferStatus }> {
    return this.request(callId, { type: 'cancel' }, who);
  }

  private request(callId: string, event: TransferEvent, who: Principal): Promise<{ status: TransferStatus }> {
    return this.onCall(callId, async (call) => {
      const state = this.stateOf(call);
      if (!state) throw new NotFoundError('no-transfer', 'no transfer is running on this call');
      const step = handleTransfer(state, event);
      if (step.refused === 'transfer-not-consulting') throw new ConflictError('transfer-not-consulting', 'the colleague has not answered yet: cancel, or wait for them');
      if (step.refused) throw new NotFoundError('no-transfer', 'the transfer is over');
      await this.d.audit.append({ actor: who.userId, role: who.role, action: `transfer-${event.type}`, callId, target: state.colleagueId });
      await this.apply(call, step.state, step.commands);
      return { status: step.state.status };
    });
  }

  /** Runs `work` in the call's turn and hands its result or error back to the HTTP caller. */
  private async onCall<T>(callId: string, work: (call: LiveCall) => Promise<T>): Promise<T> {
    let result: { value: T } | undefined;
    let failure: unknown;
    await this.d.calls.runOnCall(callId, async () => {
      const call = this.d.calls.getCall(callId);
      if (!call) {
        failure = new NotFoundError('no-such-call', 'no such live call');
        return;
      }
      try {
        result = { value: await work(call) };
      } catch (err) {
        failure = err;
      }
    });
    if (failure !== undefined) throw failure;
    if (!result) throw new NotFoundError('no-such-call', 'no such live call');
    return result.value;
  }

  /** In memory, or (first event after a restart) as stored with the call. */
  private stateOf(call: LiveCall): TransferState | undefined {
    return openStateOf(this.active, call.callId, call.transfer, isTransferOpen);
  }

  private async event(call: LiveCall, event: TransferEvent, log: Logger): Promise<void> {
    const state = this.stateOf(call);
    if (!state) return;
    const step = handleTransfer(state, event);
    log.info({ event: event.type, from: state.status, to: step.state.status }, 'transfer event');
    await this.apply(call, step.state, step.commands);
  }

  private async apply(call: LiveCall, state: TransferState, commands: TransferCommand[], phone?: string): Promise<void> {
    if (isTransferOpen(state)) this.active.set(call.callId, state);
    else this.active.delete(call.callId);
    // Stored with the call before anything is carried out: a restart in between resumes from here.
    call.transfer = isTransferOpen(state) ? state : null;
    await this.d.liveCalls.save(call);
    const log = this.d.calls.logFor(call.callId);
    for (const c of commands) {
      try {
        await this.exec(call, state, c, log, phone);
      } catch (err) {
        log.error({ err, command: c.type }, 'transfer step failed');
        // A colleague who cannot be reached is a colleague who is gone: the caller comes back.
        if (c.type === 'ring-colleague' || c.type === 'join-colleague') {
          await this.d.telephony.hangup(c.leg).catch(() => undefined);
          await this.event(call, { type: 'colleague-gone', cause: 'error' }, log);
          return;
        }
      }
    }
    this.d.notifier.publish({ type: 'call-changed', callId: call.callId });
  }

  private async exec(call: LiveCall, state: TransferState, c: TransferCommand, log: Logger, phone?: string): Promise<void> {
    const hold = holdBridgeOf(call.callId);
    switch (c.type) {
      case 'hold-caller':
        this.holdBridges.add(call.callId);
        await this.d.telephony.createBridge(hold, 'holding', hold);
        await this.d.telephony.startBridgeMoh(hold, MOH_CLASS);
        if (call.bridgeId) await this.d.telephony.removeFromBridge(call.bridgeId, [call.channelId]);
        await this.d.telephony.addToBridge(hold, [call.channelId]);
        return;
      case 'ring-colleague': {
        if (!phone) throw new Error('no phone to ring');
        this.legs.set(c.leg, false);
        await this.d.counsellors.apply(state.colleagueId, { type: 'offer', callId: call.callId });
        await this.d.liveCalls.link({ channelId: c.leg, callId: call.callId, role: 'colleague' });
        this.guards.set(c.leg, setTimeout(() => void this.ringTimedOut(call.callId, c.leg), this.d.ringTimeoutMs + RING_GUARD_EXTRA_MS));
        await this.d.telephony.ringPhone({
          channelId: c.leg, phone, appArgs: ['colleague', call.callId, state.colleagueId, state.id],
          callerId: { name: `转接 ${call.line}/${call.routing?.need ?? ''}`, number: this.d.hotlineNumber },
          timeoutSec: Math.max(1, Math.round(this.d.ringTimeoutMs / 1000)),
        });
        return;
      }
      case 'join-colleague':
        this.clearGuard(c.leg);
        if (!call.bridgeId) throw new Error('call has no bridge');
        this.legs.set(c.leg, true);
        await this.d.telephony.addToBridge(call.bridgeId, [c.leg]);
        await this.d.counsellors.apply(state.colleagueId, { type: 'answer', callId: call.callId }, true);
        call.extraChannels = [...call.extraChannels.filter((x) => x !== c.leg), c.leg];
        await this.d.liveCalls.save(call);
        log.info({ colleague: state.colleagueId, mode: state.mode }, 'colleague joined the call');
        return;
      case 'unhold-caller':
        await this.d.telephony.removeFromBridge(hold, [call.channelId]);
        if (call.bridgeId) await this.d.telephony.addToBridge(call.bridgeId, [call.channelId]);
        await this.dropHold(call.callId);
        return;
      case 'hangup-colleague':
        this.clearGuard(c.leg);
        await this.d.telephony.hangup(c.leg);
        return;
      case 'release-counsellor':
        await this.releaseCounsellor(call, c.hangup, log);
        return;
      case 'promote-colleague': {
        call.counsellorId = state.colleagueId;
        call.counsellorChannelId = c.leg;
        call.offerId = state.id;
        call.extraChannels = call.extraChannels.filter((x) => x !== c.leg);
        this.legs.delete(c.leg);
        // From now on the colleague's leg is the call's counsellor leg: the queue ends the call when it goes.
        await this.d.liveCalls.link({ channelId: c.leg, callId: call.callId, role: 'counsellor' });
        await this.d.liveCalls.save(call);
        await this.d.records.update(call.callId, { counsellorId: state.colleagueId });
        log.info({ counsellorId: state.colleagueId }, 'colleague took over the call');
        return;
      }
      case 'requeue-caller':
        await this.requeue(call, log);
        return;
      case 'finished':
        this.clearGuard(state.colleagueLeg);
        log.info({ outcome: c.outcome, colleague: state.colleagueId }, 'transfer finished');
        if (call.phase === 'transferring' && this.d.calls.transition(call, 'transfer-ended')) await this.d.liveCalls.save(call);
        if (c.outcome !== 'caller-left') {
          await this.d.audit.append({ actor: 'system', role: 'system', action: `transfer-${c.outcome}`, callId: call.callId, target: state.colleagueId });
        }
        await this.dropHold(call.callId);
        return;
    }
  }

  /** The counsellor's part ends: claim released, state to wrap-up, leg hung up if asked. */
  private async releaseCounsellor(call: LiveCall, hangup: boolean, log: Logger): Promise<void> {
    const counsellorId = call.counsellorId;
    const leg = call.counsellorChannelId;
    call.counsellorId = null;
    call.counsellorChannelId = null;
    await this.d.liveCalls.save(call);
    if (leg) {
      await this.d.liveCalls.unlink(leg);
      // A refused hang-up must neither keep the counsellor on-call nor fail the transfer (the
      // caller is with the colleague): the counsellor is freed, their phone ends its own leg.
      if (hangup) await this.d.telephony.hangup(leg).catch((err: unknown) => log.warn({ err: (err as Error).message, leg }, 'could not hang up the counsellor\'s leg; freeing them anyway'));
    }
    if (!counsellorId) return;
    if (call.offerId) await this.d.store.releaseCounsellor(counsellorId, call.offerId);
    await this.d.counsellors.apply(counsellorId, { type: 'call-ended', callId: call.callId }, true);
    log.info({ counsellorId }, 'counsellor left the transferred call');
  }

  /** Nobody to take the caller: the front of the queue, by their first entry time and a raised priority. */
  private async requeue(call: LiveCall, log: Logger): Promise<void> {
    await this.d.telephony.removeFromBridge(holdBridgeOf(call.callId), [call.channelId]);
    await this.dropHold(call.callId);
    if (call.bridgeId) await this.d.telephony.destroyBridge(call.bridgeId);
    call.bridgeId = null;
    call.counsellorId = null;
    call.offerId = null;
    // Refused only for a call being handed to the dialplan: the fallback has the caller, not the queue.
    if (!this.d.calls.transition(call, 'requeued')) return;
    if (call.routing) call.routing = { ...call.routing, priority: Math.max(call.routing.priority, PRIORITY.highRisk), announce: [] };
    const enqueuedAt = call.queuedAt ?? Date.parse(call.startedAt);
    log.warn({ enqueuedAt }, 'transfer failed with nobody left on the call; caller back at the front of the queue');
    await this.d.calls.events.emit('caller-requeued', { call, enqueuedAt });
  }

  /** The caller's holding bridge goes, once. */
  private async dropHold(callId: string): Promise<void> {
    if (!this.holdBridges.delete(callId)) return;
    await this.d.telephony.destroyBridge(holdBridgeOf(callId));
  }

  private async ringTimedOut(callId: string, leg: string): Promise<void> {
    this.guards.delete(leg);
    await this.d.calls.runOnCall(callId, async () => {
      const call = this.d.calls.getCall(callId);
      if (call && this.stateOf(call)?.colleagueLeg === leg) await this.event(call, { type: 'ring-timeout' }, this.d.calls.logFor(callId));
    });
  }

  private clearGuard(leg: string): void {
    const t = this.guards.get(leg);
    if (t) clearTimeout(t);
    this.guards.delete(leg);
  }

  async onLegEntered(args: string[], channelId: string, log: Logger): Promise<void> {
    if (args[0] !== 'colleague') return;
    const callId = args[1] ?? '';
    await this.d.calls.runOnCall(callId, async () => {
      const call = this.d.calls.getCall(callId);
      const state = call ? this.stateOf(call) : undefined;
      if (!call || !state || state.colleagueLeg !== channelId) {
        log.info({ callId }, 'colleague answered a transfer that is over; hanging up');
        await this.d.telephony.hangup(channelId);
        return;
      }
      await this.event(call, { type: 'colleague-answered' }, log);
    });
  }

  async onLegEvent(link: ChannelLink, e: TelephonyEvent, log: Logger): Promise<void> {
    if (e.type !== 'channel-destroyed' && e.type !== 'channel-left') return;
    if (link.role === 'counsellor') {
      await this.d.calls.runOnCall(link.callId, async () => {
        const call = this.d.calls.getCall(link.callId);
        if (call?.phase === 'transferring' && call.counsellorChannelId === link.channelId) await this.event(call, { type: 'counsellor-gone' }, log);
      });
      return;
    }
    const parsed = parseColleagueChannel(link.channelId);
    if (!parsed) return;
    await this.d.calls.runOnCall(link.callId, async () => {
      this.clearGuard(link.channelId);
      const answered = this.legs.get(link.channelId) ?? false;
      this.legs.delete(link.channelId);
      await this.d.liveCalls.unlink(link.channelId);
      await this.d.store.releaseCounsellor(parsed.counsellorId, parsed.token);
      await this.d.counsellors.apply(parsed.counsellorId, answered ? { type: 'call-ended', callId: link.callId } : { type: 'no-answer', callId: link.callId }, true);
      const call = this.d.calls.getCall(link.callId);
      if (call) {
        call.extraChannels = call.extraChannels.filter((x) => x !== link.channelId);
        await this.d.liveCalls.save(call);
      }
      log.info({ colleague: parsed.counsellorId, answered }, 'colleague leg ended');
      if (call && this.stateOf(call)?.colleagueLeg === link.channelId) {
        await this.event(call, { type: 'colleague-gone', cause: e.type === 'channel-destroyed' ? e.causeText : 'left' }, log);
      }
    });
  }

  /** When the call's counsellor leaves, a colleague on the call takes over (the queue asks). */
  promoteColleague(call: LiveCall): { channelId: string; counsellorId: string; token: string } | null {
    const channelId = call.extraChannels.find((x) => x.startsWith('colleague-'));
    const parsed = channelId ? parseColleagueChannel(channelId) : null;
    if (!channelId || !parsed) return null;
    call.extraChannels = call.extraChannels.filter((x) => x !== channelId);
    return { channelId, ...parsed };
  }

  async onCallerGone(call: LiveCall, log: Logger): Promise<void> {
    if (this.stateOf(call)) await this.event(call, { type: 'caller-gone' }, log);
    this.active.delete(call.callId);
    // The queue ends the counsellor's part and the call's bridge; with the counsellor gone already, the bridge is ours to end.
    if (!call.counsellorId && call.bridgeId) await this.d.telephony.destroyBridge(call.bridgeId);
    await this.dropHold(call.callId);
    for (const ch of call.extraChannels.filter((x) => x.startsWith('colleague-'))) await this.d.telephony.hangup(ch);
  }

  /**
   * After a restart or reconnect: what happened to the legs while we were away is fed to the
   * machine as the events they would have been (counsellor gone, colleague answered or gone).
   */
  async resync(calls: LiveCall[], inApp: Set<string>, log: Logger): Promise<void> {
    for (const stored of calls) {
      if (!stored.transfer || !isTransferOpen(stored.transfer) || this.active.has(stored.callId)) continue;
      await this.d.calls.runOnCall(stored.callId, async () => {
        const call = this.d.calls.getCall(stored.callId);
        if (!call || this.active.has(call.callId)) return;
        const state = this.stateOf(call);
        if (!state) return;
        const callLog = this.d.calls.logFor(call.callId);
        callLog.warn({ status: state.status }, 'transfer resumed after a restart');
        // The caller's holding bridge outlived the service (ARI bridges stay): it is still ours to end.
        this.holdBridges.add(call.callId);
        this.legs.set(state.colleagueLeg, state.colleagueAnswered);
        if (call.counsellorChannelId && !inApp.has(call.counsellorChannelId)) await this.event(call, { type: 'counsellor-gone' }, callLog);
        const now = this.stateOf(call);
        if (!now) return;
        const leg = inApp.has(now.colleagueLeg) ? await this.d.telephony.getChannel(now.colleagueLeg) : null;
        if (!leg) await this.event(call, { type: 'colleague-gone', cause: 'ended while the service was away' }, callLog);
        else if (now.status === 'ringing' && leg.state === 'Up') await this.event(call, { type: 'colleague-answered' }, callLog);
        else if (now.status === 'ringing') this.guards.set(now.colleagueLeg, setTimeout(() => void this.ringTimedOut(call.callId, now.colleagueLeg), this.d.ringTimeoutMs + RING_GUARD_EXTRA_MS));
      });
    }
    log.info({ transfers: this.active.size }, 'transfers resynced');
  }

  shutdown(): void {
    for (const t of this.guards.values()) clearTimeout(t);
    this.guards.clear();
  }
}
