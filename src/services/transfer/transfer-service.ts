import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { AuditLog, Principal } from '../../ports/auth.ts';
import type { ChannelLink, LiveCall, LiveCalls } from '../../ports/live-calls.ts';
import type { QueueStore } from '../../ports/queue-store.ts';
import type { Telephony, TelephonyEvent } from '../../ports/telephony.ts';
import type { CallHandle } from '../calls/call-handle.ts';
import type { CallFeature } from '../calls/call-service.ts';
import type { CounsellorService } from '../queue/counsellor-service.ts';

export type TransferMode = 'warm' | 'blind';

/** colleague-<token>-<counsellor id> → its parts. */
export function parseColleagueChannel(channelId: string): { token: string; counsellorId: string } | null {
  const m = /^colleague-([0-9a-f]{8})-(.+)$/.exec(channelId);
  return m ? { token: m[1] as string, counsellorId: m[2] as string } : null;
}

/**
 * Bringing in a colleague (legal aid, a supervisor's pick) on a live call. The caller is never
 * left alone: the colleague joins the call's bridge first. 'warm' keeps all three together;
 * 'blind' hands the call over to the colleague as soon as they answer.
 */
export class TransferService implements CallFeature {
  readonly roles = ['colleague'] as const;
  private readonly modes = new Map<string, TransferMode>();

  constructor(private readonly d: {
    telephony: Telephony; calls: CallHandle; liveCalls: LiveCalls; store: QueueStore; counsellors: CounsellorService; audit: AuditLog; ringTimeoutMs: number;
    /** The number the colleague's phone shows (the hotline's). */
    hotlineNumber: string;
  }) {
    d.calls.events.answer('colleague-to-promote', (call) => this.promoteColleague(call));
  }

  async transfer(callId: string, to: string, mode: TransferMode, who: Principal): Promise<{ id: string }> {
    const call = this.d.calls.getCall(callId);
    if (!call || call.phase !== 'connected' || !call.bridgeId) throw new ConflictError('call-not-connected', 'only a call with a counsellor can be transferred');
    if (to === call.counsellorId) throw new ConflictError('same-counsellor', 'that counsellor is already on the call');
    const target = await this.d.counsellors.get(to);
    if (!target) throw new NotFoundError('no-such-counsellor', `no counsellor ${to}`);
    const phone = this.d.counsellors.phoneOf(to);
    if (target.status !== 'available' || !phone) throw new ConflictError('counsellor-not-available', `${to} is not available`);
    const token = randomBytes(4).toString('hex');
    if (!(await this.d.store.claim(`transfer-${callId}-${token}`, [to], token))) throw new ConflictError('counsellor-not-available', `${to} was just taken`);
    const channelId = `colleague-${token}-${to}`;
    this.modes.set(channelId, mode);
    await this.d.counsellors.apply(to, { type: 'offer', callId });
    await this.d.liveCalls.link({ channelId, callId, role: 'colleague' });
    await this.d.audit.append({ actor: who.userId, role: who.role, action: `transfer-${mode}`, callId, target: to });
    await this.d.telephony.ringPhone({
      channelId, phone, appArgs: ['colleague', callId, to, token],
      callerId: { name: `转接 ${call.line}/${call.routing?.need ?? ''}`, number: this.d.hotlineNumber },
      timeoutSec: Math.max(1, Math.round(this.d.ringTimeoutMs / 1000)),
    });
    return { id: channelId };
  }

  async onLegEntered(args: string[], channelId: string, log: Logger): Promise<void> {
    if (args[0] !== 'colleague') return;
    const [, callId = '', to = ''] = args;
    await this.d.calls.runOnCall(callId, async () => {
      const call = this.d.calls.getCall(callId);
      if (!call?.bridgeId || (call.phase !== 'connected' && call.phase !== 'escalating')) {
        await this.d.telephony.hangup(channelId);
        return;
      }
      await this.d.telephony.addToBridge(call.bridgeId, [channelId]);
      await this.d.counsellors.apply(to, { type: 'answer', callId }, true);
      call.extraChannels = [...call.extraChannels, channelId];
      await this.d.liveCalls.save(call);
      log.info({ colleague: to, mode: this.modes.get(channelId) }, 'colleague joined the call');
      if (this.modes.get(channelId) === 'blind' && call.counsellorChannelId) {
        // Hand over: the queue promotes the colleague when the first counsellor's leg goes.
        await this.d.telephony.hangup(call.counsellorChannelId);
      }
    });
  }

  async onLegEvent(link: ChannelLink, e: TelephonyEvent, log: Logger): Promise<void> {
    if (e.type !== 'channel-destroyed' && e.type !== 'channel-left') return;
    const parsed = parseColleagueChannel(link.channelId);
    if (!parsed) return;
    this.modes.delete(link.channelId);
    await this.d.calls.runOnCall(link.callId, async () => {
      const call = this.d.calls.getCall(link.callId);
      const joined = call?.extraChannels.includes(link.channelId) ?? false;
      if (call && joined) {
        call.extraChannels = call.extraChannels.filter((x) => x !== link.channelId);
        await this.d.liveCalls.save(call);
      }
      await this.d.liveCalls.unlink(link.channelId);
      await this.d.store.releaseCounsellor(parsed.counsellorId, parsed.token);
      await this.d.counsellors.apply(parsed.counsellorId, joined ? { type: 'call-ended', callId: link.callId } : { type: 'no-answer', callId: link.callId }, true);
      log.info({ colleague: parsed.counsellorId, joined }, 'colleague leg ended');
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

  async onCallerGone(call: LiveCall): Promise<void> {
    for (const ch of call.extraChannels.filter((x) => x.startsWith('colleague-'))) await this.d.telephony.hangup(ch);
  }
}
