import { describe, expect, it } from 'vitest';
import {
  ALL_RESOURCES,
  activeCallRows,
  alertKey,
  applySupervisorEvent,
  bannerAlert,
  counsellorRows,
  escalationLook,
  initialSupervisorData,
  queueRows,
  callbackRows,
  sortAlerts,
  supervisorRefreshFor,
  type SeenAlert as Alert,
  type SupervisorCall as ActiveCall,
} from '../../../web/src/supervisor/model.ts';
import type { PendingCallback } from '../../../src/wire/callbacks.ts';
import type { CounsellorWithCall } from '../../../src/wire/counsellors.ts';
import type { HotlineEvent } from '../../../src/wire/events.ts';
import type { QueueEntry } from '../../../src/wire/queue.ts';

const NOW = 1_700_000_000_000;

const entry = (over: Partial<QueueEntry>): QueueEntry => ({
  callId: 'q',
  line: 'main',
  need: 'general',
  language: 'cmn',
  priority: 0,
  highRisk: false,
  position: 1,
  waitSec: 10,
  state: 'waiting',
  offeredTo: [],
  callbackRequested: false,
  overflowed: false,
  team: null,
  teamName: null,
  reach: 'any',
  ...over,
});

const counsellor = (over: Partial<CounsellorWithCall>): CounsellorWithCall => ({
  id: 'c',
  name: '某',
  status: 'available',
  statusSince: NOW,
  lastCallEndedAt: null,
  lastOfferedAt: null,
  missedInARow: 0,
  pauseReason: null,
  callId: null,
  registered: true,
  callsToday: 0,
  team: 'gz',
  level: 'city',
  skills: [],
  languages: ['cmn'],
  currentCall: null,
  ...over,
});

const active = (over: Partial<ActiveCall>): ActiveCall => ({
  callId: 'k',
  line: 'main',
  need: 'psychological',
  language: 'cmn',
  phase: 'connected',
  counsellorId: 'c1',
  highRisk: false,
  critical: false,
  startedAt: new Date(NOW - 60_000).toISOString(),
  escalation: null,
  ...over,
});

describe('supervisorRefreshFor', () => {
  it('maps each event to the resources it changes', () => {
    const cases: Array<[HotlineEvent, string[]]> = [
      [{ type: 'queue-changed' }, ['queue', 'stats', 'callbacks']],
      [{ type: 'counsellor-changed', counsellorId: 'c1' }, ['counsellors']],
      [{ type: 'call-changed', callId: 'k' }, ['calls', 'stats']],
      [{ type: 'offer', callId: 'k', counsellorId: 'c1' }, ['queue', 'counsellors']],
      [{ type: 'escalation', callId: 'k', escalationId: 'e', state: 'dialling' }, ['calls', 'stats']],
      [{ type: 'alert', severity: 'warning', code: 'x', message: 'm' }, ['alerts']],
      [{ type: 'pbx', connected: true }, []],
    ];
    for (const [ev, keys] of cases) expect(supervisorRefreshFor(ev)).toEqual(keys);
    expect(ALL_RESOURCES).toHaveLength(6);
  });
});

describe('applySupervisorEvent', () => {
  it('highlights an escalation before the re-fetch lands', () => {
    const d = { ...initialSupervisorData(), calls: [active({ callId: 'k1' }), active({ callId: 'k2' })] };
    const next = applySupervisorEvent(d, { type: 'escalation', callId: 'k1', escalationId: 'e1', state: 'dialling' }, NOW);
    expect(next.calls[0]?.escalation).toEqual({ id: 'e1', state: 'dialling' });
    expect(next.calls[1]?.escalation).toBeNull();
    const later = applySupervisorEvent(next, { type: 'escalation', callId: 'k1', escalationId: 'e1', state: 'connected' }, NOW);
    expect(later.calls[0]?.escalation?.state).toBe('connected');
    expect(applySupervisorEvent(d, { type: 'escalation', callId: 'zz', escalationId: 'e', state: 'failed' }, NOW)).toBe(d);
  });

  it('shows an alert at once and tracks the PBX', () => {
    let d = initialSupervisorData();
    d = applySupervisorEvent(d, { type: 'alert', severity: 'critical', code: 'escalation-failed', message: '转警失败', callId: 'k1' }, NOW);
    expect(d.alerts).toEqual([{ at: NOW, severity: 'critical', code: 'escalation-failed', message: '转警失败', callId: 'k1' }]);
    d = applySupervisorEvent(d, { type: 'pbx', connected: false }, NOW);
    expect(d.pbxConnected).toBe(false);
  });
});

