import { describe, expect, it } from 'vitest';
import { PRIORITY } from '../../../src/domain/calls/routing-request.ts';
import { anyCounsellorAt, isUrgent, mayTakeAnyCounsellor } from '../../../src/domain/routing/any-counsellor.ts';
import { nextWideningAt } from '../../../src/domain/routing/eligibility.ts';
import { pickCallerForCounsellor, pickCounsellorsForCaller, planOffers } from '../../../src/domain/routing/matcher.ts';
import type { CounsellorCandidate, QueuePolicy, WaitingCaller } from '../../../src/domain/routing/types.ts';

const NOW = 1_700_000_000_000;
const policy: QueuePolicy = {
  strategy: 'longest-idle',
  wideningMs: { province: 60_000, any: 180_000 },
  anyCounsellorAfterMs: { normal: 60_000, urgent: 10_000 },
};

const counsellor = (id: string, over: Partial<CounsellorCandidate> = {}): CounsellorCandidate => ({
  id, skills: ['psy'], languages: ['cmn'], team: 'gz', level: 'city', status: 'available',
  statusSince: NOW - 60_000, lastCallEndedAt: null, lastOfferedAt: null, callsToday: 0, ...over,
});

/** A Cantonese caller who entered the queue at NOW. */
const caller = (callId: string, over: Partial<WaitingCaller> = {}): WaitingCaller => ({
  callId, enqueuedAt: NOW, priority: PRIORITY.normal, skills: [], language: 'yue', team: null, declinedBy: [], ...over,
});

const emergency = (callId: string, over: Partial<WaitingCaller> = {}) =>
  caller(callId, { priority: PRIORITY.emergency, highRisk: true, ...over });

const mandarinOnly = counsellor('cmn1');

describe('any counsellor after a wait (the last widening)', () => {
  it('a Cantonese emergency caller is offered to a Mandarin-only counsellor after the urgent wait, marked widened', () => {
    const k = emergency('e');
    expect(planOffers([k], [mandarinOnly], policy, NOW + 9_999)).toEqual([]);
    expect(planOffers([k], [mandarinOnly], policy, NOW + 10_000)).toEqual([{ callId: 'e', counsellorIds: ['cmn1'], widened: true }]);
  });

  it('an ordinary caller waits the normal time, whatever skill they need', () => {
    const k = caller('k', { skills: ['legal'], language: 'cmn' });
    expect(pickCounsellorsForCaller(k, [mandarinOnly], policy, NOW + 59_999)).toEqual([]);
    expect(pickCounsellorsForCaller(k, [mandarinOnly], policy, NOW + 60_000)).toEqual(['cmn1']);
  });

  it('high risk by flag or by priority counts as urgent; a callback does not', () => {
    expect(isUrgent({ priority: PRIORITY.normal, highRisk: true })).toBe(true);
    expect(isUrgent({ priority: PRIORITY.highRisk })).toBe(true);
    expect(isUrgent({ priority: PRIORITY.callback, highRisk: false })).toBe(false);
    expect(anyCounsellorAt(caller('k', { priority: PRIORITY.callback }), policy)).toBe(NOW + 60_000);
  });

  it('still prefers an exact match when one is free, even long after the wait', () => {
    const cantonese = counsellor('yue1', { languages: ['yue'], statusSince: NOW });
    const plan = planOffers([emergency('e')], [mandarinOnly, cantonese], policy, NOW + 600_000);
    expect(plan).toEqual([{ callId: 'e', counsellorIds: ['yue1'] }]);
  });

  it('prefers an exact match who missed the caller before to anyone else', () => {
    const cantonese = counsellor('yue1', { languages: ['yue'] });
    const k = emergency('e', { declinedBy: ['yue1'] });
    expect(pickCounsellorsForCaller(k, [mandarinOnly, cantonese], policy, NOW + 60_000)).toEqual(['yue1']);
  });

  it('widened offers follow the strategy and declinedBy among all free counsellors', () => {
    const a = counsellor('a', { statusSince: NOW - 1000 });
    const b = counsellor('b', { statusSince: NOW - 9000 });
    const paused = counsellor('p', { status: 'paused', statusSince: NOW - 99_000 });
    expect(pickCounsellorsForCaller(emergency('e'), [a, b, paused], policy, NOW + 10_000)).toEqual(['b']);
    expect(pickCounsellorsForCaller(emergency('e', { declinedBy: ['b'] }), [a, b, paused], policy, NOW + 10_000)).toEqual(['a']);
    const ringAll = { ...policy, strategy: 'ring-all' as const };
    expect(planOffers([emergency('e')], [b, a, paused], ringAll, NOW + 10_000)).toEqual([{ callId: 'e', counsellorIds: ['a', 'b'], widened: true }]);
  });

  it('keeps queue order: an earlier caller past the wait takes the only free counsellor', () => {
    const waited = caller('old', { enqueuedAt: NOW - 60_000 });
    const match = caller('new', { language: 'cmn', enqueuedAt: NOW });
    expect(planOffers([match, waited], [mandarinOnly], policy, NOW)).toEqual([{ callId: 'old', counsellorIds: ['cmn1'], widened: true }]);
    expect(pickCallerForCounsellor(mandarinOnly, [waited, match], policy, NOW)?.callId).toBe('old');
  });

  it('never happens without the setting', () => {
    const { anyCounsellorAfterMs: _none, ...never } = policy;
    expect(mayTakeAnyCounsellor(emergency('e'), never, NOW + 86_400_000)).toBe(false);
    expect(planOffers([emergency('e')], [mandarinOnly], never, NOW + 86_400_000)).toEqual([]);
    expect(nextWideningAt(emergency('e'), never)).toBeNull();
  });

  it('nextWideningAt schedules the re-check at the instant, also for callers without a team', () => {
    expect(nextWideningAt(emergency('e'), policy)).toBe(NOW + 10_000);
    expect(nextWideningAt(emergency('e'), policy, NOW + 10_000)).toBeNull();
    expect(nextWideningAt(caller('k', { team: 'gz' }), policy)).toBe(NOW + 60_000);
    expect(nextWideningAt(caller('k', { team: 'gz' }), policy, NOW + 60_000)).toBe(NOW + 180_000);
  });
});
