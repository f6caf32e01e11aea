import { randomBytes } from 'node:crypto';
import { PbxOperationError } from '../../errors.ts';
import type { Logger } from 'pino';
import { hotlineNumber } from '../../config/hotline-config.ts';
import { queuePolicy } from '../../config/queue-config.ts';
import { planOffers } from '../../domain/routing/matcher.ts';
import type { Offer, QueuePolicy } from '../../domain/routing/types.ts';
import type { QueuedCaller } from '../../ports/queue-store.ts';
import { ringFailedOnPbxSide } from '../../domain/routing/ring-failure.ts';
import { runBounded } from './bounded-pass.ts';
import { HOLDING_BRIDGE, logQueueEvent, offerChannelId, type QueueContext } from './queue-context.ts';

/**
 * Matching and offering: asks the pure matcher who should ring, claims caller and counsellor
 * atomically in the store, rings the counsellor, and settles the offer on answer or no answer.
 */
/** How far `OfferManager.connect` got, for the undoing of a connection that failed half-way. */
export interface ConnectProgress {
  /** The caller has left the holding bridge. */
  leftHolding: boolean;
  /** The bridge created for the call (the spare id when the first was taken). */
  bridgeId?: string;
}

export class OfferManager {
  private running = false;
  private again = false;
  private pass: Promise<void> | null = null;
  /** A failed pass (Redis or ARI away) is retried by itself: no event may come to retry it. */
  private retry: NodeJS.Timeout | null = null;
  private failures = 0;
  /** A counsellor became free since the last pass began: the next pass reads both lists at once. */
  private counsellorFreed = false;
  private readonly ringGuards = new Map<string, NodeJS.Timeout>();

  /** `isReady` holds back a caller who is still hearing the privacy notice. */
  constructor(private readonly ctx: QueueContext, private readonly isReady: (callId: string) => boolean = () => true) {}

  private policy(): QueuePolicy {
    return queuePolicy(this.ctx.config.queue);
  }

  /**
   * Runs matching now; calls while it runs coalesce into one more pass. `counsellorFree`: a
   * counsellor just became available, so someone is very likely ringable (see dispatchOnce).
   */
  async dispatch(opts: { counsellorFree?: boolean } = {}): Promise<void> {
    if (opts.counsellorFree) this.counsellorFreed = true;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    let done = () => {};
    this.pass = new Promise<void>((resolve) => (done = resolve));
    try {
      do {
        this.again = false;
        await this.dispatchOnce();
      } while (this.again);
      this.failures = 0;
    } catch (err) {
      const inMs = Math.min(250 * 2 ** this.failures++, 5000);
      this.ctx.log.error({ err, retryInMs: inMs }, 'dispatch failed; retrying');
      this.retry ??= setTimeout(() => {
        this.retry = null;
        void this.dispatch();
      }, inMs);
    } finally {
      this.running = false;
      this.pass = null;
      done();
    }
  }

