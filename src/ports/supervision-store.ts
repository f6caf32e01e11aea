import type { Alert, MonitorSession } from '../wire/supervision.ts';

/**
 * What supervisors rely on that must outlive a restart of the service: the recent alerts (a
 * restart must not hide an unresolved crisis alert) and the monitoring sessions in progress
 * (their legs stay in Asterisk, and someone must know them to end them).
 */
export interface SupervisionStore {
  pushAlert(alert: Alert, keep: number): Promise<void>;
  /** Newest first. */
  recentAlerts(limit: number): Promise<Alert[]>;
  putMonitor(session: MonitorSession): Promise<void>;
  removeMonitor(id: string): Promise<void>;
  listMonitors(): Promise<MonitorSession[]>;
}
