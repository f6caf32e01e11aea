/** The dashboard's data holder: loaders for each resource, the supervisor's actions, rendering. */
import { ApiError, errorMessage, type Api } from '../shared/api.ts';
import { byId, setText, show, toast } from '../shared/dom.ts';
import { t } from '../shared/i18n.ts';
import { renderLive } from '../shared/status-bar.ts';
import type { CallbacksResponse, ClaimCallbackResponse } from '../../../src/wire/callbacks.ts';
import type { ActiveCallsResponse } from '../../../src/wire/calls.ts';
import type { CounsellorListResponse, StateChangeRequest } from '../../../src/wire/counsellors.ts';
import type { HotlineEvent } from '../../../src/wire/events.ts';
import type { QueueResponse, QueueStatsResponse, RaisePriorityRequest } from '../../../src/wire/queue.ts';
import type { AlertsResponse, MonitorMode, MonitorRequest, MonitorStartResponse } from '../../../src/wire/supervision.ts';
import {
  activeCallRows,
  alertKey,
  callbackRows,
  applySupervisorEvent,
  bannerAlert,
  counsellorRows,
  escalationLook,
  initialSupervisorData,
  queueRows,
  type SupervisorData,
  type SupervisorResource,
} from './model.ts';
import { renderAlerts, renderStats } from './stats-view.ts';
import { renderCallbacks } from '../shared/callbacks-view.ts';
import { renderActiveCalls, renderCounsellors, renderQueue } from './tables-view.ts';

const enc = encodeURIComponent;

export class Board {
  data: SupervisorData = initialSupervisorData();

  constructor(private readonly api: Api) {}

  set(patch: Partial<SupervisorData>): void {
    this.data = { ...this.data, ...patch };
    this.render();
  }

  applyEvent(ev: HotlineEvent): void {
    this.data = applySupervisorEvent(this.data, ev, Date.now());
    this.render();
  }

  readonly loaders: Record<SupervisorResource, () => Promise<void>> = {
    queue: async () => {
      const r = await this.api.get<QueueResponse>('/api/queue');
      this.set({ queue: r.waiting, queueFetchedAt: Date.now() });
    },
    counsellors: async () => {
      const r = await this.api.get<CounsellorListResponse>('/api/counsellors');
      this.set({ counsellors: r.counsellors });
    },
    calls: async () => {
      const r = await this.api.get<ActiveCallsResponse>('/api/calls/active');
      const monitor = this.data.monitor && r.calls.some((c) => c.callId === this.data.monitor?.callId) ? this.data.monitor : null;
      this.set({ calls: r.calls, monitor });
    },
    stats: async () => {
      const r = await this.api.get<QueueStatsResponse>('/api/queue/stats');
      this.set({ stats: r.stats });
    },
    alerts: async () => {
      const r = await this.api.get<AlertsResponse>('/api/alerts');
      this.set({ alerts: r.alerts });
    },
    callbacks: async () => {
      const r = await this.api.get<CallbacksResponse>('/api/callbacks');
      this.set({ callbacks: r.callbacks });
    },
  };

  render(): void {
    const d = this.data;
    const queue = queueRows(d.queue);
    renderQueue(byId('queue-body'), queue, d.queueFetchedAt);
    setText(byId('queue-count'), String(queue.length));
    renderCounsellors(byId('counsellors-body'), counsellorRows(d.counsellors));
    renderActiveCalls(byId('active-calls-body'), activeCallRows(d));
    setText(byId('escalation-count'), String(d.calls.filter((c) => escalationLook(c.escalation) === 'alarm').length));
    const callbacks = callbackRows(d.callbacks);
    renderCallbacks(byId('callbacks-body'), callbacks, { id: 'callback-claim', label: t('claimCallback'), enabled: true });
    setText(byId('callbacks-count'), String(callbacks.length));
    const claimed = d.claimedCallback;
    show(byId('callback-claimed'), claimed !== null);
    const [claimedRow] = claimed ? callbackRows([claimed]) : [];
    setText(byId('callback-claimed'), claimedRow ? t('callbackClaimed', { number: claimedRow.callerNumber, line: claimedRow.line, need: claimedRow.need, language: claimedRow.language }) : '');
    renderStats(d.stats);
    renderAlerts(d.alerts, bannerAlert(d.alerts, d.dismissedAlert));
    renderLive(d.live, d.pbxConnected);
  }

  dismissBanner(): void {
    const banner = bannerAlert(this.data.alerts, this.data.dismissedAlert);
    if (banner) this.set({ dismissedAlert: alertKey(banner) });
  }

  /** The supervisor's own phone rings first; once answered they hear (or join) the call. */
  async monitor(callId: string, mode: MonitorMode): Promise<void> {
    if (this.data.monitor) return;
    await this.attempt(async () => {
      const r = await this.api.post<MonitorStartResponse>(`/api/calls/${enc(callId)}/monitor`, { mode } satisfies MonitorRequest);
      this.set({ monitor: { callId, session: r.session } });
      toast(t('monitorRinging', { mode: t(mode) }));
    });
  }

  async stopMonitor(): Promise<void> {
    const m = this.data.monitor;
    if (!m) return;
    await this.attempt(async () => {
      await this.api.delete(`/api/monitor/${enc(m.session.id)}`);
      this.set({ monitor: null });
    });
  }

  async counsellorAction(id: string, action: 'pause' | 'resume' | 'logout'): Promise<void> {
    await this.attempt(async () => {
      await this.api.post(`/api/counsellors/${enc(id)}/state`, (action === 'pause' ? { action, reason: 'supervisor' } : { action }) satisfies StateChangeRequest);
      await this.loaders.counsellors();
    });
  }

  async raisePriority(callId: string, priority: RaisePriorityRequest['priority']): Promise<void> {
    await this.attempt(async () => {
      await this.api.post(`/api/queue/${enc(callId)}/priority`, { priority } satisfies RaisePriorityRequest);
      await this.loaders.queue();
    });
  }

  /** Takes a pending callback (audited): the full number is shown to this supervisor to dial. */
  async claimCallback(jobId: string): Promise<void> {
    try {
      const r = await this.api.post<ClaimCallbackResponse>(`/api/callbacks/${enc(jobId)}/claim`, {});
      this.set({ claimedCallback: r.callback });
    } catch (e) {
      // Someone else was quicker: say so plainly; the list below is refreshed either way.
      if (e instanceof ApiError && e.code === 'callback-taken') toast(t('callbackTaken'), 'info');
      else toast(t('requestFailed', { message: errorMessage(e) }), 'error');
    }
    await this.attempt(() => this.loaders.callbacks());
  }

  private async attempt(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      console.warn(e);
      toast(t('requestFailed', { message: errorMessage(e) }), 'error');
    }
  }
}
