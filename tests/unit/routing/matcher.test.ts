import { describe, expect, it } from 'vitest';
import { pickCallerForCounsellor, pickCounsellorsForCaller, planOffers } from '../../../src/domain/routing/matcher.ts';
import { sortCallers } from '../../../src/domain/routing/ordering.ts';
import type { CounsellorCandidate, MatchStrategy, QueuePolicy, WaitingCaller } from '../../../src/domain/routing/types.ts';

const NOW = 1_700_000_000_000;
const policy = (strategy: MatchStrategy): QueuePolicy => ({ strategy, wideningMs: { province: 60_000, any: 180_000 } });

const counsellor = (id: string, over: Partial<CounsellorCandidate> = {}): CounsellorCandidate => ({
  id,
  skills: ['psy'],
  languages: ['cmn'],
  team: 'gz',
  level: 'city',
  status: 'available',
  statusSince: NOW - 60_000,
  lastCallEndedAt: null,
  lastOfferedAt: null,
  callsToday: 0,
  ...over,
});

const caller = (callId: string, over: Partial<WaitingCaller> = {}): WaitingCaller => ({
  callId,
  enqueuedAt: NOW - 1000,
  priority: 0,
  skills: ['psy'],
  language: 'cmn',
  team: 'gz',
  declinedBy: [],
  ...over,
});

describe('strategies', () => {
  const team = [
    counsellor('c3', { lastCallEndedAt: NOW - 5000, callsToday: 1, lastOfferedAt: NOW - 9000 }),
    counsellor('c2', { lastCallEndedAt: NOW - 9000, callsToday: 4, lastOfferedAt: NOW - 1000 }),
    counsellor('c1', { lastCallEndedAt: null, statusSince: NOW - 2000, callsToday: 1, lastOfferedAt: null }),
  ];

  it('longest-idle picks the earliest end of last call (or status change)', () => {
    expect(pickCounsellorsForCaller(caller('k'), team, policy('longest-idle'), NOW)).toEqual(['c2']);
  });

  it('fewest-calls picks the fewest calls today, then the longest idle', () => {
    expect(pickCounsellorsForCaller(caller('k'), team, policy('fewest-calls'), NOW)).toEqual(['c3']);
  });

  it('round-robin picks never-offered first, then the least recently offered', () => {
    expect(pickCounsellorsForCaller(caller('k'), team, policy('round-robin'), NOW)).toEqual(['c1']);
    const offered = team.map((c) => ({ ...c, lastOfferedAt: c.lastOfferedAt ?? NOW }));
    expect(pickCounsellorsForCaller(caller('k'), offered, policy('round-robin'), NOW)).toEqual(['c3']);
  });

  it('ring-all rings every eligible counsellor, by id', () => {
    const all = [...team, counsellor('c0', { status: 'paused' })];
    expect(pickCounsellorsForCaller(caller('k'), all, policy('ring-all'), NOW)).toEqual(['c1', 'c2', 'c3']);
  });

  it('breaks ties by counsellor id', () => {
    const twins = [counsellor('b'), counsellor('a')];
    for (const s of ['longest-idle', 'fewest-calls', 'round-robin'] as const) {
      expect(pickCounsellorsForCaller(caller('k'), twins, policy(s), NOW)).toEqual(['a']);
    }
  });
});

describe('declinedBy', () => {
  it('skips counsellors who missed the caller while someone else can take it', () => {
    const cs = [counsellor('c1', { statusSince: NOW - 90_000 }), counsellor('c2')];
    expect(pickCounsellorsForCaller(caller('k', { declinedBy: ['c1'] }), cs, policy('longest-idle'), NOW)).toEqual(['c2']);
  });

  it('re-offers to them when nobody else can', () => {
    const cs = [counsellor('c1'), counsellor('c2', { status: 'on-call' })];
    expect(pickCounsellorsForCaller(caller('k', { declinedBy: ['c1'] }), cs, policy('longest-idle'), NOW)).toEqual(['c1']);
    expect(pickCounsellorsForCaller(caller('k', { declinedBy: ['c1'] }), cs, policy('ring-all'), NOW)).toEqual(['c1']);
  });
});

