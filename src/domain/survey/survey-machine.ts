/**
 * The satisfaction survey (满意度) a caller hears when the counsellor ends the call: whether it is
 * offered, and what each key, silence or hang-up leads to. Pure: a state and an input in, the next
 * state and the commands for the service (play, wait, store, hang up) out. No pressure on the
 * caller: one question, one repeat after a wrong key, silence ends the call politely.
 */

/** The caller's answer, as stored on the call record (`calls.satisfaction`). */
export type SurveyAnswer = 1 | 2 | 3;

/** Prompt ids, in the hotline config (config/hotline.yaml), in Mandarin and Cantonese. */
export const SURVEY_PROMPTS = {
  question: 'survey_question',
  thanks: 'survey_thanks',
  goodbye: 'survey_goodbye',
} as const;

export type SurveyStage = 'asking' | 'thanking' | 'goodbye' | 'done';

export interface SurveyState {
  stage: SurveyStage;
  /** Times the question was put (1 at the start; at most 2). */
  asked: number;
  /** The question has been heard to its end: the answer timer runs. */
  waiting: boolean;
  answer: SurveyAnswer | null;
}

export type SurveyInput =
  | { type: 'digit'; digit: string }
  /** The current prompt ended. */
  | { type: 'prompt-finished' }
  /** No key within the answer time after the question. */
  | { type: 'timeout' }
  | { type: 'caller-left' }
  /** Something failed while acting on the survey: end it, politely and at once. */
  | { type: 'failed' };

export type SurveyCommand =
  /** Stop what is playing (if anything) and play these prompts. */
  | { type: 'play'; prompt: string }
  /** Start the answer timer (the service cancels any timer before each input). */
  | { type: 'wait'; ms: number }
  | { type: 'store-answer'; answer: SurveyAnswer }
  | { type: 'hang-up' };

export interface SurveyStep {
  state: SurveyState;
  commands: SurveyCommand[];
}

/** How many times the question is put at most: the first time and one repeat after a wrong key. */
export const MAX_ASKS = 2;

export interface SurveyOfferFacts {
  /** The line's `survey` setting (on by default for the main line). */
  lineSurvey: boolean;
  /** The call was escalated to 110 at some point (its outcome, or an escalation on the call). */
  escalated: boolean;
  /** The caller's channel is still up. */
  callerUp: boolean;
  /** The counsellor ended the call (the caller did not hang up first). */
  counsellorHungUpFirst: boolean;
  /** A follow-up call (回访) the hotline made: its outcome records whether the person was satisfied. */
  followUp: boolean;
}

/** Whether the caller hears the survey: never after an escalation or a follow-up call, never to a caller who left. */
export function shouldOfferSurvey(f: SurveyOfferFacts): boolean {
  return f.lineSurvey && !f.escalated && !f.followUp && f.callerUp && f.counsellorHungUpFirst;
}

const ANSWERS: Readonly<Record<string, SurveyAnswer>> = { '1': 1, '2': 2, '3': 3 };

/** The survey starts: the question is played. */
export function startSurvey(): SurveyStep {
  return { state: { stage: 'asking', asked: 1, waiting: false, answer: null }, commands: [{ type: 'play', prompt: SURVEY_PROMPTS.question }] };
}

const done = (state: SurveyState): SurveyStep => ({ state: { ...state, stage: 'done', waiting: false }, commands: [] });

/** The next step of the survey; `answerTimeoutMs` is how long silence after the question lasts. */
export function stepSurvey(state: SurveyState, input: SurveyInput, answerTimeoutMs: number): SurveyStep {
  if (state.stage === 'done') return { state, commands: [] };
  // Gone: nothing to play, nothing to store (an answer already given stays stored).
  if (input.type === 'caller-left') return done(state);
  if (input.type === 'failed') return { state: { ...state, stage: 'done', waiting: false }, commands: [{ type: 'hang-up' }] };
  if (state.stage === 'thanking' || state.stage === 'goodbye') {
    // Keys during the closing words change nothing; the call ends once they are said.
    if (input.type === 'prompt-finished') return { state: { ...state, stage: 'done' }, commands: [{ type: 'hang-up' }] };
    return { state, commands: [] };
  }
  // asking
  switch (input.type) {
    case 'digit': {
      const answer = ANSWERS[input.digit];
      if (answer) {
        return {
          state: { ...state, stage: 'thanking', waiting: false, answer },
          commands: [{ type: 'store-answer', answer }, { type: 'play', prompt: SURVEY_PROMPTS.thanks }],
        };
      }
      if (state.asked < MAX_ASKS) {
        return { state: { ...state, asked: state.asked + 1, waiting: false }, commands: [{ type: 'play', prompt: SURVEY_PROMPTS.question }] };
      }
      return { state: { ...state, stage: 'goodbye', waiting: false }, commands: [{ type: 'play', prompt: SURVEY_PROMPTS.goodbye }] };
    }
    case 'prompt-finished':
      return { state: { ...state, waiting: true }, commands: [{ type: 'wait', ms: answerTimeoutMs }] };
    case 'timeout':
      // A timer from before the question ended (stale) is ignored; real silence ends the call politely.
      if (!state.waiting) return { state, commands: [] };
      return { state: { ...state, stage: 'goodbye', waiting: false }, commands: [{ type: 'play', prompt: SURVEY_PROMPTS.goodbye }] };
  }
}
