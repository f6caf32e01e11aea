import { describe, expect, it } from 'vitest';
import { gradeAllowed, gradeFloor, gradeRequiresOrder, isRiskGrade, RISK_GRADES, suggestedGrade } from '../../../src/domain/cases/risk-grade.ts';

describe('risk grades', () => {
  it('an escalated call is 一级 and cannot be graded lower', () => {
    const facts = { escalated: true, emergencyKey: false };
    expect(gradeFloor(facts)).toBe(1);
    expect(RISK_GRADES.filter((g) => gradeAllowed(g, facts))).toEqual([1]);
    expect(gradeFloor({ escalated: true, emergencyKey: true })).toBe(1);
  });

  it('the emergency key makes a call at least 二级', () => {
    const facts = { escalated: false, emergencyKey: true };
    expect(RISK_GRADES.filter((g) => gradeAllowed(g, facts))).toEqual([1, 2]);
    expect(suggestedGrade(facts)).toBe(2);
  });

  it('any grade is allowed otherwise', () => {
    expect(RISK_GRADES.filter((g) => gradeAllowed(g, { escalated: false, emergencyKey: false }))).toEqual([1, 2, 3, 4]);
  });

  it('grades 一级 and 二级 require an order by default', () => {
    expect(RISK_GRADES.filter((g) => gradeRequiresOrder(g, [1, 2]))).toEqual([1, 2]);
    expect(RISK_GRADES.filter((g) => gradeRequiresOrder(g, [1]))).toEqual([1]);
  });

  it('knows what a grade is', () => {
    expect([1, 2, 3, 4, 0, 5, 1.5, '1', null].map(isRiskGrade)).toEqual([true, true, true, true, false, false, false, false, false]);
  });
});
