import { describe, expect, it } from 'vitest';
import { chooseFollowUpCounsellor } from '../../../src/domain/follow-ups/follow-up-counsellor.ts';
import type { CounsellorCandidate } from '../../../src/domain/routing/types.ts';

const c = (id: string, over: Partial<CounsellorCandidate> = {}): CounsellorCandidate => ({
  id, skills: ['psychological'], languages: ['cmn'], team: 'gz', level: 'city', status: 'available', statusSince: 100, lastCallEndedAt: null, lastOfferedAt: null, callsToday: 0, ...over,
});
const needs = { previousCounsellorId: 'c1', skills: ['psychological'], language: 'cmn' as const };
const all = { callersWaiting: 0, reachable: () => true };

describe('who makes a due follow-up', () => {
  it('the case\'s own counsellor first, when free and reachable', () => {
    expect(chooseFollowUpCounsellor([c('c2', { statusSince: 1 }), c('c1')], needs, all)).toEqual({ ok: true, counsellorId: 'c1', continuity: true });
  });

  it('else the longest idle with the skills and language', () => {
    const list = [c('c1', { status: 'on-call' }), c('c2', { statusSince: 50 }), c('c3', { statusSince: 10, languages: ['yue'] }), c('c4', { statusSince: 20, skills: ['legal'] })];
    expect(chooseFollowUpCounsellor(list, needs, all)).toEqual({ ok: true, counsellorId: 'c2', continuity: false });
    expect(chooseFollowUpCounsellor([c('c1')], needs, { ...all, reachable: (id) => id !== 'c1' })).toEqual({ ok: false, reason: 'nobody-free' });
  });

  it('live callers waiting come first: no follow-up takes a counsellor', () => {
    expect(chooseFollowUpCounsellor([c('c1')], needs, { ...all, callersWaiting: 1 })).toEqual({ ok: false, reason: 'callers-waiting' });
  });
});
