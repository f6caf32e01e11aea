import type { HotlineEvent, Notifier } from '../../ports/notifier.ts';
import type { Alert } from '../../wire/supervision.ts';

/** Keeps the most recent alerts for the dashboard (the stream shows them live). */
export class AlertLog {
  private readonly alerts: Alert[] = [];

  constructor(notifier: Notifier, private readonly max = 200) {
    notifier.subscribe((e: HotlineEvent) => {
      if (e.type === 'alert') this.push({ at: new Date().toISOString(), severity: e.severity, code: e.code, message: e.message, ...(e.callId ? { callId: e.callId } : {}) });
      if (e.type === 'pbx' && !e.connected) this.push({ at: new Date().toISOString(), severity: 'critical', code: 'pbx-connection-lost', message: '与交换机（PBX）的连接已中断，通话仍由交换机保持' });
    });
  }

  private push(a: Alert): void {
    this.alerts.unshift(a);
    if (this.alerts.length > this.max) this.alerts.length = this.max;
  }

  recent(): Alert[] {
    return [...this.alerts];
  }
}
