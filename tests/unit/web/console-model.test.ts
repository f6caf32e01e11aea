import { describe, expect, it } from 'vitest';
import {
  applyConsoleEvent,
  availabilityActions,
  callInfoRows,
  canDialCallback,
  canEscalate,
  consoleRefreshFor,
  consoleView,
  initialConsoleState,
  sipStatus,
  transferView,
  type ConsoleCall,
  type ConsoleState,
} from '../../../web/src/console/model.ts';
import type { CounsellorSnapshot } from '../../../src/wire/counsellors.ts';

const NOW = 1_700_000_000_000;

const me = (over: Partial<CounsellorSnapshot> = {}): CounsellorSnapshot => ({
  id: 'c1',
  name: '李老师',
  endpoint: 'PJSIP/c1001',
  status: 'available',
  statusSince: NOW - 65_000,
  lastCallEndedAt: null,
  lastOfferedAt: null,
  missedInARow: 0,
  pauseReason: null,
  callId: null,
  registered: true,
  callsToday: 3,
  team: 'gz',
  level: 'city',
  skills: ['psychological'],
  languages: ['cmn'],
  ...over,
});

const call = (over: Partial<ConsoleCall> = {}): ConsoleCall => ({
  callId: 'k1',
  line: 'main',
  need: 'psychological',
  language: 'cmn',
  path: [{ menu: 'main', input: '1', outcome: 'option', at: '2025-01-01T00:00:00Z' }],
  waitSec: 42,
  highRisk: false,
  critical: false,
  callerNumber: '138******00',
  phase: 'connected',
  escalation: null,
  transfer: null,
  ...over,
});

const state = (over: Partial<ConsoleState> = {}): ConsoleState => ({ ...initialConsoleState(), sip: { kind: 'registered' }, me: me(), ...over });

describe('SIP status', () => {
  it('says 已注册 only when registered', () => {
    expect(sipStatus({ kind: 'registered' })).toEqual({ text: '已注册', tone: 'ok' });
    for (const s of [{ kind: 'connecting' }, { kind: 'unregistered' }, { kind: 'disconnected', retryInSec: 4 }] as const) {
      expect(sipStatus(s).text).not.toContain('已注册');
    }
    expect(sipStatus({ kind: 'disconnected', retryInSec: 4 }).text).toContain('4 秒后重连');
    expect(sipStatus({ kind: 'rejected', reason: '403 Forbidden' }).tone).toBe('bad');
  });
});

describe('availability', () => {
  it('mirrors the counsellor state machine', () => {
    expect(availabilityActions('offline')).toEqual({ available: 'login', pause: false, logout: false });
    expect(availabilityActions('available')).toEqual({ available: null, pause: true, logout: true });
    expect(availabilityActions('paused')).toEqual({ available: 'resume', pause: false, logout: true });
    expect(availabilityActions('wrap-up')).toEqual({ available: 'resume', pause: true, logout: true });
    expect(availabilityActions('on-call')).toEqual({ available: null, pause: false, logout: false });
    expect(availabilityActions(null)).toEqual({ available: null, pause: false, logout: false });
  });
});

describe('consoleView', () => {
  it('shows status and time in it', () => {
    const v = consoleView(state(), NOW);
    expect(v.status).toEqual({ code: 'available', text: '空闲', sinceSec: 65 });
    expect(v.incoming).toBe(false);
    expect(v.callInfo).toBeNull();
    expect(v.registrationWarning).toBe(false);
  });

  it('warns when signed on but the phone is not registered', () => {
    expect(consoleView(state({ sip: { kind: 'reconnecting' } }), NOW).registrationWarning).toBe(true);
    expect(consoleView(state({ sip: { kind: 'reconnecting' }, me: me({ status: 'offline' }) }), NOW).registrationWarning).toBe(false);
  });

  it('rings with a loading panel until the call details arrive', () => {
    const ringing = consoleView(state({ phone: 'ringing' }), NOW);
    expect(ringing).toMatchObject({ incoming: true, answerEnabled: true, loadingCall: true, callInfo: null });
    const withCall = consoleView(state({ phone: 'ringing', call: call({ highRisk: true }) }), NOW);
    expect(withCall.loadingCall).toBe(false);
    expect(withCall.callInfo?.highRisk).toBe(true);
    expect(withCall.escalation.enabled).toBe(false);
    expect(consoleView(state({ phone: 'answering', call: call() }), NOW).answerEnabled).toBe(false);
  });

  it('times the call from the local answer', () => {
    const b = consoleView(state({ phone: 'connected', call: call(), answeredAt: NOW - 5_000 }), NOW);
    expect(b.callTimerSec).toBe(5);
    expect(b.inCall).toBe(true);
    expect(b.escalation.enabled).toBe(true);
  });

  it('locks the escalate button while an escalation runs, and labels it', () => {
    const pending = consoleView(state({ phone: 'connected', call: call(), escalationPending: true }), NOW);
    expect(pending.escalation).toEqual({ enabled: false, text: '正在呼叫110…', tone: null });
    const dialling = consoleView(state({ phone: 'connected', call: call({ escalation: { id: 'e1', state: 'dialling' } }) }), NOW);
    expect(dialling.escalation).toMatchObject({ enabled: false, text: '正在呼叫110', tone: 'warn' });
    const failed = consoleView(state({ phone: 'connected', call: call({ escalation: { id: 'e1', state: 'failed' } }) }), NOW);
    expect(failed.escalation).toMatchObject({ enabled: true, tone: 'bad' });
    const connected = consoleView(
      state({ phone: 'connected', call: call({ escalation: { id: 'e1', state: 'connected', connectedAt: new Date(NOW - 12_000).toISOString() } }) }),
      NOW,
    );
    expect(connected.escalation.text).toBe('110已接通 00:12');
  });

  it('counts the wrap-up down from statusSince + wrapUpMs', () => {
    const v = consoleView(state({ me: me({ status: 'wrap-up', statusSince: NOW - 10_000 }), wrapUpMs: 30_000 }), NOW);
    expect(v.wrapUp).toEqual({ remainingSec: 20 });
    expect(consoleView(state({ me: me({ status: 'wrap-up', statusSince: NOW - 99_000 }) }), NOW).wrapUp).toEqual({ remainingSec: 0 });
    expect(consoleView(state(), NOW).wrapUp).toBeNull();
  });
});

