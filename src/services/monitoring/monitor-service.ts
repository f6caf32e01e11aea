import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { sipIdentities, type Roster } from '../../config/roster.ts';
import { planMonitor, type MonitorMode } from '../../domain/monitoring/monitor-modes.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { AuditLog, Principal } from '../../ports/auth.ts';
import type { ChannelLink, LiveCall, LiveCalls } from '../../ports/live-calls.ts';
import type { Telephony, TelephonyEvent } from '../../ports/telephony.ts';
import type { SupervisionStore } from '../../ports/supervision-store.ts';
import type { MonitorSession } from '../../wire/supervision.ts';
import type { CallHandle } from '../calls/call-handle.ts';
import type { CallFeature } from '../calls/call-service.ts';

export interface MonitorDeps {
  telephony: Telephony;
  calls: CallHandle;
  liveCalls: LiveCalls;
  audit: AuditLog;
  roster: () => Roster;
  /** Sessions in progress, kept so that a restarted service can end or carry them on. */
  store: SupervisionStore;
  /** The number the supervisor's phone shows (the hotline's). */
  hotlineNumber: string;
}

/** Listen, whisper and barge: the supervisor's own phone rings, then joins through a snoop or the call bridge. */
export class MonitorService implements CallFeature {
  readonly roles = ['supervisor', 'snoop'] as const;
  private readonly sessions = new Map<string, MonitorSession>();

  constructor(private readonly d: MonitorDeps) {}

  list(): MonitorSession[] {
    return [...this.sessions.values()];
  }

  get(id: string): MonitorSession | undefined {
    return this.sessions.get(id);
  }

  async start(callId: string, mode: MonitorMode, who: Principal): Promise<MonitorSession> {
    const call = this.d.calls.getCall(callId);
    if (!call || !call.counsellorChannelId || !call.bridgeId) throw new ConflictError('call-not-connected', 'only a call with a counsellor can be monitored');
    const person = this.d.roster().staff.find((s) => s.id === who.userId);
    if (!person?.sipUser) throw new NotFoundError('no-sip-account', 'you have no phone on the roster to listen with');
    const ids = sipIdentities(person.sipUser);
    const web = (await this.d.telephony.endpointStates('PJSIP')).find((e) => e.resource === ids.web && e.state === 'online');
    const id = randomBytes(4).toString('hex');
    const plan = planMonitor(mode);
    const session: MonitorSession = {
      id, callId, mode, supervisorId: who.userId, supervisorChannelId: `sup-${id}`, snoopChannelId: plan.snoop ? `snoop-${id}` : null,
      bridgeId: null, snoop: plan.snoop, state: 'ringing',
    };
    this.sessions.set(id, session);
    await this.d.store.putMonitor(session);
    await this.d.audit.append({ actor: who.userId, role: who.role, action: `monitor-${mode}`, callId, data: { sessionId: id, counsellorId: call.counsellorId } });
    await this.d.liveCalls.link({ channelId: session.supervisorChannelId, callId, role: 'supervisor' });
    await this.d.telephony.ringPhone({
      channelId: session.supervisorChannelId, phone: web ? ids.web : ids.phone, appArgs: ['supervisor', callId, id],
      callerId: { name: `监听 ${mode} ${call.line}`, number: this.d.hotlineNumber }, timeoutSec: 30,
    });
    return session;
  }

  async stop(id: string, who: Principal): Promise<void> {
    const s = this.sessions.get(id);
    if (!s) throw new NotFoundError('no-such-monitor-session', 'no such monitoring session');
    await this.d.audit.append({ actor: who.userId, role: who.role, action: 'monitor-stop', callId: s.callId, data: { sessionId: id } });
    await this.end(s);
  }

  async onLegEntered(args: string[], channelId: string, log: Logger): Promise<void> {
    const [role, callId = '', id = ''] = args;
    const s = this.sessions.get(id);
    if (role !== 'supervisor' && role !== 'snoop') return;
    if (!s || s.state === 'ended') {
      await this.d.telephony.hangup(channelId);
      return;
    }
    const call = this.d.calls.getCall(callId);
    if (!call?.bridgeId || !call.counsellorChannelId) {
      await this.end(s);
      return;
    }
    if (role === 'supervisor') await this.supervisorAnswered(s, call, log);
    else await this.snoopReady(s);
  }

  private async supervisorAnswered(s: MonitorSession, call: LiveCall, log: Logger): Promise<void> {
    if (!s.snoop) {
      await this.d.telephony.addToBridge(call.bridgeId as string, [s.supervisorChannelId]);
      s.state = 'active';
      await this.d.store.putMonitor(s);
      log.info({ sessionId: s.id }, 'supervisor barged in');
      return;
    }
    await this.d.liveCalls.link({ channelId: s.snoopChannelId as string, callId: call.callId, role: 'snoop' });
    await this.d.telephony.snoop(call.counsellorChannelId as string, {
      snoopId: s.snoopChannelId as string, spy: s.snoop.spy, whisper: s.snoop.whisper, appArgs: ['snoop', call.callId, s.id],
    });
  }

  private async snoopReady(s: MonitorSession): Promise<void> {
    s.bridgeId = `monitor-${s.id}`;
    await this.d.telephony.createBridge(s.bridgeId, 'mixing', s.bridgeId);
    await this.d.telephony.addToBridge(s.bridgeId, [s.snoopChannelId as string, s.supervisorChannelId]);
    s.state = 'active';
    await this.d.store.putMonitor(s);
  }

  private async end(s: MonitorSession): Promise<void> {
    if (s.state === 'ended') return;
    s.state = 'ended';
    for (const ch of [s.supervisorChannelId, s.snoopChannelId]) {
      if (!ch) continue;
      await this.d.liveCalls.unlink(ch);
      await this.d.telephony.hangup(ch);
    }
    if (s.bridgeId) await this.d.telephony.destroyBridge(s.bridgeId);
    this.sessions.delete(s.id);
    await this.d.store.removeMonitor(s.id);
  }

  async onLegEvent(link: ChannelLink, e: TelephonyEvent): Promise<void> {
    if (e.type !== 'channel-destroyed' && e.type !== 'channel-left') return;
    const s = [...this.sessions.values()].find((x) => x.supervisorChannelId === link.channelId || x.snoopChannelId === link.channelId);
    if (s) await this.end(s);
  }

  async onCallerGone(call: LiveCall): Promise<void> {
    for (const s of [...this.sessions.values()]) if (s.callId === call.callId) await this.end(s);
  }

  /**
   * After a restart: sessions kept in the store whose call goes on and whose supervisor leg is
   * still there carry on; the others are ended (their legs hung up, their bridge destroyed), so no
   * snoop or supervisor leg is left listening to nobody.
   */
  async resync(calls: LiveCall[], inApp: Set<string>, log: Logger): Promise<void> {
    for (const s of await this.d.store.listMonitors()) {
      if (this.sessions.has(s.id)) continue;
      this.sessions.set(s.id, s);
      const live = calls.some((c) => c.callId === s.callId);
      if (live && inApp.has(s.supervisorChannelId) && s.state === 'active') {
        log.info({ sessionId: s.id, callId: s.callId }, 'monitoring session carried on');
        continue;
      }
      log.info({ sessionId: s.id, callId: s.callId }, 'monitoring session ended after the restart');
      await this.end(s).catch((err: unknown) => log.warn({ err, sessionId: s.id }, 'could not end a monitoring session'));
    }
  }
}
