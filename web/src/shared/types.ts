/**
 * The HTTP API as the pages see it (JSON shapes of /api/*). Times are milliseconds since the
 * epoch unless the name ends in `Sec`; alert and IVR-path timestamps may be ISO strings.
 */

export type Role = 'counsellor' | 'supervisor' | 'admin';
export type TeamLevel = 'province' | 'city' | 'county';

export interface User {
  userId: string;
  name: string;
  role: Role;
  team: string;
  level: TeamLevel;
}

export type CounsellorStatus = 'offline' | 'available' | 'offered' | 'on-call' | 'wrap-up' | 'paused';

export interface Counsellor {
  id: string;
  name: string;
  status: CounsellorStatus;
  statusSince: number;
  pauseReason: string | null;
  callId: string | null;
  registered: boolean;
  callsToday: number;
  team: string;
  level: TeamLevel;
  skills: string[];
  languages: string[];
}

export interface CounsellorWithCall extends Counsellor {
  currentCall: { callId: string; line: string; need: string } | null;
}

export type EscalationState = 'dialling' | 'connected' | 'fallback' | 'failed' | 'ended';

export interface Escalation {
  id: string;
  state: EscalationState;
  startedAt?: number | null;
  connectedAt?: number | null;
}

export interface PathStep {
  menu: string;
  input: string;
  outcome: string;
  at: string | number;
}

/** The counsellor's own call: GET /api/counsellors/me/call. */
export interface MyCall {
  callId: string;
  line: string;
  need: string;
  language: string;
  path: PathStep[];
  waitSec: number;
  highRisk: boolean;
  critical: boolean;
  callerNumber: string | null;
  connectedAt: number | null;
  escalation: Escalation | null;
}

export interface SipConfig {
  wsServer: string;
  aor: string;
  username: string;
  password: string;
  displayName: string;
}

export interface QueueEntry {
  callId: string;
  line: string;
  need: string;
  language: string;
  /** Numeric (see PRIORITY in the service) or a name such as 'high' / 'emergency'. */
  priority: number | string;
  highRisk: boolean;
  position: number;
  waitSec: number;
  state: 'waiting' | 'offered';
  offeredTo: string[];
  callbackRequested: boolean;
}

/** A callback a caller asked for while waiting (GET /api/callbacks); the number is masked there. */
export interface CallbackRequest {
  jobId: string;
  callId: string;
  callerNumber: string;
  /** The original queue entry, ms since the epoch: callbacks keep the caller's place. */
  enqueuedAt: number;
  requestedAt: string;
  routing: { line?: string; need?: string; language?: string };
}

export interface ActiveCall {
  callId: string;
  line: string;
  need: string;
  language: string;
  phase: string;
  counsellorId: string | null;
  highRisk: boolean;
  critical: boolean;
  connectedAt: number | null;
  escalation: Escalation | null;
}

export interface HourBucket {
  hour: number;
  offered: number;
  answered: number;
  averageWaitSec: number | null;
}

export interface QueueStats {
  offered: number;
  answered: number;
  abandoned: number;
  callbacks: number;
  serviceLevel: number | null;
  averageSpeedOfAnswerSec: number | null;
  longestWaitSec: number | null;
  abandonRate: number | null;
  byHour: HourBucket[];
  escalations: number;
}

export type Severity = 'warning' | 'critical';

export interface Alert {
  at: string | number;
  severity: Severity;
  code: string;
  message: string;
  callId?: string;
}

export interface MonitorSession {
  id: string;
  mode: MonitorMode;
}

export type MonitorMode = 'listen' | 'whisper' | 'barge';

export type HotlineEvent =
  | { type: 'queue-changed' }
  | { type: 'counsellor-changed'; counsellorId: string }
  | { type: 'call-changed'; callId: string }
  | { type: 'offer'; callId: string; counsellorId: string }
  | { type: 'escalation'; callId: string; escalationId: string; state: EscalationState }
  | { type: 'alert'; severity: Severity; code: string; message: string; callId?: string }
  | { type: 'pbx'; connected: boolean };