describe('alerts', () => {
  const a = (at: number, severity: Alert['severity'], code: string): Alert => ({ at, severity, code, message: code });
  it('sorts newest first and bans nothing but the dismissed critical', () => {
    const list = [a(NOW - 3000, 'critical', 'old'), a(NOW, 'warning', 'w'), a(NOW - 1000, 'critical', 'new')];
    expect(sortAlerts(list).map((x) => x.code)).toEqual(['w', 'new', 'old']);
    const banner = bannerAlert(list, null);
    expect(banner?.code).toBe('new');
    expect(bannerAlert(list, alertKey(banner as Alert))).toBeNull();
    const newer = [...list, a(NOW + 5000, 'critical', 'newer')];
    expect(bannerAlert(newer, alertKey(banner as Alert))?.code).toBe('newer');
    expect(bannerAlert([a(NOW, 'warning', 'w')], null)).toBeNull();
  });
  it('keys ISO and millisecond times alike', () => {
    expect(alertKey({ at: new Date(NOW).toISOString(), severity: 'warning', code: 'c', message: 'm' })).toBe(
      alertKey({ at: NOW, severity: 'warning', code: 'c', message: 'm' }),
    );
  });
});

describe('queueRows', () => {
  it('orders by position and labels priority', () => {
    const rows = queueRows([
      entry({ callId: 'b', position: 2, priority: 50, callbackRequested: true }),
      entry({ callId: 'a', position: 1, priority: 100, need: 'emergency', highRisk: true, state: 'offered' }),
      entry({ callId: 'c', position: 3, highRisk: true }),
    ]);
    expect(rows.map((r) => [r.callId, r.priority, r.priorityText])).toEqual([
      ['a', 'emergency', '紧急'],
      ['b', 'callback', '回拨'],
      ['c', 'high', '高危'],
    ]);
    expect(rows[0]).toMatchObject({ need: '紧急求助', offered: true, line: '12355 主线', language: '普通话' });
    expect(rows[1]?.callback).toBe(true);
  });

  it('shows the local team, and a badge only once the search widened beyond it', () => {
    const rows = queueRows([
      entry({ callId: 'a', position: 1, team: 'shenzhen', teamName: '深圳', reach: 'team' }),
      entry({ callId: 'b', position: 2, team: 'shenzhen', teamName: '深圳', reach: 'province' }),
      entry({ callId: 'c', position: 3, team: 'shenzhen', teamName: '深圳', reach: 'any' }),
      entry({ callId: 'd', position: 4, reach: 'any-counsellor' }),
      entry({ callId: 'e', position: 5 }),
    ]);
    expect(rows.map((r) => [r.team, r.reachText])).toEqual([
      ['深圳', null],
      ['深圳', '已扩至省级'],
      ['深圳', '已扩至各地'],
      ['—', '任意咨询员'],
      ['—', null],
    ]);
  });
});

