import type { LiveCall } from '../../ports/live-calls.ts';
import type { QueuedCaller } from '../../ports/queue-store.ts';
import type { OfferManager, ConnectProgress } from './offer-manager.ts';
import { HOLDING_BRIDGE, logQueueEvent, type QueueContext } from './queue-context.ts';
import type { WaitingTimers } from './waiting-timers.ts';

/** A counsellor's answered leg of an offer. */
export interface AnsweredLeg { counsellorId: string; offerId: string; channelId: string }

/**
 * The hand-off's last step, once a counsellor has answered and the caller may hear them: both into
 * the call's mixing bridge, or, when the counsellor's leg went first, the caller back to their
 * place in the queue. The queue service decides when (at once, or after the privacy notice).
 */
export class HandOff {
  constructor(private readonly ctx: QueueContext, private readonly offers: OfferManager, private readonly timers: WaitingTimers) {}

  /** Caller and counsellor into one mixing bridge: the hand-off is done. */
  async bridge(call: LiveCall, caller: QueuedCaller, leg: AnsweredLeg): Promise<void> {
    const { callId } = call;
    const { counsellorId, offerId, channelId } = leg;
    this.timers.stop(callId);
    const current = this.ctx.playbacks.currentOf(callId);
    if (current) {
      this.ctx.playbacks.forget(callId);
      await this.ctx.telephony.stopPlayback(current);
    }
    // The whisper, if it is still going, stops as the caller comes in.
    for (const whisper of this.ctx.playbacks.forget(channelId)) await this.ctx.telephony.stopPlayback(whisper);
    const bridgeId = `call-${callId}`;
    if (!this.ctx.calls.transition(call, 'answered')) {
      // Handed to the dialplan while the others were withdrawn: this counsellor is let go too.
      await this.releaseAnswer(callId, counsellorId, offerId, channelId);
      return;
    }
    call.counsellorId = counsellorId;
    call.counsellorChannelId = channelId;
    call.bridgeId = bridgeId;
    await this.ctx.liveCalls.save(call);
    const progress: ConnectProgress = { leftHolding: false };
    try {
      // A caller connected again (after an escalation or a transfer) may find Asterisk still holding
      // the call's first bridge, kept a moment by its recording: the offer's own id is the spare.
      const used = await this.offers.connect(callId, bridgeId, call.channelId, channelId, progress, `call-${callId}-${offerId}`);
      if (used !== bridgeId) {
        call.bridgeId = used;
        await this.ctx.liveCalls.save(call);
      }
    } catch (err) {
      // The bridge to undo is the one made, which is the spare when the first id was taken.
      if (progress.bridgeId) call.bridgeId = progress.bridgeId;
      if (await this.counsellorLeftBeforeBridge(call, caller, leg, err, progress.leftHolding)) return;
      throw err;
    }
    await this.ctx.store.removeCaller(callId);
    await this.ctx.store.releaseCaller(callId, offerId);
    await this.ctx.counsellors.apply(counsellorId, { type: 'answer', callId }, true);
    const waitMs = this.ctx.clock.now().getTime() - caller.enqueuedAt;
    await this.ctx.records.update(callId, { connectedAt: this.ctx.clock.now().toISOString(), counsellorId });
    await logQueueEvent(this.ctx, 'connect', callId, counsellorId, { waitMs, offerId });
    this.ctx.calls.logFor(callId).info({ counsellorId, waitMs }, 'caller connected to counsellor');
    this.ctx.notifier.publish({ type: 'queue-changed' });
    this.ctx.notifier.publish({ type: 'call-changed', callId });
  }

  /**
   * The bridge could not be made because the counsellor's leg is gone (they hung up between their
   * answer and the bridge, as phones that answer and drop at once do under load): the caller, still
   * on the line, goes back to their place in the queue and is offered again, instead of being handed
   * to the dialplan, whose "line unavailable" and retries a caller need only when the service fails.
   * False (nothing undone) when the counsellor's leg is still there or the caller is gone: the
   * failure then takes the usual path (the caller who hung up is closed, anyone else is handed over).
   */
  private async counsellorLeftBeforeBridge(call: LiveCall, caller: QueuedCaller, leg: AnsweredLeg, err: unknown, leftHolding: boolean): Promise<boolean> {
    const { callId } = call;
    const { counsellorId, offerId, channelId } = leg;
    // A PBX that does not answer tells nothing: the failure takes the usual path.
    const legs = await Promise.all([this.ctx.telephony.getChannel(channelId), this.ctx.telephony.getChannel(call.channelId)]).catch(() => null);
    if (!legs || legs[0] !== null || legs[1] === null) return false;
    const log = this.ctx.calls.logFor(callId);
    log.warn({ err: (err as Error).message, counsellorId }, 'counsellor left before the bridge was made; the caller goes back to their place in the queue');
    await this.ctx.liveCalls.unlink(channelId);
    await this.ctx.telephony.destroyBridge(call.bridgeId ?? `call-${callId}`);
    call.counsellorId = null;
    call.counsellorChannelId = null;
    call.bridgeId = null;
    call.offerId = null;
    await this.ctx.store.releaseCaller(callId, offerId);
    await this.ctx.store.releaseCounsellor(counsellorId, offerId);
    await this.ctx.counsellors.apply(counsellorId, { type: 'offer-withdrawn', callId }, true);
    await logQueueEvent(this.ctx, 'no-answer', callId, counsellorId, { offerId, cause: 'counsellor-left-before-bridge' });
    // Refused only for a call being handed to the dialplan: the fallback has the caller then.
    if (!this.ctx.calls.transition(call, 'requeued')) return true;
    // Back to waiting as after an unanswered offer: same entry, same place, no new prompt; kept
    // cheap (no listing of the holding bridge, no playback), since it happens most under load.
    // Other counsellors are preferred next, this one only if nobody else is free.
    const declinedBy = caller.declinedBy.includes(counsellorId) ? caller.declinedBy : [...caller.declinedBy, counsellorId];
    const waiting: QueuedCaller = { ...caller, state: 'waiting', offeredTo: [], offerId: null, declinedBy };
    await this.ctx.store.putCaller(waiting);
    await this.ctx.liveCalls.save(call);
    if (leftHolding) await this.ctx.telephony.addToBridge(HOLDING_BRIDGE, [call.channelId]);
    this.timers.start(waiting);
    this.ctx.notifier.publish({ type: 'queue-changed' });
    void this.offers.dispatch();
    return true;
  }

  /** A counsellor answered an offer the call no longer stands by: their leg goes, they are free. */
  async releaseAnswer(callId: string, counsellorId: string, offerId: string, channelId: string): Promise<void> {
    await this.ctx.liveCalls.unlink(channelId);
    await this.ctx.telephony.hangup(channelId);
    await this.ctx.store.releaseCounsellor(counsellorId, offerId);
    await this.ctx.counsellors.apply(counsellorId, { type: 'offer-withdrawn', callId }, true);
  }
}