describe('callInfoRows', () => {
  it('lists line, need, language, path, wait and the masked number', () => {
    const rows = callInfoRows(call());
    expect(rows.map((r) => [r.key, r.value])).toEqual([
      ['line', '12355 主线'],
      ['need', '心理咨询'],
      ['language', '普通话'],
      ['path', '主菜单 1'],
      ['wait', '00:42'],
      ['number', '138******00'],
    ]);
  });
  it('puts the risk flag first and masks a raw number', () => {
    const rows = callInfoRows(call({ highRisk: true, critical: true, callerNumber: '13812345600' }));
    expect(rows[0]).toMatchObject({ key: 'risk', value: '危急 · 高危', cls: 'risk' });
    expect(rows.find((r) => r.key === 'number')?.value).toBe('138******00');
  });
});

describe('live events', () => {
  it('re-fetches only what concerns this counsellor', () => {
    const s = state({ call: call() });
    expect(consoleRefreshFor({ type: 'counsellor-changed', counsellorId: 'c1' }, 'c1', s)).toEqual(['me', 'call']);
    expect(consoleRefreshFor({ type: 'counsellor-changed', counsellorId: 'c2' }, 'c1', s)).toEqual([]);
    expect(consoleRefreshFor({ type: 'offer', callId: 'k9', counsellorId: 'c1' }, 'c1', s)).toEqual(['me', 'call']);
    expect(consoleRefreshFor({ type: 'call-changed', callId: 'k1' }, 'c1', s)).toEqual(['call']);
    expect(consoleRefreshFor({ type: 'call-changed', callId: 'k2' }, 'c1', s)).toEqual([]);
    expect(consoleRefreshFor({ type: 'queue-changed' }, 'c1', s)).toEqual(['callbacks']);
  });

  it('applies escalation states and PBX status at once', () => {
    let s = state({ phone: 'connected', call: call(), escalationPending: true });
    s = applyConsoleEvent(s, { type: 'escalation', callId: 'k1', escalationId: 'e1', state: 'dialling' });
    expect(s.call?.escalation).toEqual({ id: 'e1', state: 'dialling' });
    expect(s.escalationPending).toBe(false);
    s = applyConsoleEvent(s, { type: 'escalation', callId: 'k2', escalationId: 'e9', state: 'failed' });
    expect(s.call?.escalation?.state).toBe('dialling');
    s = applyConsoleEvent(s, { type: 'pbx', connected: false });
    expect(s.pbxConnected).toBe(false);
  });

  it('allows a new escalation only when none is running', () => {
    expect(canEscalate(null, false)).toBe(true);
    expect(canEscalate(null, true)).toBe(false);
    expect(canEscalate({ id: 'e', state: 'announcing' }, false)).toBe(false);
    expect(canEscalate({ id: 'e', state: 'ended' }, false)).toBe(true);
  });
});

describe('canDialCallback', () => {
  it('allows a dial-back only while available with the phone free', () => {
    const base = initialConsoleState();
    expect(canDialCallback({ ...base, me: me() })).toBe(true);
    expect(canDialCallback({ ...base, me: me(), phone: 'ringing' })).toBe(false);
    expect(canDialCallback({ ...base, me: me(), phone: 'connected' })).toBe(false);
    for (const status of ['offline', 'paused', 'offered', 'on-call', 'wrap-up'] as const) {
      expect(canDialCallback({ ...base, me: me({ status }) }), status).toBe(false);
    }
    expect(canDialCallback(base), 'not loaded yet').toBe(false);
  });
});

describe('transfer panel', () => {
  const tr = (status: 'ringing' | 'consulting' | 'completed', mode: 'warm' | 'blind' = 'warm') => call({ phase: 'transferring', transfer: { id: 'colleague-x', mode, status, colleagueId: 'c2' } });
  it('offers complete only during the consult of a warm transfer, and cancel while it runs', () => {
    expect(transferView(tr('ringing'))).toEqual({ text: '正在呼叫同事，来电者正在听等待音乐', canComplete: false, canCancel: true });
    expect(transferView(tr('consulting'))).toEqual({ text: '正在与同事商量，来电者正在听等待音乐', canComplete: true, canCancel: true });
    expect(transferView(tr('ringing', 'blind'))?.canComplete).toBe(false);
    expect(transferView(tr('completed'))).toBeNull();
    expect(transferView(call())).toBeNull();
  });
});