describe('callbackRows', () => {
  const routing: PendingCallback['routing'] = { line: 'main', need: 'general', skills: [], language: 'cmn', priority: 50, highRisk: false, announce: [] };
  it('lists the oldest original queue entry first, labelled, with the number as the API masked it', () => {
    const rows = callbackRows([
      { jobId: 'callback-b', callId: 'b', callerNumber: '139******01', enqueuedAt: NOW - 60_000, requestedAt: '', routing: { ...routing, line: 'exam', need: 'exam', language: 'yue' } },
      { jobId: 'callback-a', callId: 'a', callerNumber: '138******00', enqueuedAt: NOW - 300_000, requestedAt: '', routing: { ...routing, line: 'main', need: 'legal', language: 'cmn' } },
    ]);
    expect(rows.map((r) => r.jobId)).toEqual(['callback-a', 'callback-b']);
    expect(rows[0]).toMatchObject({ callerNumber: '138******00', line: '12355 主线', language: '普通话', enqueuedAt: NOW - 300_000 });
    expect(rows[1]?.language).toBe('粤语');
  });

  it('labels a callback whose routing lacks fields as the general need on the main line', () => {
    const [row] = callbackRows([{ jobId: 'j', callId: 'k', callerNumber: '**00', enqueuedAt: NOW, requestedAt: '', routing: {} as PendingCallback['routing'] }]);
    expect(row).toMatchObject({ line: '12355 主线', language: '普通话' });
  });
});

describe('counsellorRows', () => {
  it('puts busy counsellors first and offers the right buttons', () => {
    const rows = counsellorRows([
      counsellor({ id: 'off', name: '甲', status: 'offline' }),
      counsellor({ id: 'av', name: '乙', status: 'available' }),
      counsellor({ id: 'call', name: '丙', status: 'on-call', currentCall: { callId: 'k', line: 'main', need: 'legal' } }),
      counsellor({ id: 'p', name: '丁', status: 'paused', pauseReason: 'meal' }),
    ]);
    expect(rows.map((r) => r.id)).toEqual(['call', 'av', 'p', 'off']);
    expect(rows[0]).toMatchObject({ currentCall: '12355 主线 · 法律援助', canPause: false, canLogout: false, teamLevel: 'gz / 市级' });
    expect(rows[1]).toMatchObject({ canPause: true, canResume: false, canLogout: true });
    expect(rows[2]).toMatchObject({ statusText: '暂停（用餐）', canResume: true, canLogout: true });
    expect(rows[3]).toMatchObject({ canPause: false, canResume: false, canLogout: false });
  });
});

describe('activeCallRows', () => {
  it('puts escalating calls first and highlights them until connected or failed', () => {
    expect(escalationLook(null)).toBeNull();
    expect(escalationLook({ id: 'e', state: 'dialling' })).toBe('alarm');
    expect(escalationLook({ id: 'e', state: 'announcing' })).toBe('alarm');
    expect(escalationLook({ id: 'e', state: 'connected' })).toBe('connected');
    expect(escalationLook({ id: 'e', state: 'failed' })).toBe('failed');
    const rows = activeCallRows({
      calls: [
        active({ callId: 'plain', startedAt: new Date(NOW - 100_000).toISOString() }),
        active({ callId: 'risk', highRisk: true }),
        active({ callId: 'esc', escalation: { id: 'e', state: 'dialling' } }),
      ],
      counsellors: [counsellor({ id: 'c1', name: '李老师' })],
      monitor: null,
    });
    expect(rows.map((r) => r.callId)).toEqual(['esc', 'risk', 'plain']);
    expect(rows[0]).toMatchObject({ escalation: 'alarm', escalationText: '正在呼叫110', counsellor: '李老师', canMonitor: true });
  });

  it('marks the monitored call and frees no second session', () => {
    const rows = activeCallRows({
      calls: [active({ callId: 'k1' }), active({ callId: 'k2' })],
      counsellors: [],
      monitor: { callId: 'k2', session: { id: 'm1', mode: 'whisper' } },
    });
    expect(rows.map((r) => [r.callId, r.monitoring, r.canMonitor])).toEqual([
      ['k1', null, false],
      ['k2', 'whisper', false],
    ]);
  });
});
