/**
 * The supervisor dashboard as pure data: the fetched resources, how live events touch them, and
 * the rows each table shows. Rendering is in the *-view.ts files.
 */
import { toMs } from '../shared/format.ts';
import { t, type StringKey } from '../shared/i18n.ts';
import {
  escalationText,
  languageLabel,
  levelLabel,
  lineLabel,
  needLabel,
  phaseLabel,
  priorityLabel,
  priorityLevel,
  statusText,
  type PriorityLevel,
} from '../shared/labels.ts';
import type { ActiveCall } from '../../../src/wire/calls.ts';
import type { PendingCallback } from '../../../src/wire/callbacks.ts';
import type { CounsellorStatus, CounsellorWithCall } from '../../../src/wire/counsellors.ts';
import type { HotlineEvent } from '../../../src/wire/events.ts';
import type { QueueEntry, TodayStats } from '../../../src/wire/queue.ts';
import type { Alert, MonitorSession } from '../../../src/wire/supervision.ts';
import type { KnownEscalation } from '../shared/escalation.ts';

/** A live call as fetched, with the escalation live events may have moved on since. */
export type SupervisorCall = Omit<ActiveCall, 'escalation'> & { escalation: KnownEscalation | null };

/** An alert from GET /api/alerts (ISO time) or from a live event (stamped locally, ms). */
export type SeenAlert = Omit<Alert, 'at'> & { at: string | number };

/** What the dashboard keeps of its own monitoring session. */
export type OwnMonitorSession = Pick<MonitorSession, 'id' | 'mode'>;

export interface SupervisorData {
  queue: QueueEntry[];
  /** Local time the queue was fetched; waiting times tick on from it. */
  queueFetchedAt: number;
  counsellors: CounsellorWithCall[];
  calls: SupervisorCall[];
  stats: TodayStats | null;
  alerts: SeenAlert[];
  pbxConnected: boolean | null;
  live: boolean;
  monitor: { callId: string; session: OwnMonitorSession } | null;
  dismissedAlert: string | null;
  callbacks: PendingCallback[];
  /** The callback this supervisor took, with the full number to dial. */
  claimedCallback: PendingCallback | null;
}

export function initialSupervisorData(): SupervisorData {
  return {
    queue: [],
    queueFetchedAt: 0,
    counsellors: [],
    calls: [],
    stats: null,
    alerts: [],
    pbxConnected: null,
    live: false,
    monitor: null,
    dismissedAlert: null,
    callbacks: [],
    claimedCallback: null,
  };
}

export type SupervisorResource = 'queue' | 'counsellors' | 'calls' | 'stats' | 'alerts' | 'callbacks';
export const ALL_RESOURCES: readonly SupervisorResource[] = ['queue', 'counsellors', 'calls', 'stats', 'alerts', 'callbacks'];

/** Which resources to re-fetch after an event. */
export function supervisorRefreshFor(ev: HotlineEvent): SupervisorResource[] {
  switch (ev.type) {
    case 'queue-changed':
      // A caller asking for a callback leaves the queue with one.
      return ['queue', 'stats', 'callbacks'];
    case 'counsellor-changed':
      return ['counsellors'];
    case 'call-changed':
      return ['calls', 'stats'];
    case 'offer':
      return ['queue', 'counsellors'];
    case 'escalation':
      return ['calls', 'stats'];
    case 'alert':
      return ['alerts'];
    case 'pbx':
      return [];
    case 'work-order':
      // Work orders have their own pages (not on this dashboard yet).
      return [];
    case 'follow-up':
      // A follow-up that could not reach its person raises an alert (its own event).
      return [];
  }
}

export const MAX_ALERTS = 50;

export function alertKey(a: SeenAlert): string {
  return `${toMs(a.at)}|${a.code}|${a.callId ?? ''}|${a.message}`;
}

/** Applies what an event says directly, ahead of the re-fetch, so the screen moves at once. */
export function applySupervisorEvent(d: SupervisorData, ev: HotlineEvent, now: number): SupervisorData {
  switch (ev.type) {
    case 'pbx':
      return { ...d, pbxConnected: ev.connected };
    case 'alert': {
      const alert: SeenAlert = { at: now, severity: ev.severity, code: ev.code, message: ev.message, ...(ev.callId ? { callId: ev.callId } : {}) };
      return { ...d, alerts: [alert, ...d.alerts].slice(0, MAX_ALERTS) };
    }
    case 'escalation': {
      if (!d.calls.some((c) => c.callId === ev.callId)) return d;
      const calls = d.calls.map((c) => {
        if (c.callId !== ev.callId) return c;
        const escalation: KnownEscalation =
          c.escalation && c.escalation.id === ev.escalationId ? { ...c.escalation, state: ev.state } : { id: ev.escalationId, state: ev.state };
        return { ...c, escalation };
      });
      return { ...d, calls };
    }
    default:
      return d;
  }
}

/** Alerts newest first. */
export function sortAlerts(alerts: readonly SeenAlert[]): SeenAlert[] {
  return [...alerts].sort((a, b) => toMs(b.at) - toMs(a.at)).slice(0, MAX_ALERTS);
}

/** The newest critical alert, unless the supervisor dismissed exactly that one. */
export function bannerAlert(alerts: readonly SeenAlert[], dismissed: string | null): SeenAlert | null {
  const critical = sortAlerts(alerts).find((a) => a.severity === 'critical');
  return critical && alertKey(critical) !== dismissed ? critical : null;
}

