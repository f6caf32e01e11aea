import type { SupervisionStore } from '../../src/ports/supervision-store.ts';
import type { Alert, MonitorSession } from '../../src/wire/supervision.ts';
import { jsonCopy } from './clone.ts';

/** Alerts and monitoring sessions in memory, as the Redis adapter keeps them. */
export class MemorySupervisionStore implements SupervisionStore {
  private alerts: Alert[] = [];
  private readonly monitors = new Map<string, MonitorSession>();

  async pushAlert(alert: Alert, keep: number): Promise<void> {
    this.alerts = [jsonCopy(alert), ...this.alerts].slice(0, keep);
  }
  async recentAlerts(limit: number): Promise<Alert[]> {
    return this.alerts.slice(0, limit).map(jsonCopy);
  }
  async putMonitor(session: MonitorSession): Promise<void> {
    this.monitors.set(session.id, jsonCopy(session));
  }
  async removeMonitor(id: string): Promise<void> {
    this.monitors.delete(id);
  }
  async listMonitors(): Promise<MonitorSession[]> {
    return [...this.monitors.values()].map(jsonCopy);
  }
}
