/**
 * The privacy notice and the hand-off to a counsellor, overlapped. Every caller (but an emergency)
 * hears the notice in full before a counsellor hears them, yet the notice must not add its length
 * to the wait: the counsellor's phone rings while it plays. A counsellor who answers before it
 * ends hears a short whisper of the call's line and need, and the two are bridged when the notice
 * ends; the caller is never bridged mid-notice. Pure: facts in, what to do out.
 *
 * While the counsellor waits for the notice the call is still an offer (phase `offered`, the
 * counsellor `offered`, the caller's queue entry claimed): every way an offer ends (the counsellor
 * hangs up, the caller leaves, a restart withdraws it) keeps working unchanged, and the caller
 * keeps their place if the counsellor goes.
 */

/** What a counsellor's answer leads to. */
export type AnswerStep =
  /** Nothing holds the caller back: bridge them now. */
  | { type: 'bridge' }
  /** The caller still hears the notice: tell the counsellor about the call, bridge when it ends. */
  | { type: 'whisper'; prompts: string[] };

/** What the end of the notice leads to. */
export type NoticeEndStep =
  /** A counsellor answered during the notice and is still on: bridge them now. */
  | { type: 'bridge' }
  /** Nobody answered yet: the caller waits (and hears that we are connecting them). */
  | { type: 'wait' };

export interface CallSummary {
  line: string;
  need: string;
  highRisk: boolean;
}

/** Prompt ids of the whisper, built from those that exist: a line or need without one is left out. */
export function whisperPrompts(call: CallSummary, known: ReadonlySet<string>): string[] {
  const ids = [
    'whisper_new_call',
    call.highRisk ? 'whisper_high_risk' : null,
    `whisper_line_${call.line}`,
    `whisper_need_${call.need}`,
    'whisper_notice_wait',
  ];
  return ids.filter((id): id is string => id !== null && known.has(id));
}

/** A counsellor answered the caller's current offer. */
export function onCounsellorAnswered(s: { hearingNotice: boolean; call: CallSummary; known: ReadonlySet<string> }): AnswerStep {
  if (!s.hearingNotice) return { type: 'bridge' };
  return { type: 'whisper', prompts: whisperPrompts(s.call, s.known) };
}

/**
 * The caller's notice ended (or its end was given up waiting for). `answerStillCurrent`: a counsellor
 * answered during it, and their offer is still the caller's (they did not hang up, no restart
 * withdrew it).
 */
export function onNoticeEnded(s: { answerStillCurrent: boolean }): NoticeEndStep {
  return s.answerStillCurrent ? { type: 'bridge' } : { type: 'wait' };
}
