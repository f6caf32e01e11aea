import { describe, expect, it } from 'vitest';
import { allTimerJobIds, delayUntil, timerJobId, timerJobs } from '../../../src/domain/work-orders/deadline-timers.ts';
import { planDeadline } from '../../../src/domain/work-orders/deadlines.ts';
import { local, wall } from './calendar-fixture.ts';
import { rules } from './deadline-rules-fixture.ts';

describe('deadline timer schedule', () => {
  it('a 二级 order dispatched on Friday afternoon is reminded, missed and escalated in working time on Monday', () => {
    const plan = planDeadline(rules, 'accept', 2, 'gz-tianhe', local('2026-03-13T16:30'));
    const jobs = timerJobs('wo-1', plan);
    expect(jobs.map((j) => [j.firing.type, wall(new Date(j.fireAt))])).toEqual([
      // 2 working hours: 1 h on Friday, 1 h from Monday 09:00; the reminder at 3/4 of it.
      ['deadline-reminder', '2026-03-16T09:30'],
      ['deadline-missed', '2026-03-16T10:00'],
      ['second-level-supervision', '2026-03-16T12:00'],
    ]);
    for (const j of jobs) expect(j.firing).toMatchObject({ orderId: 'wo-1', kind: 'accept', dueAt: plan.dueAt });
  });

  it('a 一级 order runs by the clock, across midnight', () => {
    const plan = planDeadline(rules, 'accept', 1, 'gz-tianhe', local('2026-03-13T23:50'));
    expect(timerJobs('wo-2', plan).map((j) => wall(new Date(j.fireAt)))).toEqual(['2026-03-14T00:12', '2026-03-14T00:20', '2026-03-14T01:20']);
  });

  it('the same deadline always gives the same ids; another deadline or order gives others', () => {
    const plan = planDeadline(rules, 'reply', 3, 'gz-tianhe', local('2026-03-10T10:00'));
    const ids = timerJobs('wo-3', plan).map((j) => j.id);
    expect(timerJobs('wo-3', { ...plan }).map((j) => j.id)).toEqual(ids);
    expect(new Set(ids).size).toBe(3);
    const later = planDeadline(rules, 'reply', 3, 'gz-tianhe', local('2026-03-10T11:00'));
    expect(timerJobs('wo-3', later).map((j) => j.id).some((id) => ids.includes(id))).toBe(false);
    expect(timerJobs('wo-4', plan).map((j) => j.id).some((id) => ids.includes(id))).toBe(false);
    expect(allTimerJobIds('wo-3', 'reply', plan.dueAt)).toEqual(ids);
  });

  it('ids are valid BullMQ custom ids (no colon, not an integer) whatever the order id', () => {
    const id = timerJobId('case:42/α', 'accept', '2026-03-10T02:00:00.000Z', 'deadline-missed');
    expect(id).not.toContain(':');
    expect(Number.isInteger(Number(id))).toBe(false);
    expect(id).not.toBe(timerJobId('case_42/α', 'accept', '2026-03-10T02:00:00.000Z', 'deadline-missed'));
  });

  it('steps the order already took are not scheduled again', () => {
    const plan = planDeadline(rules, 'accept', 2, 'gz-tianhe', local('2026-03-10T10:00'));
    const types = (p: object) => timerJobs('wo-5', { ...plan, ...p }).map((j) => j.firing.type);
    expect(types({ reminded: true, supervision: 0 })).toEqual(['deadline-missed', 'second-level-supervision']);
    expect(types({ reminded: false, supervision: 1 })).toEqual(['second-level-supervision']);
    expect(types({ reminded: true, supervision: 2 })).toEqual([]);
  });

  it('a delay is never negative', () => {
    const now = new Date('2026-03-10T02:00:00Z');
    expect(delayUntil('2026-03-10T02:00:05Z', now)).toBe(5000);
    expect(delayUntil('2026-03-10T01:00:00Z', now)).toBe(0);
  });
});
