import { describe, expect, it } from 'vitest';
import { firstDue, mayCallNow, maxAttempts, nextDue, wantsFollowUp, type FollowUpPolicy } from '../../../src/domain/follow-ups/follow-up-schedule.ts';

const local = (s: string) => new Date(`${s}+08:00`);
const policy: FollowUpPolicy = {
  utcOffsetMinutes: 480,
  quietHours: { start: 21 * 60 + 30, end: 8 * 60 + 30 },
  grades: {
    1: { firstAfterMinutes: 24 * 60, retryAfterMinutes: [60, 120], maxAttempts: 5 },
    2: { firstAfterMinutes: 48 * 60, retryAfterMinutes: [240], maxAttempts: 3 },
    3: { firstAfterMinutes: 7 * 24 * 60, retryAfterMinutes: [24 * 60], maxAttempts: 2 },
  },
  alertGrades: [1, 2],
};

describe('who gets a follow-up', () => {
  it('a consenting case of a configured grade; an escalated 一级 case also without consent', () => {
    expect(wantsFollowUp({ grade: 2, consented: true, escalated: false }, policy)).toBe(true);
    expect(wantsFollowUp({ grade: 2, consented: false, escalated: false }, policy)).toBe(false);
    expect(wantsFollowUp({ grade: 1, consented: false, escalated: true }, policy)).toBe(true);
    expect(wantsFollowUp({ grade: 2, consented: false, escalated: true }, policy)).toBe(false);
    expect(wantsFollowUp({ grade: 4, consented: true, escalated: false }, policy)).toBe(false); // 四级 not configured
    expect(wantsFollowUp({ grade: null, consented: true, escalated: false }, policy)).toBe(false);
  });
});

describe('the schedule', () => {
  it('the first call a grade-dependent time after the case was saved', () => {
    expect(firstDue(1, local('2026-06-01T10:00:00'), policy)?.toISOString()).toBe(local('2026-06-02T10:00:00').toISOString());
    expect(firstDue(2, local('2026-06-01T10:00:00'), policy)?.toISOString()).toBe(local('2026-06-03T10:00:00').toISOString());
    expect(firstDue(4, local('2026-06-01T10:00:00'), policy)).toBeNull();
  });

  it('a due time in the quiet hours moves to their end, except for 一级', () => {
    expect(firstDue(2, local('2026-06-01T23:00:00'), policy)?.toISOString()).toBe(local('2026-06-04T08:30:00').toISOString());
    expect(firstDue(1, local('2026-06-01T23:00:00'), policy)?.toISOString()).toBe(local('2026-06-02T23:00:00').toISOString());
  });

  it('retries after each failed attempt, per attempt, the last delay repeating', () => {
    const ended = local('2026-06-02T10:00:00');
    expect(nextDue(1, 1, ended, policy)).toEqual({ attempt: 2, dueAt: local('2026-06-02T11:00:00') });
    expect(nextDue(1, 2, ended, policy)).toEqual({ attempt: 3, dueAt: local('2026-06-02T12:00:00') });
    expect(nextDue(1, 4, ended, policy)).toEqual({ attempt: 5, dueAt: local('2026-06-02T12:00:00') });
  });

  it('no attempt beyond the grade\'s maximum', () => {
    const ended = local('2026-06-02T10:00:00');
    expect(nextDue(1, 5, ended, policy)).toBeNull();
    expect(nextDue(2, 3, ended, policy)).toBeNull();
    expect(nextDue(3, 2, ended, policy)).toBeNull();
    expect(nextDue(3, 1, ended, policy)).not.toBeNull();
    expect(maxAttempts(2, policy)).toBe(3);
    expect(maxAttempts(4, policy)).toBe(0);
  });

  it('a later series (an order waiting for its follow-up) numbers on, with its own last attempt and the same delays', () => {
    const ended = local('2026-06-02T10:00:00');
    // 二级: 3 attempts; a second series is attempts 4, 5, 6.
    expect(nextDue(2, 4, ended, policy, 6)).toEqual({ attempt: 5, dueAt: local('2026-06-02T14:00:00') });
    expect(nextDue(2, 5, ended, policy, 6)).toEqual({ attempt: 6, dueAt: local('2026-06-02T14:00:00') });
    expect(nextDue(2, 6, ended, policy, 6)).toBeNull();
    expect(nextDue(2, 3, ended, policy, 6)?.attempt).toBe(4);
  });

  it('an attempt still waiting for a counsellor when the quiet hours begin is not dialled then, except 一级', () => {
    expect(mayCallNow(2, local('2026-06-02T21:29:00'), policy)).toBe(true);
    expect(mayCallNow(2, local('2026-06-02T21:30:00'), policy)).toBe(false);
    expect(mayCallNow(3, local('2026-06-03T07:00:00'), policy)).toBe(false);
    expect(mayCallNow(1, local('2026-06-02T23:00:00'), policy)).toBe(true);
    expect(mayCallNow(2, local('2026-06-03T08:30:00'), policy)).toBe(true);
  });

  it('a retry falling at night waits for the morning (二级), not for 一级', () => {
    const late = local('2026-06-02T19:00:00');
    expect(nextDue(2, 1, late, policy)?.dueAt.toISOString()).toBe(local('2026-06-03T08:30:00').toISOString());
    expect(nextDue(1, 1, local('2026-06-02T21:00:00'), policy)?.dueAt.toISOString()).toBe(local('2026-06-02T22:00:00').toISOString());
  });
});
