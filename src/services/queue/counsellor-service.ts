import type { Logger } from 'pino';
import type { QueueSettings } from '../../config/queue-config.ts';
import { sipIdentities, type Roster } from '../../config/roster.ts';
import { newCounsellorSnapshot, transition } from '../../domain/routing/counsellor-state.ts';
import type { CounsellorEffect, CounsellorEvent } from '../../domain/routing/counsellor-events.ts';
import type { CounsellorProfile, CounsellorSnapshot } from '../../domain/routing/types.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Notifier } from '../../ports/notifier.ts';
import type { QueueEventLog } from '../../ports/queue-events.ts';
import type { QueueStore } from '../../ports/queue-store.ts';
import type { Telephony } from '../../ports/telephony.ts';
import type { CallEventBus } from '../calls/call-events.ts';
import { SerialExecutor } from '../calls/serial-executor.ts';

export interface CounsellorServiceDeps {
  store: QueueStore;
  telephony: Telephony;
  clock: Clock;
  events: QueueEventLog;
  notifier: Notifier;
  settings: QueueSettings;
  log: Logger;
  /** The router's bus: told when a counsellor may take a call, or an offer must stop ringing. */
  bus: CallEventBus;
}

/**
 * Counsellor state: the pure state machine decides, this service loads and stores snapshots,
 * tracks which SIP identity (phone or browser) is registered, and runs wrap-up timers.
 */
export class CounsellorService {
  private readonly serial: SerialExecutor;
  private readonly wrapUps = new Map<string, NodeJS.Timeout>();
  /** Registered SIP identities per counsellor: endpoint names like 1001 or web1001. */
  private readonly online = new Map<string, Set<string>>();
  private bySipName = new Map<string, string>();
  private profiles = new Map<string, CounsellorProfile>();

  constructor(private readonly d: CounsellorServiceDeps) {
    this.serial = new SerialExecutor((id, err) => d.log.error({ err, counsellorId: id }, 'counsellor update failed'));
  }

  /** Loads (or reloads, without a restart) the roster: new people appear offline, state is kept. */
  async loadRoster(roster: Roster): Promise<void> {
    const now = this.d.clock.now().getTime();
    this.profiles = new Map();
    this.bySipName = new Map();
    for (const c of roster.counsellors) {
      const ids = sipIdentities(c.sipUser);
      const profile: CounsellorProfile = {
        id: c.id, name: c.name, endpoint: `PJSIP/${ids.phone}`, skills: c.skills, languages: c.languages, team: c.team, level: c.level,
      };
      this.profiles.set(c.id, profile);
      this.bySipName.set(ids.phone, c.id);
      this.bySipName.set(ids.web, c.id);
      const existing = await this.d.store.getCounsellor(c.id);
      await this.d.store.putCounsellor(existing ? { ...existing, ...profile } : newCounsellorSnapshot(profile, now));
    }
    for (const s of await this.d.store.listCounsellors()) {
      if (!this.profiles.has(s.id) && s.status !== 'on-call') await this.d.store.removeCounsellor(s.id);
    }
    this.d.notifier.publish({ type: 'counsellor-changed', counsellorId: '*' });
  }

  /** Presence events for the roster's SIP identities (phone and browser of each counsellor). */
  async subscribePresence(): Promise<void> {
    await this.d.telephony.subscribeEndpoints([...this.bySipName.keys()].map((name) => `PJSIP/${name}`));
  }

  counsellorIdOfEndpoint(endpointName: string): string | undefined {
    return this.bySipName.get(endpointName);
  }

  /** The SIP account to ring: the browser console when it is registered, else the SIP phone. */
  phoneOf(counsellorId: string): string | null {
    const profile = this.profiles.get(counsellorId);
    const online = this.online.get(counsellorId);
    if (!profile || !online || online.size === 0) return null;
    const web = [...online].find((n) => n.startsWith('web'));
    return web ?? [...online][0] ?? null;
  }

  isRegistered(counsellorId: string): boolean {
    return (this.online.get(counsellorId)?.size ?? 0) > 0;
  }

