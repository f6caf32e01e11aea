/**
 * The queue-matching model: counsellors, waiting callers, the queue policy and the offers the
 * matcher produces. Pure data, no behaviour; times are milliseconds since the epoch.
 */
import type { Language } from '../calls/routing-request.ts';

export type CounsellorStatus = 'offline' | 'available' | 'offered' | 'on-call' | 'wrap-up' | 'paused';

/** Team level in the three-tier organisation. */
export type TeamLevel = 'province' | 'city' | 'county';

/** Who a counsellor is: changes only when an admin edits the roster. */
export interface CounsellorProfile {
  id: string;
  name: string;
  /** SIP endpoint to ring, e.g. `PJSIP/c1001`. */
  endpoint: string;
  skills: string[];
  languages: Language[];
  team: string;
  level: TeamLevel;
}

/**
 * Why a counsellor is paused. Free text for manual pauses ('break', 'supervision', ...);
 * the state machine itself uses {@link AUTO_PAUSE_REASONS}.
 */
export type PauseReason = string;

/** Pause reasons set by the system rather than the counsellor. */
export const AUTO_PAUSE_REASONS = {
  /** `maxMissedBeforePause` offers in a row were not answered. */
  noAnswer: 'no-answer',
  /** The softphone is not registered, so the counsellor cannot be rung. */
  registrationLost: 'registration-lost',
} as const;

/** A counsellor's live state, as kept by the service and driven by the counsellor state machine. */
export interface CounsellorSnapshot extends CounsellorProfile {
  status: CounsellorStatus;
  /** When `status` last changed. */
  statusSince: number;
  lastCallEndedAt: number | null;
  lastOfferedAt: number | null;
  /** Calls answered today (reset by the service at the start of the day). */
  callsToday: number;
  /** Consecutive offers not answered; reset by an answer, a login or a resume. */
  missedInARow: number;
  /** Set exactly when `status` is 'paused'. */
  pauseReason: PauseReason | null;
  /** The call offered ('offered'), in progress ('on-call') or being wrapped up ('wrap-up'); else null. */
  callId: string | null;
  /** Whether the SIP endpoint is registered. Tracked in every status, so it survives a call. */
  registered: boolean;
}

/**
 * The part of a counsellor the matcher reads. Every {@link CounsellorSnapshot} is one; tests and
 * read models may pass lighter objects.
 */
export type CounsellorCandidate = Pick<
  CounsellorSnapshot,
  | 'id'
  | 'skills'
  | 'languages'
  | 'team'
  | 'level'
  | 'status'
  | 'statusSince'
  | 'lastCallEndedAt'
  | 'lastOfferedAt'
  | 'callsToday'
>;

/** A caller waiting in the queue for a counsellor. */
export interface WaitingCaller {
  callId: string;
  /** Original queue entry; kept across service restarts and callbacks so waiting time is honest. */
  enqueuedAt: number;
  /** Higher is more urgent, see `PRIORITY`. */
  priority: number;
  /** A counsellor must have all of them; empty means any counsellor. */
  skills: string[];
  language: Language;
  /** The caller's local team (derived from the line or area); null when there is none. */
  team: string | null;
  /** Counsellors who recently missed this caller: not re-offered while someone else can take it. */
  declinedBy: string[];
  /** Marked at risk by the IVR; like an emergency priority, it shortens the wait for any counsellor. */
  highRisk?: boolean;
}

export type MatchStrategy = 'longest-idle' | 'fewest-calls' | 'round-robin' | 'ring-all';

export interface QueuePolicy {
  strategy: MatchStrategy;
  /**
   * Team widening by waiting time: from `province` ms, province-level counsellors of any team
   * are eligible too; from `any` ms, any qualified counsellor is.
   */
  wideningMs: { province: number; any: number };
  /**
   * Nobody waits for ever for a perfect match: after `normal` ms (`urgent` ms for emergency and
   * high-risk callers) a caller may be offered to any free counsellor, whatever their skills,
   * languages and team, when no eligible counsellor is free. Absent: never.
   */
  anyCounsellorAfterMs?: { normal: number; urgent: number };
}

/** Which team scope applies to a caller at a given waiting time. */
export type WideningStage = 'team' | 'province' | 'any';

/** Ring these counsellors for this call: one, or several for ring-all. */
export interface Offer {
  callId: string;
  counsellorIds: string[];
  /** Present (true) when they were chosen by `anyCounsellorAfterMs`, not as an eligible match. */
  widened?: true;
  /**
   * Present when an eligible counsellor outside the caller's local team was chosen, because the
   * caller waited into that widening stage: 'province' (a province-level team) or 'any' (any team).
   */
  teamWidened?: 'province' | 'any';
}
