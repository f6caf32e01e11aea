/**
 * Risk grades (分级): 1 = 一级, imminent danger … 4 = 四级, low. A smaller number is a higher risk.
 * The call itself sets a floor: a call escalated to 110 is 一级 and cannot be graded lower; a
 * caller who pressed the emergency key is at least 二级. Pure.
 */

export const RISK_GRADES = [1, 2, 3, 4] as const;
export type RiskGrade = (typeof RISK_GRADES)[number];

/** What the call already tells us about its risk. */
export interface CallRiskFacts {
  /** The call was escalated to 110. */
  escalated: boolean;
  /** The caller pressed the emergency key in the menus. */
  emergencyKey: boolean;
}

export function isRiskGrade(value: unknown): value is RiskGrade {
  return typeof value === 'number' && (RISK_GRADES as readonly number[]).includes(value);
}

/** The lowest risk (largest number) the call may be graded. */
export function gradeFloor(facts: CallRiskFacts): RiskGrade {
  if (facts.escalated) return 1;
  if (facts.emergencyKey) return 2;
  return 4;
}

/** True when `grade` is at least as high a risk as the call's facts demand. */
export function gradeAllowed(grade: RiskGrade, facts: CallRiskFacts): boolean {
  return grade <= gradeFloor(facts);
}

/** The grade a case starts with before the counsellor chooses: the floor. */
export function suggestedGrade(facts: CallRiskFacts): RiskGrade {
  return gradeFloor(facts);
}

/** Grades that open a work order by themselves (一级 and 二级 by default; from config). */
export function gradeRequiresOrder(grade: RiskGrade, autoOrderGrades: readonly RiskGrade[]): boolean {
  return autoOrderGrades.includes(grade);
}