  /** Registration changes from the PBX (endpoint state events or the initial listing). */
  async endpointState(endpointName: string, state: 'online' | 'offline' | 'unknown'): Promise<void> {
    const id = this.bySipName.get(endpointName);
    if (!id) return;
    const set = this.online.get(id) ?? new Set<string>();
    if (state === 'online') set.add(endpointName);
    else set.delete(endpointName);
    this.online.set(id, set);
    const registered = set.size > 0;
    const snap = await this.d.store.getCounsellor(id);
    // Compare with the stored snapshot, not with memory: after a restart memory starts empty.
    if (!snap || snap.registered === registered) return;
    this.d.log.info({ counsellorId: id, endpoint: endpointName, registered }, 'counsellor registration changed');
    const follow = this.d.settings.presenceFollowsRegistration;
    if (registered) {
      const s1 = await this.apply(id, { type: 'registration-restored' }, true);
      if (follow && s1.status === 'offline') await this.apply(id, { type: 'login' }, true);
    } else {
      const s1 = await this.apply(id, { type: 'registration-lost' }, true);
      if (follow && (s1.status === 'paused' || s1.status === 'available')) await this.apply(id, { type: 'logout' }, true);
    }
  }

  get(id: string): Promise<CounsellorSnapshot | null> {
    return this.d.store.getCounsellor(id);
  }

  list(): Promise<CounsellorSnapshot[]> {
    return this.d.store.listCounsellors();
  }

  /**
   * Applies one event through the pure state machine. `lenient` ignores invalid transitions
   * (presence noise); otherwise they surface as a 409 to the API caller.
   */
  apply(id: string, event: CounsellorEvent, lenient = false): Promise<CounsellorSnapshot> {
    return new Promise((resolve, reject) => {
      void this.serial.run(id, async () => {
        try {
          resolve(await this.applyNow(id, event, lenient));
        } catch (err) {
          reject(err);
        }
      });
    });
  }

  private async applyNow(id: string, event: CounsellorEvent, lenient: boolean): Promise<CounsellorSnapshot> {
    const snap = await this.d.store.getCounsellor(id);
    if (!snap) throw new NotFoundError('no-such-counsellor', `no counsellor ${id}`);
    const current = snap;
    const result = transition(current, event, this.d.clock.now().getTime(), {
      wrapUpMs: this.d.settings.wrapUpMs,
      maxMissedBeforePause: this.d.settings.maxMissedBeforePause,
    });
    if (!result.ok) {
      if (lenient) return current;
      throw new ConflictError(result.error.code, `cannot ${event.type} while ${current.status}`);
    }
    await this.d.store.putCounsellor(result.snapshot);
    this.d.log.info({ counsellorId: id, event: event.type, from: snap.status, to: result.snapshot.status }, 'counsellor state');
    for (const effect of result.effects) await this.effect(id, effect);
    this.d.notifier.publish({ type: 'counsellor-changed', counsellorId: id });
    return result.snapshot;
  }

  private async effect(id: string, e: CounsellorEffect): Promise<void> {
    switch (e.type) {
      case 'start-wrap-up-timer': {
        this.clearWrapUp(id);
        const t = setTimeout(() => void this.apply(id, { type: 'wrap-up-elapsed' }, true), e.ms);
        this.wrapUps.set(id, t);
        return;
      }
      case 'cancel-wrap-up-timer':
        this.clearWrapUp(id);
        return;
      case 'became-available':
        void this.d.bus.emit('counsellor-available', { counsellorId: id });
        return;
      case 'withdraw-offer':
        void this.d.bus.emit('offer-withdrawn', { counsellorId: id, callId: e.callId });
        return;
      case 'auto-paused':
        await this.d.events.append({ at: this.d.clock.now().toISOString(), type: 'auto-pause', counsellorId: id, data: { reason: e.reason } });
        this.d.notifier.publish({ type: 'alert', severity: 'warning', code: 'counsellor-auto-paused', message: `咨询员 ${id} 连续未接听，已自动暂停` });
        return;
      case 'offer-missed':
        return; // the queue service records the miss on the caller
    }
  }

  /** After a restart: wrap-ups that ran out while we were away end now, the rest get their timers back. */
  async resumeWrapUps(): Promise<void> {
    const now = this.d.clock.now().getTime();
    for (const s of await this.d.store.listCounsellors()) {
      if (s.status !== 'wrap-up') continue;
      const left = s.statusSince + this.d.settings.wrapUpMs - now;
      if (left <= 0) await this.apply(s.id, { type: 'wrap-up-elapsed' }, true);
      else this.wrapUps.set(s.id, setTimeout(() => void this.apply(s.id, { type: 'wrap-up-elapsed' }, true), left));
    }
  }

  private clearWrapUp(id: string): void {
    const t = this.wrapUps.get(id);
    if (t) clearTimeout(t);
    this.wrapUps.delete(id);
  }

  async shutdown(): Promise<void> {
    for (const t of this.wrapUps.values()) clearTimeout(t);
    this.wrapUps.clear();
    await this.serial.drain();
  }
}
