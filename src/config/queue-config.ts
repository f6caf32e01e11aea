import { z } from 'zod';
import type { QueuePolicy } from '../domain/routing/types.ts';

const ms = z.number().int().min(0).max(24 * 3600 * 1000);

/** Queue behaviour (issue: queueing callers to counsellors). All times in milliseconds. */
export const QueueSettingsSchema = z
  .object({
    strategy: z.enum(['longest-idle', 'fewest-calls', 'round-robin', 'ring-all']).default('longest-idle'),
    /** Team widening: the caller's team first, then province-level teams, then anyone qualified. */
    wideningMs: z.object({ province: ms, any: ms }).strict().default({ province: 60_000, any: 180_000 }),
    ringTimeoutMs: ms.default(20_000),
    /**
     * How many offers of one matching pass ring at once (each waits for the PBX to originate the
     * counsellor's leg). The longest-waiting caller's offer still starts first. Rung one after
     * another, 300 counsellors signing in at once waited seconds for their first call (chaos surge).
     * Higher is not faster on a small PBX: at 64 on 2 cores the surge's Asterisk took longer to bridge
     * an answer than its phones' 1-3 s calls, and hardly any caller was connected.
     */
    offerConcurrency: z.number().int().min(1).max(256).default(16),
    wrapUpMs: ms.default(30_000),
    maxMissedBeforePause: z.number().int().min(0).max(20).default(2),
    /** How often a waiting caller hears their position and estimated wait. */
    announceEveryMs: ms.default(45_000),
    /** After this long, a waiting caller is offered a callback that keeps their place. */
    callbackOfferAfterMs: ms.default(120_000),
    /** ...or this soon, when nobody who could take the caller is signed in at all. */
    callbackOfferUnstaffedAfterMs: ms.default(8_000),
    /** A callback nobody has claimed this long after it was asked for raises a supervisor alert. */
    callbackClaimAlertAfterMs: ms.default(600_000),
    /** With no logged-in counsellor for the caller's need for this long, any counsellor may answer. */
    overflowAfterMs: ms.default(30_000),
    /**
     * Nobody waits for ever for a perfect match: after this long with no eligible counsellor free,
     * any free counsellor (other skills, languages, teams) may be offered the caller; `urgent` for
     * emergency and high-risk callers. An eligible counsellor who is free is still preferred.
     */
    anyCounsellorAfterMs: z
      .object({ normal: ms, urgent: ms })
      .strict()
      .refine((a) => a.urgent <= a.normal, { message: '"urgent" must not be longer than "normal"' })
      .default({ normal: 60_000, urgent: 10_000 }),
    /** Team a line's callers belong to (for widening); lines not listed have none. */
    lineTeams: z.record(z.string()).default({}),
    /** Register a SIP phone and you are signed in; unregister and you are signed out. */
    presenceFollowsRegistration: z.boolean().default(true),
    /** Answered within this many seconds counts towards the service level. */
    serviceLevelSeconds: z.number().int().min(1).max(600).default(20),
  })
  .strict();

export type QueueSettings = z.infer<typeof QueueSettingsSchema>;

/** What the matcher needs of the queue settings. */
export function queuePolicy(q: QueueSettings): QueuePolicy {
  return { strategy: q.strategy, wideningMs: q.wideningMs, anyCounsellorAfterMs: q.anyCounsellorAfterMs };
}

/** One-key escalation to the police (110). */
export const EscalationSettingsSchema = z
  .object({
    /** DTMF key on the counsellor's own leg that starts an escalation. */
    counsellorKey: z.string().regex(/^[0-9*#]$/).default('*'),
    /** How long each emergency route may ring before the next is tried. */
    answerTimeoutMs: ms.default(20_000),
    /** Prompt played to the police leg before it joins; empty for none. */
    policeAnnouncement: z.string().default('escalation_police_announcement'),
    recordEscalatedCalls: z.boolean().default(true),
    recordingRetentionDays: z.number().int().min(1).max(3650).default(180),
  })
  .strict();

export type EscalationSettings = z.infer<typeof EscalationSettingsSchema>;
