import { describe, expect, it } from 'vitest';
import { decideOutcome, endsSeries, type OutcomeInput } from '../../../src/domain/follow-ups/follow-up-outcome.ts';
import type { FollowUpPolicy } from '../../../src/domain/follow-ups/follow-up-schedule.ts';

const policy: FollowUpPolicy = {
  utcOffsetMinutes: 480, quietHours: null,
  grades: { 1: { firstAfterMinutes: 60, retryAfterMinutes: [30], maxAttempts: 3 }, 2: { firstAfterMinutes: 60, retryAfterMinutes: [30], maxAttempts: 2 }, 3: { firstAfterMinutes: 60, retryAfterMinutes: [30], maxAttempts: 2 } },
  alertGrades: [1, 2],
};
const base: OutcomeInput = { grade: 2, attempt: 1, outcome: 'reached-safe', satisfied: true, endedAt: new Date('2026-06-02T02:00:00Z'), orderStatus: null };
const decide = (over: Partial<OutcomeInput>) => decideOutcome({ ...base, ...over }, policy);

describe('an attempt\'s outcome, to the order and the series', () => {
  it('reached and satisfied closes the order awaiting its follow-up (办结); not satisfied reopens it', () => {
    expect(decide({ orderStatus: 'awaiting-follow-up' })).toEqual([{ type: 'record-on-order', outcome: 'resolved' }]);
    expect(decide({ orderStatus: 'awaiting-follow-up', satisfied: false })).toEqual([{ type: 'record-on-order', outcome: 'not-resolved' }]);
    expect(decide({ orderStatus: 'awaiting-follow-up', satisfied: null })).toEqual([{ type: 'record-on-order', outcome: 'resolved' }]);
  });

  it('reached with no order waiting, or one a centre still works: nothing to do on the order', () => {
    expect(decide({ orderStatus: null })).toEqual([]);
    expect(decide({ orderStatus: 'accepted' })).toEqual([]);
  });

  it('needs more help: reopens the waiting or closed order, or opens a new one; leaves an open one alone', () => {
    expect(decide({ outcome: 'needs-help', orderStatus: 'awaiting-follow-up' })).toEqual([{ type: 'record-on-order', outcome: 'not-resolved' }]);
    expect(decide({ outcome: 'needs-help', orderStatus: 'closed' })).toEqual([{ type: 'reopen-order' }]);
    expect(decide({ outcome: 'needs-help', orderStatus: null })).toEqual([{ type: 'open-order' }]);
    expect(decide({ outcome: 'needs-help', orderStatus: 'discarded' })).toEqual([{ type: 'open-order' }]);
    expect(decide({ outcome: 'needs-help', orderStatus: 'in-progress' })).toEqual([]);
  });

  it('not reached: the next attempt by the schedule', () => {
    expect(decide({ outcome: 'not-reached' })).toEqual([{ type: 'schedule-attempt', attempt: 2, dueAt: '2026-06-02T02:30:00.000Z' }]);
    expect(decide({ outcome: 'not-reached', grade: 1, attempt: 2 })).toEqual([{ type: 'schedule-attempt', attempt: 3, dueAt: '2026-06-02T02:30:00.000Z' }]);
  });

  it('the last attempt not reached alerts supervisors for 一级 and 二级, not for 三级', () => {
    expect(decide({ outcome: 'not-reached', attempt: 2 })).toEqual([{ type: 'alert-supervisors', reason: 'attempts-exhausted' }]);
    expect(decide({ outcome: 'not-reached', grade: 1, attempt: 3 })).toEqual([{ type: 'alert-supervisors', reason: 'attempts-exhausted' }]);
    expect(decide({ outcome: 'not-reached', grade: 3, attempt: 2 })).toEqual([]);
    expect(decide({ outcome: 'not-reached', attempt: 2, orderStatus: 'awaiting-follow-up' })).toEqual([
      { type: 'record-on-order', outcome: 'unreachable' }, { type: 'alert-supervisors', reason: 'attempts-exhausted' },
    ]);
  });

  it('a later series ends at its own last attempt', () => {
    expect(decide({ outcome: 'not-reached', attempt: 3, lastAttempt: 4 })).toEqual([{ type: 'schedule-attempt', attempt: 4, dueAt: '2026-06-02T02:30:00.000Z' }]);
    expect(decide({ outcome: 'not-reached', attempt: 4, lastAttempt: 4 })).toEqual([{ type: 'alert-supervisors', reason: 'attempts-exhausted' }]);
  });

  it('declined closes a waiting order and ends the series; a wrong number alerts for high grades', () => {
    expect(decide({ outcome: 'declined', orderStatus: 'awaiting-follow-up' })).toEqual([{ type: 'record-on-order', outcome: 'declined' }]);
    expect(decide({ outcome: 'declined' })).toEqual([]);
    expect(decide({ outcome: 'wrong-number' })).toEqual([{ type: 'alert-supervisors', reason: 'wrong-number' }]);
    expect(decide({ outcome: 'wrong-number', grade: 3 })).toEqual([]);
    expect(endsSeries('declined')).toBe(true);
    expect(endsSeries('not-reached')).toBe(false);
  });
});
