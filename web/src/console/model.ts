/**
 * The counsellor console as pure data: what the page knows (ConsoleState), what it shows
 * (ConsoleView), and how live events change it. The DOM code in render.ts only copies the view.
 */
import type { MyCall } from '../../../src/wire/calls.ts';
import type { PendingCallback } from '../../../src/wire/callbacks.ts';
import type { CounsellorSnapshot, CounsellorStatus, StateChangeRequest } from '../../../src/wire/counsellors.ts';
import type { HotlineEvent } from '../../../src/wire/events.ts';
import type { KnownEscalation } from '../shared/escalation.ts';
import { elapsedSec, formatDuration, maskForDisplay, remainingSec, toMs } from '../shared/format.ts';
import { t } from '../shared/i18n.ts';
import { escalationText, languageLabel, lineLabel, needLabel, pathText, statusText } from '../shared/labels.ts';

export type SipState =
  | { kind: 'idle' }
  | { kind: 'connecting' }
  | { kind: 'connected' }
  | { kind: 'registered' }
  | { kind: 'unregistered' }
  | { kind: 'rejected'; reason: string }
  | { kind: 'disconnected'; retryInSec: number }
  | { kind: 'reconnecting' }
  | { kind: 'failed'; message: string };

/** The softphone's own call leg, as SIP.js reports it. */
export type PhoneState = 'idle' | 'ringing' | 'answering' | 'connected';

/** The counsellor's call as fetched, with the escalation live events may have moved on since. */
export type ConsoleCall = Omit<MyCall, 'escalation'> & { escalation: KnownEscalation | null };

export interface ConsoleState {
  sip: SipState;
  phone: PhoneState;
  me: CounsellorSnapshot | null;
  call: ConsoleCall | null;
  /** Local time the counsellor answered; the call timer runs from it. */
  answeredAt: number | null;
  /** Wrap-up length from GET /api/counsellors/me (`wrapUpMs`), default 30 s. */
  wrapUpMs: number;
  escalationPending: boolean;
  pbxConnected: boolean | null;
  live: boolean;
  /** Pending callbacks (masked numbers) this counsellor may dial back. */
  callbacks: PendingCallback[];
}

export const DEFAULT_WRAP_UP_MS = 30_000;

export function initialConsoleState(): ConsoleState {
  return {
    sip: { kind: 'idle' },
    phone: 'idle',
    me: null,
    call: null,
    answeredAt: null,
    wrapUpMs: DEFAULT_WRAP_UP_MS,
    escalationPending: false,
    pbxConnected: null,
    live: false,
    callbacks: [],
  };
}

/** A callback can be dialled while the counsellor is available and their phone is free. */
export function canDialCallback(s: ConsoleState): boolean {
  return s.me?.status === 'available' && s.phone === 'idle';
}

export type Tone = 'ok' | 'warn' | 'bad';

export function sipStatus(s: SipState): { text: string; tone: Tone } {
  switch (s.kind) {
    case 'idle':
      return { text: t('sipIdle'), tone: 'warn' };
    case 'connecting':
      return { text: t('sipConnecting'), tone: 'warn' };
    case 'connected':
      return { text: t('sipConnected'), tone: 'warn' };
    case 'registered':
      return { text: t('sipRegistered'), tone: 'ok' };
    case 'unregistered':
      return { text: t('sipUnregistered'), tone: 'bad' };
    case 'rejected':
      return { text: t('sipRejected', { reason: s.reason }), tone: 'bad' };
    case 'disconnected':
      return { text: t('sipDisconnected', { sec: s.retryInSec }), tone: 'bad' };
    case 'reconnecting':
      return { text: t('sipReconnecting'), tone: 'warn' };
    case 'failed':
      return { text: t('sipFailed', { message: s.message }), tone: 'bad' };
  }
}

export type StateAction = StateChangeRequest['action'];

/** Which availability buttons work in a status (mirrors the service's counsellor state machine). */
export function availabilityActions(status: CounsellorStatus | null): {
  available: 'login' | 'resume' | null;
  pause: boolean;
  logout: boolean;
} {
  switch (status) {
    case 'offline':
      return { available: 'login', pause: false, logout: false };
    case 'paused':
      return { available: 'resume', pause: false, logout: true };
    case 'available':
      return { available: null, pause: true, logout: true };
    case 'wrap-up':
      return { available: 'resume', pause: true, logout: true };
    case 'offered':
      return { available: null, pause: false, logout: true };
    default:
      return { available: null, pause: false, logout: false };
  }
}

/** Escalation can start once per call: when none is running (a failed or ended one may be retried). */
export function canEscalate(escalation: KnownEscalation | null, pending: boolean): boolean {
  if (pending) return false;
  return escalation === null || escalation.state === 'failed' || escalation.state === 'ended';
}

export interface InfoRow {
  key: string;
  label: string;
  value: string;
  cls?: string;
}