  /**
   * Resolves when the matching pass running now (if any) is over, or after `maxMs`: a pass that
   * offers the very caller whose turn awaits here waits for that turn, so the wait is bounded.
   */
  async settled(maxMs = 500): Promise<void> {
    if (!this.pass) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.pass, new Promise<void>((resolve) => (timer = setTimeout(resolve, maxMs)))]);
    clearTimeout(timer);
  }

  private async dispatchOnce(): Promise<void> {
    // Counsellors first: with nobody free, as while a queue builds up, the waiting callers are not
    // read at all. Reading them whole on every arrival made filling a queue of n cost O(n²).
    // When a counsellor was just freed (a hand-off) someone is ringable anyway: both lists are
    // read at once, which saves the hand-off two Redis round trips.
    const both = this.counsellorFreed;
    this.counsellorFreed = false;
    const callersRead = both ? this.ctx.store.listCallers() : null;
    // A read that is not awaited because nobody is ringable must not become an unhandled rejection.
    callersRead?.catch(() => undefined);
    const counsellors = await this.ctx.store.listCounsellors();
    const ringable = counsellors.filter((c) => c.status === 'available' && this.ctx.counsellors.phoneOf(c.id));
    if (ringable.length === 0) return;
    const callers = await (callersRead ?? this.ctx.store.listCallers());
    const waiting = callers.filter((c) => c.state === 'waiting' && this.ctx.calls.getCall(c.callId) && this.isReady(c.callId));
    if (waiting.length === 0) return;
    const byId = new Map(waiting.map((c) => [c.callId, c]));
    // One plan names each caller and each counsellor once (planOffers), so its offers touch
    // disjoint calls and counsellors and may ring together: each still runs on its own caller's
    // executor. They start in queue order (the longest-waiting caller's first), a bounded number
    // at a time; rung one after another, a pass of n offers took n originates (the chaos surge).
    const plan = planOffers(waiting, ringable, this.policy(), this.ctx.clock.now().getTime());
    await runBounded(plan, this.ctx.config.queue.offerConcurrency, async (offer) => {
      const caller = byId.get(offer.callId);
      if (caller) await this.ctx.calls.runOnCall(caller.callId, () => this.offer(caller, offer.counsellorIds, offer));
    });
  }

  /**
   * `how.widened`: the counsellors are not a match for the caller's need or language (see
   * anyCounsellorAfterMs); `how.teamWidened`: they are outside the caller's local team.
   */
  private async offer(caller: QueuedCaller, counsellorIds: string[], how: Pick<Offer, 'widened' | 'teamWidened'> = {}): Promise<void> {
    const call = this.ctx.calls.getCall(caller.callId);
    if (!call || (call.phase !== 'queued' && call.phase !== 'offered')) return;
    const offerId = randomBytes(4).toString('hex');
    if (!(await this.ctx.store.claim(caller.callId, counsellorIds, offerId))) return;
    const log = this.ctx.calls.logFor(caller.callId);
    if (!this.ctx.calls.transition(call, 'offered')) {
      // The call moved on during the claim (handed to the dialplan): nobody is rung, the claim is let go.
      await this.ctx.store.releaseCaller(caller.callId, offerId);
      for (const id of counsellorIds) await this.ctx.store.releaseCounsellor(id, offerId);
      return;
    }
    call.offerId = offerId;
    // Independent keys: written together, the counsellor's phone rings one round trip sooner.
    await Promise.all([this.ctx.store.putCaller({ ...caller, state: 'offered', offeredTo: counsellorIds, offerId }), this.ctx.liveCalls.save(call)]);
    const waitSec = Math.round((this.ctx.clock.now().getTime() - caller.enqueuedAt) / 1000);
    for (const id of counsellorIds) {
      await this.ring(caller, id, offerId, waitSec, log, how);
    }
    this.ctx.notifier.publish({ type: 'queue-changed' });
  }

  private async ring(caller: QueuedCaller, counsellorId: string, offerId: string, waitSec: number, log: Logger, how: Pick<Offer, 'widened' | 'teamWidened'>): Promise<void> {
    const widened = how.widened === true;
    const reach = { ...(widened ? { widened: true } : {}), ...(how.teamWidened ? { teamWidened: how.teamWidened } : {}) };
    const phone = this.ctx.counsellors.phoneOf(counsellorId);
    const channelId = offerChannelId(offerId, counsellorId);
    try {
      if (!phone) throw new Error('counsellor has no registered phone');
      // The link is in place before the originate, whose events look it up; a failed state
      // change lands in the catch below, whose no-answer path removes the link again.
      await Promise.all([
        this.ctx.counsellors.apply(counsellorId, { type: 'offer', callId: caller.callId }),
        this.ctx.liveCalls.link({ channelId, callId: caller.callId, role: 'counsellor' }),
      ]);
      const ringMs = this.ctx.config.queue.ringTimeoutMs;
      const label = `${caller.highRisk ? '!高危 ' : ''}${caller.line}/${caller.need} ${waitSec}s`;
      await this.ctx.telephony.ringPhone({
        channelId,
        phone,
        appArgs: ['counsellor', caller.callId, counsellorId, offerId],
        callerId: { name: label, number: hotlineNumber(this.ctx.config) },
        timeoutSec: Math.max(1, Math.round(ringMs / 1000)),
        call: { callId: caller.callId, line: caller.line, need: caller.need, language: caller.language, waitSec, highRisk: caller.highRisk },
      });
      // Asterisk ends an unanswered originate itself; this guard covers a lost event.
      this.ringGuards.set(channelId, setTimeout(() => void this.ringExpired(caller.callId, channelId), ringMs + 5000));
      // Supervisors see in the queue events when a caller was offered beyond their need, language or team.
      await logQueueEvent(this.ctx, 'offer', caller.callId, counsellorId, { offerId, waitMs: waitSec * 1000, ...reach });
      this.ctx.notifier.publish({ type: 'offer', callId: caller.callId, counsellorId });
      log.info({ counsellorId, offerId, phone, ...reach }, widened ? 'offer ringing (any counsellor: no match free)' : 'offer ringing');
    } catch (err) {
      log.warn({ err, counsellorId }, 'could not ring counsellor; treating as no answer');
      await this.noAnswer(caller.callId, counsellorId, offerId, 'originate-failed');
    }
  }

  private async ringExpired(callId: string, channelId: string): Promise<void> {
    this.ringGuards.delete(channelId);
    await this.ctx.calls.runOnCall(callId, async () => {
      const call = this.ctx.calls.getCall(callId);
      if (call?.phase === 'offered') await this.ctx.telephony.hangup(channelId);
    });
  }

  clearGuard(channelId: string): void {
    const t = this.ringGuards.get(channelId);
    if (t) clearTimeout(t);
    this.ringGuards.delete(channelId);
  }

  /** The offer to this counsellor ended unanswered: the caller keeps their place. */
  async noAnswer(callId: string, counsellorId: string, offerId: string, cause: string): Promise<void> {
    this.clearGuard(offerChannelId(offerId, counsellorId));
    const caller = await this.ctx.store.getCaller(callId);
    if (caller && caller.offerId === offerId) {
      const offeredTo = caller.offeredTo.filter((id) => id !== counsellorId);
      const declinedBy = caller.declinedBy.includes(counsellorId) ? caller.declinedBy : [...caller.declinedBy, counsellorId];
      const next = { ...caller, offeredTo, declinedBy, ...(offeredTo.length === 0 ? { state: 'waiting' as const, offerId: null } : {}) };
      await this.ctx.store.putCaller(next);
      if (offeredTo.length === 0) {
        await this.ctx.store.releaseCaller(callId, offerId);
        const call = this.ctx.calls.getCall(callId);
        if (call && call.phase === 'offered' && this.ctx.calls.transition(call, 'offer-withdrawn')) {
          call.offerId = null;
          await this.ctx.liveCalls.save(call);
        }
      }
    }
    await this.ctx.store.releaseCounsellor(counsellorId, offerId);
    await this.ctx.liveCalls.unlink(offerChannelId(offerId, counsellorId));
    // The PBX could not ring them (ports exhausted, congestion): not the counsellor's miss.
    const pbxSide = ringFailedOnPbxSide(cause);
    await this.ctx.counsellors.apply(counsellorId, pbxSide ? { type: 'offer-withdrawn', callId } : { type: 'no-answer', callId }, true);
    await logQueueEvent(this.ctx, 'no-answer', callId, counsellorId, { offerId, cause, ...(pbxSide ? { pbxSide: true } : {}) });
    this.ctx.notifier.publish({ type: 'queue-changed' });
    void this.dispatch();
  }

  /** Stops ringing every counsellor of an offer (caller left, or another counsellor answered). */
  async withdraw(callId: string, offerId: string, counsellorIds: string[]): Promise<void> {
    for (const id of counsellorIds) {
      const channelId = offerChannelId(offerId, id);
      this.clearGuard(channelId);
      await this.ctx.liveCalls.unlink(channelId);
      await this.ctx.telephony.hangup(channelId);
      await this.ctx.store.releaseCounsellor(id, offerId);
      await this.ctx.counsellors.apply(id, { type: 'offer-withdrawn', callId }, true);
    }
  }

  /**
   * Moves the caller from the holding bridge into a call bridge with the counsellor. `progress`
   * tells a failure's handler whether the caller had left the holding bridge already.
   */
  async connect(callId: string, bridgeId: string, callerChannel: string, counsellorChannel: string, progress: ConnectProgress = { leftHolding: false }, spareBridgeId?: string): Promise<string> {
    const used = await this.createCallBridge(callId, bridgeId, spareBridgeId);
    progress.bridgeId = used;
    await this.ctx.telephony.removeFromBridge(HOLDING_BRIDGE, [callerChannel]);
    progress.leftHolding = true;
    await this.ctx.telephony.addToBridge(used, [callerChannel, counsellorChannel]);
    return used;
  }

  /**
   * Creates the call's bridge. If Asterisk still holds one of that id (an earlier bridge of this
   * call, being torn down), the spare id is used instead of failing the hand-off. Returns the id.
   */
  private async createCallBridge(callId: string, bridgeId: string, spareBridgeId?: string): Promise<string> {
    try {
      await this.ctx.telephony.createBridge(bridgeId, 'mixing', `call-${callId}`);
      return bridgeId;
    } catch (err) {
      if (!spareBridgeId || !(err instanceof PbxOperationError && err.details?.status === 409)) throw err;
      this.ctx.calls.logFor(callId).info({ bridgeId, spareBridgeId }, 'a bridge of that id is still there; the call gets a new one');
      await this.ctx.telephony.createBridge(spareBridgeId, 'mixing', `call-${callId}`);
      return spareBridgeId;
    }
  }

  shutdown(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    for (const t of this.ringGuards.values()) clearTimeout(t);
    this.ringGuards.clear();
  }
}