export interface QueueRow {
  callId: string;
  position: number;
  line: string;
  need: string;
  language: string;
  priority: PriorityLevel;
  priorityText: string;
  highRisk: boolean;
  waitSec: number;
  offered: boolean;
  callback: boolean;
  /** The caller's local team, or — when any team may answer. */
  team: string;
  /** Set once the search for a counsellor has widened beyond the caller's team (or beyond their need and language). */
  reachText: string | null;
  reach: QueueEntry['reach'];
}

const REACH_TEXT: Partial<Record<QueueEntry['reach'], StringKey>> = { province: 'reachProvince', any: 'reachAnyTeam', 'any-counsellor': 'reachAnyCounsellor' };

export function queueRows(queue: readonly QueueEntry[]): QueueRow[] {
  return [...queue]
    .sort((a, b) => a.position - b.position)
    .map((q) => {
      const priority = priorityLevel(q.priority, q.highRisk);
      return {
        callId: q.callId,
        position: q.position,
        line: lineLabel(q.line),
        need: needLabel(q.need),
        language: languageLabel(q.language),
        priority,
        priorityText: priorityLabel(priority),
        highRisk: q.highRisk,
        waitSec: q.waitSec,
        offered: q.state === 'offered',
        callback: q.callbackRequested,
        team: q.teamName ?? '—',
        // A caller without a local team has no team to widen from: only 'any counsellor' is news.
        reachText: q.team === null && q.reach !== 'any-counsellor' ? null : ((k) => (k ? t(k) : null))(REACH_TEXT[q.reach]),
        reach: q.reach,
      };
    });
}

export { callbackRows, type CallbackRow } from '../shared/callbacks.ts';

const STATUS_ORDER: Record<CounsellorStatus, number> = {
  'on-call': 0,
  offered: 1,
  'wrap-up': 2,
  available: 3,
  paused: 4,
  offline: 5,
};

export interface CounsellorRow {
  id: string;
  name: string;
  status: CounsellorStatus;
  statusText: string;
  statusSince: number;
  registered: boolean;
  currentCall: string;
  callsToday: number;
  teamLevel: string;
  canPause: boolean;
  canResume: boolean;
  canLogout: boolean;
}

/** Busy first, offline last; by name inside a status. */
export function counsellorRows(list: readonly CounsellorWithCall[]): CounsellorRow[] {
  return [...list]
    .sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.name.localeCompare(b.name, 'zh-CN'))
    .map((c) => ({
      id: c.id,
      name: c.name,
      status: c.status,
      statusText: statusText(c.status, c.pauseReason),
      statusSince: c.statusSince,
      registered: c.registered,
      currentCall: c.currentCall ? `${lineLabel(c.currentCall.line)} · ${needLabel(c.currentCall.need)}` : '',
      callsToday: c.callsToday,
      teamLevel: `${c.team} / ${levelLabel(c.level)}`,
      canPause: c.status === 'available' || c.status === 'wrap-up',
      canResume: c.status === 'paused',
      canLogout: c.status === 'available' || c.status === 'paused' || c.status === 'wrap-up',
    }));
}

/** 'alarm' until the police are on the call (dialling any route, then their announcement), steady once settled. */
export type EscalationLook = 'alarm' | 'connected' | 'failed' | 'ended' | null;

export function escalationLook(e: KnownEscalation | null): EscalationLook {
  if (!e) return null;
  if (e.state === 'dialling' || e.state === 'announcing') return 'alarm';
  return e.state;
}

export interface ActiveCallRow {
  callId: string;
  line: string;
  need: string;
  language: string;
  phase: string;
  counsellor: string;
  /** When the call came in (ms): the duration column runs from it. */
  startedAt: number;
  risk: boolean;
  escalation: EscalationLook;
  escalationText: string;
  /** Monitoring: this row's session mode, or whether the buttons are free to use. */
  monitoring: MonitorSession['mode'] | null;
  canMonitor: boolean;
}

/** Escalating calls first, then high-risk, then the longest on the line. */
export function activeCallRows(d: Pick<SupervisorData, 'calls' | 'counsellors' | 'monitor'>): ActiveCallRow[] {
  const names = new Map(d.counsellors.map((c) => [c.id, c.name]));
  const rank = (c: SupervisorCall): number => (escalationLook(c.escalation) === 'alarm' ? 0 : c.critical || c.highRisk ? 1 : 2);
  return [...d.calls]
    .sort((a, b) => rank(a) - rank(b) || toMs(a.startedAt) - toMs(b.startedAt))
    .map((c) => ({
      callId: c.callId,
      line: lineLabel(c.line),
      need: needLabel(c.need),
      language: languageLabel(c.language),
      phase: phaseLabel(c.phase),
      counsellor: c.counsellorId ? (names.get(c.counsellorId) ?? c.counsellorId) : '',
      startedAt: toMs(c.startedAt),
      risk: c.highRisk || c.critical,
      escalation: escalationLook(c.escalation),
      escalationText: c.escalation ? escalationText(c.escalation.state, null) : '',
      monitoring: d.monitor?.callId === c.callId ? d.monitor.session.mode : null,
      canMonitor: d.monitor === null && c.counsellorId !== null,
    }));
}