/** The call details panel, row by row. */
export function callInfoRows(call: ConsoleCall): InfoRow[] {
  const flags = [call.critical ? t('critical') : null, call.highRisk ? t('highRisk') : null].filter((f) => f !== null);
  const rows: InfoRow[] = [
    { key: 'line', label: t('line'), value: lineLabel(call.line) },
    { key: 'need', label: t('need'), value: needLabel(call.need) },
    { key: 'language', label: t('language'), value: languageLabel(call.language) },
    { key: 'path', label: t('ivrPath'), value: pathText(call.path) },
    { key: 'wait', label: t('waited'), value: formatDuration(call.waitSec) },
    { key: 'number', label: t('callerNumber'), value: maskForDisplay(call.callerNumber, t('unknownNumber')) },
  ];
  if (flags.length > 0) rows.unshift({ key: 'risk', label: t('highRisk'), value: flags.join(' · '), cls: 'risk' });
  return rows;
}

export interface ConsoleView {
  sip: { text: string; tone: Tone };
  status: { code: CounsellorStatus | 'unknown'; text: string; sinceSec: number };
  actions: ReturnType<typeof availabilityActions>;
  registrationWarning: boolean;
  incoming: boolean;
  answerEnabled: boolean;
  callInfo: { rows: InfoRow[]; highRisk: boolean } | null;
  loadingCall: boolean;
  inCall: boolean;
  callTimerSec: number | null;
  escalation: { enabled: boolean; text: string; tone: Tone | null };
  /** A transfer running: what the caller hears meanwhile; complete only once the colleague answered a warm one. */
  transfer: { text: string; canComplete: boolean; canCancel: boolean } | null;
  wrapUp: { remainingSec: number } | null;
}

/** The transfer panel: shown while the call's transfer is open. */
export function transferView(call: ConsoleCall | null): ConsoleView['transfer'] {
  const tr = call?.transfer ?? null;
  if (!tr || (tr.status !== 'ringing' && tr.status !== 'consulting')) return null;
  return { text: t(`transfer_${tr.status}`), canComplete: tr.mode === 'warm' && tr.status === 'consulting', canCancel: true };
}

export function consoleView(s: ConsoleState, now: number): ConsoleView {
  const me = s.me;
  const ringing = s.phone === 'ringing' || s.phone === 'answering';
  const inCall = s.phone === 'connected';
  const showCall = ringing || inCall || me?.status === 'on-call' || me?.status === 'offered';
  const esc = s.call?.escalation ?? null;
  let escText = '';
  let escTone: Tone | null = null;
  if (s.escalationPending && !esc) escText = t('escalating');
  if (esc) {
    escText = escalationText(esc.state, esc.connectedAt ? elapsedSec(toMs(esc.connectedAt), now) : null);
    escTone = esc.state === 'connected' ? 'ok' : esc.state === 'failed' ? 'bad' : esc.state === 'ended' ? null : 'warn';
  }
  return {
    sip: sipStatus(s.sip),
    status: me
      ? { code: me.status, text: statusText(me.status, me.pauseReason), sinceSec: elapsedSec(me.statusSince, now) }
      : { code: 'unknown', text: '—', sinceSec: 0 },
    actions: availabilityActions(me?.status ?? null),
    registrationWarning: me !== null && me.status !== 'offline' && s.sip.kind !== 'registered',
    incoming: ringing,
    answerEnabled: s.phone === 'ringing',
    callInfo: showCall && s.call ? { rows: callInfoRows(s.call), highRisk: s.call.highRisk || s.call.critical } : null,
    loadingCall: showCall && s.call === null,
    inCall,
    callTimerSec: inCall && s.answeredAt !== null ? elapsedSec(s.answeredAt, now) : null,
    escalation: { enabled: inCall && s.call !== null && canEscalate(esc, s.escalationPending), text: escText, tone: escTone },
    transfer: inCall ? transferView(s.call) : null,
    wrapUp: me?.status === 'wrap-up' ? { remainingSec: remainingSec(me.statusSince + s.wrapUpMs, now) } : null,
  };
}

export type ConsoleResource = 'me' | 'call' | 'callbacks';

/** Which of the counsellor's resources an event touches. */
export function consoleRefreshFor(ev: HotlineEvent, myId: string, s: ConsoleState): ConsoleResource[] {
  const myCall = s.call?.callId ?? s.me?.callId ?? null;
  switch (ev.type) {
    case 'queue-changed':
      // A caller booking a callback, or one taken or put back, changes the list.
      return ['callbacks'];
    case 'counsellor-changed':
      return ev.counsellorId === myId ? ['me', 'call'] : [];
    case 'offer':
      return ev.counsellorId === myId ? ['me', 'call'] : [];
    case 'call-changed':
    case 'escalation':
      return ev.callId === myCall ? ['call'] : [];
    default:
      return [];
  }
}

/** Applies what an event says directly (before the re-fetch lands), so the screen moves at once. */
export function applyConsoleEvent(s: ConsoleState, ev: HotlineEvent): ConsoleState {
  if (ev.type === 'pbx') return { ...s, pbxConnected: ev.connected };
  if (ev.type === 'escalation' && s.call && s.call.callId === ev.callId) {
    const prev = s.call.escalation;
    const escalation: KnownEscalation =
      prev && prev.id === ev.escalationId ? { ...prev, state: ev.state } : { id: ev.escalationId, state: ev.state };
    return { ...s, escalationPending: false, call: { ...s.call, escalation } };
  }
  return s;
}
