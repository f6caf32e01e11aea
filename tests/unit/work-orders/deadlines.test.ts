import { describe, expect, it } from 'vitest';
import { planDeadline } from '../../../src/domain/work-orders/deadlines.ts';
import { local, wall } from './calendar-fixture.ts';
import { rules } from './deadline-rules-fixture.ts';

const plan = (kind: 'accept' | 'reply', grade: 1 | 2 | 3 | 4, from: string, centre = 'gz') => {
  const p = planDeadline(rules, kind, grade, centre, local(from));
  return { due: wall(new Date(p.dueAt)), remind: wall(new Date(p.remindAt)), second: wall(new Date(p.secondLevelAt)) };
};

describe('order deadlines per grade', () => {
  it('runs an emergency (一级) by the clock, nights and weekends included', () => {
    expect(plan('accept', 1, '2026-03-14T23:50')).toEqual({ due: '2026-03-15T00:20', remind: '2026-03-15T00:12', second: '2026-03-15T01:20' });
    expect(plan('reply', 1, '2026-03-14T23:50').due).toBe('2026-03-15T23:50');
  });

  it('runs the other grades in working time, over weekends and holidays', () => {
    expect(plan('accept', 2, '2026-03-13T16:30')).toEqual({ due: '2026-03-16T10:00', remind: '2026-03-16T09:30', second: '2026-03-16T12:00' });
    expect(plan('reply', 3, '2026-09-29T10:00').due).toBe('2026-10-09T10:00');
    expect(plan('reply', 4, '2026-03-02T09:00').due).toBe('2026-03-18T17:30');
  });

  it('uses the centre\'s own working hours', () => {
    expect(plan('accept', 2, '2026-03-13T22:00', 'night-centre').due).toBe('2026-03-14T00:00');
  });

  it('puts the reminder before the deadline and the second level after it', () => {
    for (const grade of [1, 2, 3, 4] as const) {
      for (const kind of ['accept', 'reply'] as const) {
        const p = planDeadline(rules, kind, grade, 'gz', local('2026-03-11T11:11'));
        expect(Date.parse(p.remindAt)).toBeLessThan(Date.parse(p.dueAt));
        expect(Date.parse(p.dueAt)).toBeLessThan(Date.parse(p.secondLevelAt));
        expect(p.kind).toBe(kind);
      }
    }
  });
});
