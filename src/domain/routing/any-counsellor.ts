/**
 * The last widening: a caller who has waited long enough may be offered to any free counsellor,
 * across skills, languages and teams, when no eligible counsellor is free. Emergency and
 * high-risk callers reach that point sooner. The matcher still prefers an eligible counsellor.
 */
import { PRIORITY } from '../calls/routing-request.ts';
import type { QueuePolicy, WaitingCaller } from './types.ts';

type Caller = Pick<WaitingCaller, 'enqueuedAt' | 'priority' | 'highRisk'>;

/** Emergency and high-risk callers (by flag or by priority) wait the shorter time. */
export function isUrgent(caller: Pick<WaitingCaller, 'priority' | 'highRisk'>): boolean {
  return caller.highRisk === true || caller.priority >= PRIORITY.highRisk;
}

/** The instant from which the caller may be offered to anyone, or null when the policy never allows it. */
export function anyCounsellorAt(caller: Caller, policy: QueuePolicy): number | null {
  const after = policy.anyCounsellorAfterMs;
  if (after === undefined) return null;
  return caller.enqueuedAt + (isUrgent(caller) ? after.urgent : after.normal);
}

/** Whether, at `now`, the caller may be offered to any free counsellor (the instant itself included). */
export function mayTakeAnyCounsellor(caller: Caller, policy: QueuePolicy, now: number): boolean {
  const at = anyCounsellorAt(caller, policy);
  return at !== null && now >= at;
}
