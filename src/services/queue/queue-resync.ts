import type { Logger } from 'pino';
import type { LiveCall } from '../../ports/live-calls.ts';
import type { OfferManager } from './offer-manager.ts';
import { HOLDING_BRIDGE, type QueueContext } from './queue-context.ts';
import type { WaitingTimers } from './waiting-timers.ts';

/** What the resync needs of the queue service. */
export interface QueueResyncParts {
  ctx: QueueContext;
  offers: OfferManager;
  timers: WaitingTimers;
  ensureHoldingBridge(force: boolean): Promise<void>;
  /** Puts a routed caller in the queue (with an earlier entry time when they had joined before). */
  enqueue(call: LiveCall, enqueuedAt?: number): Promise<void>;
  /** Ends (or, in an escalation, keeps) a connected call whose counsellor leg is gone. */
  counsellorLeft(call: LiveCall, log: Logger): Promise<void>;
}

/**
 * After a restart or reconnect, from what the store says and what Asterisk still holds: waiting
 * callers resume in their original order, ringing offers are withdrawn (matching rings again),
 * calls whose counsellor left meanwhile end, and counsellor state follows the registrations.
 */
export async function resyncQueue(q: QueueResyncParts, calls: LiveCall[], inApp: Set<string>, log: Logger): Promise<void> {
  await q.ensureHoldingBridge(true);
  q.timers.signedIn = (await q.ctx.store.listCounsellors()).filter((c) => c.status !== 'offline');
  await resumeWaitingCallers(q, calls, inApp, log);
  await requeueInterrupted(q, calls, inApp, log);
  for (const call of calls) {
    if ((call.phase === 'connected' || call.phase === 'escalating') && call.counsellorChannelId && !inApp.has(call.counsellorChannelId)) {
      await q.counsellorLeft(call, log);
    }
  }
  await resyncCounsellors(q, calls);
  await q.offers.dispatch();
}

async function resumeWaitingCallers(q: QueueResyncParts, calls: LiveCall[], inApp: Set<string>, log: Logger): Promise<void> {
  const { ctx } = q;
  // Callers still in the holding bridge stay as they are: adding a channel to the bridge it is in
  // waits on the channel (up to the REST timeout, for every caller) while it hears a prompt.
  const holding = new Set((await ctx.telephony.listBridges()).find((b) => b.id === HOLDING_BRIDGE)?.channels ?? []);
  for (const caller of await ctx.store.listCallers()) {
    const call = calls.find((c) => c.callId === caller.callId);
    if (!call || !inApp.has(call.channelId)) {
      await ctx.store.removeCaller(caller.callId);
      continue;
    }
    // Refused (logged) for a call past waiting, e.g. connected before its queue entry was removed:
    // it is left as it is rather than pulled away from its counsellor into the holding bridge.
    if (!ctx.calls.transition(call, 'resumed-waiting')) continue;
    if (caller.offerId) {
      await q.offers.withdraw(caller.callId, caller.offerId, caller.offeredTo);
      await ctx.store.releaseCaller(caller.callId, caller.offerId);
    }
    const fresh = { ...caller, state: 'waiting' as const, offeredTo: [], offerId: null };
    await ctx.store.putCaller(fresh);
    call.offerId = null;
    await ctx.liveCalls.save(call);
    if (!holding.has(call.channelId)) await ctx.telephony.addToBridge(HOLDING_BRIDGE, [call.channelId]).catch(() => undefined);
    q.timers.start(fresh);
    log.info({ callId: caller.callId }, 'waiting caller resumed');
  }
}

/**
 * Callers routed to the queue whose joining was cut short (the PBX went away mid-step): they are
 * in Stasis, marked queued, but not in the store. They join again, ahead by their arrival time.
 */
async function requeueInterrupted(q: QueueResyncParts, calls: LiveCall[], inApp: Set<string>, log: Logger): Promise<void> {
  for (const call of calls) {
    if ((call.phase !== 'queued' && call.phase !== 'offered') || !call.routing || !inApp.has(call.channelId)) continue;
    if (await q.ctx.store.getCaller(call.callId)) continue;
    log.warn({ callId: call.callId }, 'caller was joining the queue when the PBX went away; joining again');
    if (!q.ctx.calls.transition(call, 'resumed-waiting')) continue;
    call.offerId = null;
    await q.ctx.calls.runOnCall(call.callId, () => q.enqueue(call, Date.parse(call.startedAt)));
  }
}

/** Offers nobody rings any more are withdrawn, wrap-ups resume, presence is read afresh. */
async function resyncCounsellors(q: QueueResyncParts, calls: LiveCall[]): Promise<void> {
  const { ctx } = q;
  for (const c of await ctx.store.listCounsellors()) {
    if (c.status === 'offered' && !calls.some((k) => k.callId === c.callId && k.phase === 'offered')) {
      await ctx.counsellors.apply(c.id, { type: 'offer-withdrawn', ...(c.callId ? { callId: c.callId } : {}) }, true);
    }
  }
  await ctx.counsellors.resumeWrapUps();
  // Subscribe before reading the states: a phone that registers in between is then seen by its
  // event, where the other order left it offline until it registered again.
  await ctx.counsellors.subscribePresence();
  for (const ep of await ctx.telephony.endpointStates('PJSIP')) {
    await ctx.counsellors.endpointState(ep.resource, ep.state === 'online' ? 'online' : 'offline');
  }
}
