/**
 * Who makes a due follow-up call (回访): the counsellor who took the case first (continuity), when
 * they are free and can be rung; else a free counsellor with the skills and the language the case
 * needs, the longest idle first. Live callers come first: while anyone waits in the queue, no
 * follow-up takes a counsellor. Pure.
 */
import type { Language } from '../calls/routing-request.ts';
import { hasAllSkills } from '../routing/eligibility.ts';
import type { CounsellorCandidate } from '../routing/types.ts';

export interface FollowUpNeeds {
  /** The counsellor of the case. */
  previousCounsellorId: string | null;
  skills: readonly string[];
  language: Language;
}

export type FollowUpChoice =
  | { ok: true; counsellorId: string; continuity: boolean }
  | { ok: false; reason: 'callers-waiting' | 'nobody-free' };

export function chooseFollowUpCounsellor(
  counsellors: readonly CounsellorCandidate[],
  needs: FollowUpNeeds,
  opts: { callersWaiting: number; reachable: (counsellorId: string) => boolean },
): FollowUpChoice {
  if (opts.callersWaiting > 0) return { ok: false, reason: 'callers-waiting' };
  const free = counsellors.filter((c) => c.status === 'available' && opts.reachable(c.id));
  const same = free.find((c) => c.id === needs.previousCounsellorId);
  if (same) return { ok: true, counsellorId: same.id, continuity: true };
  const fit = free
    .filter((c) => c.languages.includes(needs.language) && hasAllSkills(c.skills, needs.skills))
    .sort((a, b) => a.statusSince - b.statusSince || a.id.localeCompare(b.id));
  const first = fit[0];
  return first ? { ok: true, counsellorId: first.id, continuity: false } : { ok: false, reason: 'nobody-free' };
}
