import type { HotlineEvent, Notifier } from '../../ports/notifier.ts';
import type { SupervisionStore } from '../../ports/supervision-store.ts';
import type { Alert } from '../../wire/supervision.ts';

/**
 * Keeps the most recent alerts for the dashboard (the stream shows them live), in the store too,
 * so that a restart of the service does not hide an alert nobody has dealt with yet.
 */
export class AlertLog {
  private alerts: Alert[] = [];

  constructor(notifier: Notifier, private readonly store: SupervisionStore, private readonly max = 200) {
    notifier.subscribe((e: HotlineEvent) => {
      if (e.type === 'alert') this.push({ at: new Date().toISOString(), severity: e.severity, code: e.code, message: e.message, ...(e.callId ? { callId: e.callId } : {}) });
      if (e.type === 'pbx' && !e.connected) this.push({ at: new Date().toISOString(), severity: 'critical', code: 'pbx-connection-lost', message: '与交换机（PBX）的连接已中断，通话仍由交换机保持' });
    });
  }

  /** Picks up the alerts kept before a restart (the newest first); a store that does not answer leaves the list as it is. */
  async load(): Promise<void> {
    const kept = await this.store.recentAlerts(this.max).catch(() => []);
    this.alerts = [...this.alerts, ...kept].slice(0, this.max);
  }

  private push(a: Alert): void {
    this.alerts.unshift(a);
    if (this.alerts.length > this.max) this.alerts.length = this.max;
    // Kept for the next start; an alert is never held back by a store that does not answer.
    void this.store.pushAlert(a, this.max).catch(() => undefined);
  }

  recent(): Alert[] {
    return [...this.alerts];
  }
}