describe('planOffers', () => {
  it('serves callers in queue order, one counsellor each, and skips callers nobody can take', () => {
    const waiting = [
      caller('late', { enqueuedAt: NOW - 100 }),
      caller('legal', { skills: ['legal'], enqueuedAt: NOW - 50_000 }),
      caller('early', { enqueuedAt: NOW - 20_000 }),
      caller('urgent', { priority: 100, enqueuedAt: NOW }),
    ];
    const cs = [counsellor('c1'), counsellor('c2', { statusSince: NOW - 70_000 })];
    expect(planOffers(waiting, cs, policy('longest-idle'), NOW)).toEqual([
      { callId: 'urgent', counsellorIds: ['c2'] },
      { callId: 'early', counsellorIds: ['c1'] },
    ]);
  });

  it('widens to province-level counsellors, then to everyone, as the caller waits', () => {
    const k = caller('k', { team: 'st', enqueuedAt: NOW });
    const cs = [counsellor('city'), counsellor('prov', { level: 'province', team: 'prov' })];
    const p = policy('longest-idle');
    expect(planOffers([k], cs, p, NOW + 59_999)).toEqual([]);
    // Marked, so supervisors see the caller went beyond their own team, and how far.
    expect(planOffers([k], cs, p, NOW + 60_000)).toEqual([{ callId: 'k', counsellorIds: ['prov'], teamWidened: 'province' }]);
    expect(planOffers([k], [cs[0]!], p, NOW + 179_999)).toEqual([]);
    expect(planOffers([k], [cs[0]!], p, NOW + 180_000)).toEqual([{ callId: 'k', counsellorIds: ['city'], teamWidened: 'any' }]);
  });

  it('marks no widening when the caller\'s own team answers, or the caller has no team', () => {
    const p = policy('longest-idle');
    const own = counsellor('own', { team: 'st' });
    expect(planOffers([caller('k', { team: 'st', enqueuedAt: NOW })], [own], p, NOW + 200_000)).toEqual([{ callId: 'k', counsellorIds: ['own'] }]);
    expect(planOffers([caller('n', { team: null, enqueuedAt: NOW })], [counsellor('x', { team: 'other' })], p, NOW)).toEqual([{ callId: 'n', counsellorIds: ['x'] }]);
  });

  it('gives a ring-all group to one caller only', () => {
    const cs = [counsellor('c1'), counsellor('c2')];
    expect(planOffers([caller('a'), caller('b', { enqueuedAt: NOW })], cs, policy('ring-all'), NOW)).toEqual([
      { callId: 'a', counsellorIds: ['c1', 'c2'] },
    ]);
  });

  it('ignores duplicate call and counsellor ids', () => {
    const plan = planOffers([caller('a'), caller('a')], [counsellor('c1'), counsellor('c1'), counsellor('c2')], policy('longest-idle'), NOW);
    expect(plan).toEqual([{ callId: 'a', counsellorIds: ['c1'] }]);
  });
});

describe('pickCallerForCounsellor', () => {
  const waiting = sortCallers([
    caller('yue', { language: 'yue', priority: 100 }),
    caller('other-team', { team: 'sz', priority: 50 }),
    caller('mine', { enqueuedAt: NOW - 500 }),
    caller('mine-older', { enqueuedAt: NOW - 5000, declinedBy: ['c1'] }),
  ]);

  it('takes the first caller in queue order it can serve, even one it missed when nobody else is free', () => {
    expect(pickCallerForCounsellor(counsellor('c1'), waiting, policy('longest-idle'), NOW)?.callId).toBe('mine-older');
  });

  it('returns null for a counsellor who is not available, or when nobody fits', () => {
    expect(pickCallerForCounsellor(counsellor('c1', { status: 'paused' }), waiting, policy('longest-idle'), NOW)).toBeNull();
    expect(pickCallerForCounsellor(counsellor('c1', { skills: [] }), waiting, policy('longest-idle'), NOW)).toBeNull();
  });

  it('takes other teams once they have waited long enough', () => {
    const prov = counsellor('p', { team: 'prov', level: 'province' });
    expect(pickCallerForCounsellor(prov, waiting, policy('longest-idle'), NOW)).toBeNull();
    expect(pickCallerForCounsellor(prov, waiting, policy('longest-idle'), NOW + 59_000)?.callId).toBe('other-team');
  });
});
