import { queuePolicy } from '../../config/queue-config.ts';
import { nextWideningAt } from '../../domain/routing/eligibility.ts';
import { hasAllSkills } from '../../domain/routing/eligibility.ts';
import { positionAnnouncement } from '../../domain/queue/announcements.ts';
import type { QueuedCaller } from '../../ports/queue-store.ts';
import { promptsIn } from '../calls/media.ts';
import { logQueueEvent, type QueueContext } from './queue-context.ts';

const AVERAGE_HANDLE_MS = 8 * 60_000;

/**
 * Per-caller timers while waiting: position announcements, the callback offer, overflow to any
 * counsellor when nobody with the caller's skills is signed in, and re-matching at widening times.
 */
export class WaitingTimers {
  private readonly timers = new Map<string, NodeJS.Timeout[]>();
  /** Callers who heard the callback offer (their key 1 now means "call me back"). */
  readonly callbackOffered = new Set<string>();

  constructor(private readonly ctx: QueueContext, private readonly dispatch: () => void) {}

  start(caller: QueuedCaller): void {
    this.stop(caller.callId);
    const q = this.ctx.config.queue;
    const now = this.ctx.clock.now().getTime();
    const waited = now - caller.enqueuedAt;
    const list: NodeJS.Timeout[] = [];
    list.push(setInterval(() => this.onCall(caller.callId, () => this.announce(caller.callId)), Math.max(5000, q.announceEveryMs)));
    const noOneQualified = !this.someoneQualifiedSignedIn(caller);
    list.push(setTimeout(() => this.onCall(caller.callId, () => this.offerCallback(caller.callId)), Math.max(0, (noOneQualified ? q.callbackOfferUnstaffedAfterMs : q.callbackOfferAfterMs) - waited)));
    if (caller.skills.length > 0 && !caller.overflowed) {
      list.push(setTimeout(() => this.onCall(caller.callId, () => this.overflow(caller.callId)), Math.max(0, q.overflowAfterMs - waited)));
    }
    this.timers.set(caller.callId, list);
    this.matchAtNextWidening(caller, list, now);
  }

  /**
   * Matching runs again at each instant the caller's eligible set widens (province, any team, any
   * counsellor), one after the other: a timer for the first alone left a caller at the province
   * stage until some other event came.
   */
  private matchAtNextWidening(caller: QueuedCaller, list: NodeJS.Timeout[], from: number): void {
    const widenAt = nextWideningAt(caller, queuePolicy(this.ctx.config.queue), from);
    if (widenAt === null) return;
    const inMs = Math.max(0, widenAt - this.ctx.clock.now().getTime()) + 50;
    list.push(setTimeout(() => {
      if (this.timers.get(caller.callId) !== list) return; // stopped meanwhile
      this.dispatch();
      // The board shows how far each caller's search has widened: it fetches the queue again.
      this.ctx.notifier.publish({ type: 'queue-changed' });
      this.matchAtNextWidening(caller, list, widenAt);
    }, inMs));
  }

  stop(callId: string): void {
    for (const t of this.timers.get(callId) ?? []) clearTimeout(t);
    this.timers.delete(callId);
    this.callbackOffered.delete(callId);
  }

  stopAll(): void {
    for (const id of [...this.timers.keys()]) this.stop(id);
  }

  private onCall(callId: string, task: () => Promise<void>): void {
    void this.ctx.calls.runOnCall(callId, async () => {
      const call = this.ctx.calls.getCall(callId);
      if (call && (call.phase === 'queued' || call.phase === 'offered')) await task();
    });
  }

  private async play(callId: string, prompts: string[]): Promise<void> {
    const call = this.ctx.calls.getCall(callId);
    const language = call?.routing?.language ?? this.ctx.config.defaultLanguage;
    if (!call || this.ctx.playbacks.currentOf(callId)) return; // never talk over a prompt
    const id = this.ctx.playbacks.begin(callId);
    await this.ctx.telephony.play({ channelId: call.channelId }, promptsIn(language, prompts), id);
  }

  private async announce(callId: string): Promise<void> {
    const callers = await this.ctx.store.listCallers();
    const position = callers.findIndex((c) => c.callId === callId) + 1;
    const me = callers[position - 1];
    if (!me || me.state !== 'waiting') return;
    const staffed = (await this.ctx.store.listCounsellors()).filter((c) => c.status !== 'offline' && c.languages.includes(me.language)).length;
    await this.play(callId, positionAnnouncement(position, staffed, AVERAGE_HANDLE_MS));
  }

  private async offerCallback(callId: string): Promise<void> {
    const me = await this.ctx.store.getCaller(callId);
    if (!me || me.callbackRequested) return;
    if (this.ctx.playbacks.currentOf(callId)) {
      // Never talk over a prompt, but do not lose the offer either: try again shortly.
      this.timers.get(callId)?.push(setTimeout(() => this.onCall(callId, () => this.offerCallback(callId)), 5000));
      return;
    }
    this.callbackOffered.add(callId);
    await this.play(callId, ['queue_callback_offer']);
  }

  private someoneQualifiedSignedIn(caller: QueuedCaller): boolean {
    return this.signedIn.some((c) => c.languages.includes(caller.language) && hasAllSkills(c.skills, caller.skills));
  }

  /** Counsellors signed in, refreshed by the queue service before timers start. */
  signedIn: Array<{ skills: string[]; languages: string[] }> = [];

  private async overflow(callId: string): Promise<void> {
    const me = await this.ctx.store.getCaller(callId);
    if (!me || me.state !== 'waiting') return;
    const counsellors = (await this.ctx.store.listCounsellors()).filter((c) => c.status !== 'offline');
    this.signedIn = counsellors;
    if (this.someoneQualifiedSignedIn(me)) return;
    await this.ctx.store.putCaller({ ...me, skills: [], overflowed: true });
    await logQueueEvent(this.ctx, 'overflow', callId, undefined, { skills: me.skills });
    this.ctx.calls.logFor(callId).info({ skills: me.skills }, 'no qualified counsellor signed in: any counsellor may answer');
    this.dispatch();
  }
}
