import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_ASKS, SURVEY_PROMPTS, shouldOfferSurvey, startSurvey, stepSurvey,
  type SurveyCommand, type SurveyInput, type SurveyState,
} from '../../../src/domain/survey/survey-machine.ts';

const T = 8000;
const digit = (d: string): SurveyInput => ({ type: 'digit', digit: d });
const finished: SurveyInput = { type: 'prompt-finished' };

function run(inputs: SurveyInput[]): { state: SurveyState; commands: SurveyCommand[] } {
  let { state, commands } = startSurvey();
  const all = [...commands];
  for (const i of inputs) {
    ({ state, commands } = stepSurvey(state, i, T));
    all.push(...commands);
  }
  return { state, commands: all };
}

describe('shouldOfferSurvey', () => {
  it('offers only when the line has it, no escalation, not a follow-up, the caller is up and the counsellor left first', () => {
    for (const lineSurvey of [true, false]) for (const escalated of [true, false]) for (const callerUp of [true, false]) {
      for (const counsellorHungUpFirst of [true, false]) for (const followUp of [true, false]) {
        const want = lineSurvey && !escalated && !followUp && callerUp && counsellorHungUpFirst;
        expect(shouldOfferSurvey({ lineSurvey, escalated, callerUp, counsellorHungUpFirst, followUp })).toBe(want);
      }
    }
  });
  it('is never offered after an escalated call', () => {
    expect(shouldOfferSurvey({ lineSurvey: true, escalated: true, callerUp: true, counsellorHungUpFirst: true, followUp: false })).toBe(false);
  });
  it('is never offered after a follow-up call (回访): its outcome asks whether the person was satisfied', () => {
    expect(shouldOfferSurvey({ lineSurvey: true, escalated: false, callerUp: true, counsellorHungUpFirst: true, followUp: true })).toBe(false);
  });
});

describe('survey machine', () => {
  it('starts by asking the question', () => {
    expect(startSurvey().commands).toEqual([{ type: 'play', prompt: SURVEY_PROMPTS.question }]);
  });

  it.each([['1', 1], ['2', 2], ['3', 3]] as const)('key %s stores %i, thanks the caller, then hangs up', (key, answer) => {
    const r = run([digit(key), finished]);
    expect(r.commands).toEqual([
      { type: 'play', prompt: SURVEY_PROMPTS.question },
      { type: 'store-answer', answer },
      { type: 'play', prompt: SURVEY_PROMPTS.thanks },
      { type: 'hang-up' },
    ]);
    expect(r.state).toMatchObject({ stage: 'done', answer });
  });

  it('accepts the answer while the question is still playing and after it', () => {
    expect(run([finished, digit('2')]).commands).toContainEqual({ type: 'store-answer', answer: 2 });
  });

  it('waits the answer time once the question has been heard', () => {
    expect(run([finished]).commands.at(-1)).toEqual({ type: 'wait', ms: T });
  });

  it('silence after the question ends the call politely with no answer', () => {
    const r = run([finished, { type: 'timeout' }, finished]);
    expect(r.commands.slice(-2)).toEqual([{ type: 'play', prompt: SURVEY_PROMPTS.goodbye }, { type: 'hang-up' }]);
    expect(r.commands.some((c) => c.type === 'store-answer')).toBe(false);
    expect(r.state.answer).toBeNull();
  });

  it('a timeout before the question ended is stale and ignored', () => {
    const { state } = startSurvey();
    expect(stepSurvey(state, { type: 'timeout' }, T)).toEqual({ state, commands: [] });
  });

  it('a wrong key repeats the question once, a second one says goodbye', () => {
    const once = run([digit('7')]);
    expect(once.commands.at(-1)).toEqual({ type: 'play', prompt: SURVEY_PROMPTS.question });
    expect(once.state.asked).toBe(2);
    const twice = run([digit('7'), digit('#'), finished]);
    expect(twice.commands.slice(-2)).toEqual([{ type: 'play', prompt: SURVEY_PROMPTS.goodbye }, { type: 'hang-up' }]);
    expect(twice.state.answer).toBeNull();
  });

  it('a right key after a wrong one is still taken', () => {
    expect(run([digit('9'), digit('3')]).commands).toContainEqual({ type: 'store-answer', answer: 3 });
  });

  it('the caller hanging up ends it with nothing to do', () => {
    const { state } = startSurvey();
    expect(stepSurvey(state, { type: 'caller-left' }, T)).toEqual({ state: { ...state, stage: 'done', waiting: false }, commands: [] });
  });

  it('a failure hangs up at once', () => {
    const r = run([{ type: 'failed' }]);
    expect(r.commands.at(-1)).toEqual({ type: 'hang-up' });
    expect(r.state.stage).toBe('done');
  });

  it('keys during the thank-you change nothing', () => {
    const r = run([digit('1'), digit('3'), finished]);
    expect(r.commands.filter((c) => c.type === 'store-answer')).toEqual([{ type: 'store-answer', answer: 1 }]);
  });
});

