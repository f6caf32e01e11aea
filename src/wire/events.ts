/**
 * Live events the service publishes (src/ports/notifier.ts) and the pages receive over
 * server-sent events (`data:` lines of GET /api/events).
 */
import type { EscalationStatus } from '../domain/escalation/escalation-machine.ts';

export type Severity = 'warning' | 'critical';

export type HotlineEvent =
  | { type: 'queue-changed' }
  | { type: 'counsellor-changed'; counsellorId: string }
  | { type: 'call-changed'; callId: string }
  | { type: 'offer'; callId: string; counsellorId: string }
  | { type: 'escalation'; callId: string; escalationId: string; state: EscalationStatus }
  | { type: 'alert'; severity: Severity; code: string; message: string; callId?: string }
  | { type: 'pbx'; connected: boolean };
