/**
 * Who may take a caller: availability, skills, language, and the team scope that widens with the
 * caller's waiting time (own team, then province-level teams, then everyone).
 *
 * `declinedBy` is not part of eligibility: it is a preference between eligible counsellors and is
 * applied by the matcher (see `matcher.ts`).
 */
import { anyCounsellorAt, mayTakeAnyCounsellor } from './any-counsellor.ts';
import type { CounsellorCandidate, QueuePolicy, WaitingCaller, WideningStage } from './types.ts';

type TeamCaller = Pick<WaitingCaller, 'enqueuedAt' | 'team'>;

/**
 * The team scope for a caller at `now`. Stages start exactly at their threshold: with
 * `wideningMs.province = 60_000`, a caller who has waited 59,999 ms is still in 'team' and one
 * who has waited 60,000 ms is in 'province'. When `any <= province` the province stage is skipped.
 */
export function wideningStage(caller: TeamCaller, policy: QueuePolicy, now: number): WideningStage {
  const waited = now - caller.enqueuedAt;
  if (waited >= policy.wideningMs.any) return 'any';
  if (waited >= policy.wideningMs.province) return 'province';
  return 'team';
}

/** Whether the counsellor's team may take the caller at `now` (a caller without a team: anyone). */
export function isTeamAllowed(
  counsellor: Pick<CounsellorCandidate, 'team' | 'level'>,
  caller: TeamCaller,
  policy: QueuePolicy,
  now: number,
): boolean {
  if (caller.team === null || caller.team === counsellor.team) return true;
  const waited = now - caller.enqueuedAt;
  if (waited >= policy.wideningMs.any) return true;
  return counsellor.level === 'province' && waited >= policy.wideningMs.province;
}

/** Whether the counsellor has every skill the caller needs (an empty list needs none). */
export function hasAllSkills(counsellorSkills: readonly string[], needed: readonly string[]): boolean {
  for (const skill of needed) {
    if (!counsellorSkills.includes(skill)) return false;
  }
  return true;
}

/**
 * Whether the counsellor may be offered the caller at `now`: status 'available', all the caller's
 * skills, the caller's language, and a team allowed by the widening stage. Ignores `declinedBy`.
 */
export function isEligible(
  counsellor: CounsellorCandidate,
  caller: Pick<WaitingCaller, 'enqueuedAt' | 'team' | 'skills' | 'language'>,
  policy: QueuePolicy,
  now: number,
): boolean {
  return (
    counsellor.status === 'available' &&
    counsellor.languages.includes(caller.language) &&
    hasAllSkills(counsellor.skills, caller.skills) &&
    isTeamAllowed(counsellor, caller, policy, now)
  );
}

/**
 * When the caller's eligible set next widens, so the service can schedule a re-check (a timer
 * firing at the returned instant sees the wider set). Returns the first widening instant strictly
 * after `now` (team stages, and the instant from which any counsellor may take the caller), or
 * null when the set never widens again. `now` defaults to the queue entry, giving the first widening.
 */
export function nextWideningAt(
  caller: TeamCaller & Pick<WaitingCaller, 'priority' | 'highRisk'>,
  policy: QueuePolicy,
  now: number = caller.enqueuedAt,
): number | null {
  const instants: number[] = [];
  if (caller.team !== null) {
    const { province, any } = policy.wideningMs;
    if (province < any) instants.push(caller.enqueuedAt + province);
    instants.push(caller.enqueuedAt + any);
  }
  const anyone = anyCounsellorAt(caller, policy);
  if (anyone !== null) instants.push(anyone);
  const later = instants.filter((t) => t > now);
  return later.length === 0 ? null : Math.min(...later);
}

/**
 * How far a waiting caller's search has widened at `now`, for supervisors: their own team,
 * province-level teams, any team, or any counsellor at all (other skills and languages too).
 * A caller without a local team starts at 'any' team.
 */
export type CallerReach = WideningStage | 'any-counsellor';

export function callerReach(
  caller: TeamCaller & Pick<WaitingCaller, 'priority' | 'highRisk'>,
  policy: QueuePolicy,
  now: number,
): CallerReach {
  if (mayTakeAnyCounsellor(caller, policy, now)) return 'any-counsellor';
  return caller.team === null ? 'any' : wideningStage(caller, policy, now);
}