const inputArb: fc.Arbitrary<SurveyInput> = fc.oneof(
  fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#').map(digit),
  fc.constant(finished),
  fc.constant<SurveyInput>({ type: 'timeout' }),
  fc.constant<SurveyInput>({ type: 'caller-left' }),
  fc.constant<SurveyInput>({ type: 'failed' }),
);

describe('survey machine properties', () => {
  it('hangs up at most once, stores at most once, and never acts after it is done', () => {
    fc.assert(fc.property(fc.array(inputArb, { maxLength: 30 }), (inputs) => {
      const r = run(inputs);
      expect(r.commands.filter((c) => c.type === 'hang-up').length).toBeLessThanOrEqual(1);
      expect(r.commands.filter((c) => c.type === 'store-answer').length).toBeLessThanOrEqual(1);
      const hangAt = r.commands.findIndex((c) => c.type === 'hang-up');
      if (hangAt >= 0) expect(hangAt).toBe(r.commands.length - 1);
      if (hangAt >= 0) expect(r.state.stage).toBe('done');
    }));
  });

  it('never stores an answer after the caller hung up', () => {
    fc.assert(fc.property(fc.array(inputArb), fc.array(inputArb), (before, after) => {
      let { state } = startSurvey();
      for (const i of before) state = stepSurvey(state, i, T).state;
      state = stepSurvey(state, { type: 'caller-left' }, T).state;
      for (const i of after) {
        const step = stepSurvey(state, i, T);
        expect(step.commands).toEqual([]);
        state = step.state;
      }
    }));
  });

  it('the stored answer is the first valid key, and only 1, 2 or 3', () => {
    fc.assert(fc.property(fc.array(inputArb, { maxLength: 30 }), (inputs) => {
      const r = run(inputs);
      const stored = r.commands.filter((c): c is Extract<SurveyCommand, { type: 'store-answer' }> => c.type === 'store-answer');
      for (const s of stored) expect([1, 2, 3]).toContain(s.answer);
      if (stored[0]) expect(r.state.answer).toBe(stored[0].answer);
    }));
  });

  it('the question is put at most twice and every play is a survey prompt', () => {
    fc.assert(fc.property(fc.array(inputArb, { maxLength: 30 }), (inputs) => {
      const plays = run(inputs).commands.filter((c) => c.type === 'play');
      expect(plays.filter((p) => p.type === 'play' && p.prompt === SURVEY_PROMPTS.question).length).toBeLessThanOrEqual(MAX_ASKS);
      for (const p of plays) if (p.type === 'play') expect(Object.values(SURVEY_PROMPTS)).toContain(p.prompt);
    }));
  });

  it('a caller who keeps listening always gets to a hang-up (the call never lingers)', () => {
    fc.assert(fc.property(fc.array(inputArb.filter((i) => i.type !== 'caller-left'), { maxLength: 10 }), (inputs) => {
      // After any inputs, the prompts ending and the timer firing are enough to end the call.
      const r = run([...inputs, finished, { type: 'timeout' }, finished, { type: 'timeout' }, finished]);
      expect(r.state.stage).toBe('done');
      expect(r.commands.filter((c) => c.type === 'hang-up')).toHaveLength(1);
    }));
  });
});
