/** Supervision: monitoring sessions, alerts, the escalation log and the audit log. */
import type { MonitorMode, MonitorPlan } from '../domain/monitoring/monitor-modes.ts';
import type { EscalationState } from '../domain/escalation/escalation-machine.ts';
import type { AuditEntry } from '../ports/auth.ts';
import type { Severity } from './events.ts';

export type { MonitorMode } from '../domain/monitoring/monitor-modes.ts';

export interface MonitorSession {
  id: string;
  callId: string;
  mode: MonitorMode;
  supervisorId: string;
  supervisorChannelId: string;
  snoopChannelId: string | null;
  bridgeId: string | null;
  snoop: MonitorPlan['snoop'];
  state: 'ringing' | 'active' | 'ended';
}

export interface MonitorRequest {
  mode: MonitorMode;
}

/** POST /api/calls/{callId}/monitor (202). */
export interface MonitorStartResponse {
  session: MonitorSession;
}

export interface MonitorSessionsResponse {
  sessions: MonitorSession[];
}

export interface Alert {
  at: string;
  severity: Severity;
  code: string;
  message: string;
  callId?: string;
}

export interface AlertsResponse {
  alerts: Alert[];
}

export interface EscalationsResponse {
  escalations: Array<EscalationState & { outcome: string | null; endedAt: string | null }>;
}

export interface AuditResponse {
  entries: Array<AuditEntry & { id: number; at: string }>;
}
