/**
 * The order a saved case opens, if any: asked for by the counsellor, or required by the grade
 * (一级 and 二级 by default; then it is the system's order, which a person still confirms).
 * The proposed centre comes from the caller's area and the case's categories. Pure.
 */
import type { CaseForm } from '../cases/case-form.ts';
import { gradeRequiresOrder, type RiskGrade } from '../cases/risk-grade.ts';
import { proposeCentre, type CentreProfile } from './centre-proposal.ts';
import { createOrder, type OrderStep } from './order-machine.ts';
import type { OrderActor } from './order-types.ts';

export function orderForCase(input: {
  form: CaseForm;
  autoOrderGrades: readonly RiskGrade[];
  centres: readonly CentreProfile[];
  /** The counsellor saving the case. */
  actor: OrderActor;
  at: string;
}): OrderStep | null {
  const { form } = input;
  const required = gradeRequiresOrder(form.grade, input.autoOrderGrades);
  if (!form.orderRequested && !required) return null;
  const proposedCentreId = proposeCentre(input.centres, form.area, form.categories).centreId;
  // Required by the grade: the system's (even if also asked for), so no counsellor can discard it
  // and supervisors are asked to confirm the centre. Otherwise the counsellor's.
  const automatic = required;
  return createOrder({ grade: form.grade, proposedCentreId, automatic, actor: automatic ? { id: 'system', role: 'system' } : input.actor, at: input.at });
}
