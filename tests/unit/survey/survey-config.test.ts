import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadHotlineConfig } from '../../../src/config/hotline-config.ts';
import { surveyOnLine } from '../../../src/config/survey-config.ts';
import { serviceTestConfig, withSurvey } from '../../fakes/hotline-fixture.ts';

describe('survey per line', () => {
  it('is on by default for the main (default) line only, and a line setting wins', () => {
    const config = serviceTestConfig((c) => {
      withSurvey(c);
      delete c.lines.main?.survey;
      c.lines.exam = { number: '123550', route: 'general' };
      c.lines.other = { number: '123551', route: 'general', survey: true };
    });
    expect(surveyOnLine(config, 'main')).toBe(true);
    expect(surveyOnLine(config, 'exam')).toBe(false);
    expect(surveyOnLine(config, 'other')).toBe(true);
    expect(surveyOnLine(config, 'unknown')).toBe(false);
    const off = serviceTestConfig((c) => withSurvey(c));
    expect(surveyOnLine({ ...off, lines: { ...off.lines, main: { ...off.lines.main!, survey: false } } }, 'main')).toBe(false);
  });

  it('unset on the main line but without the survey prompts (a config from before the survey): off', () => {
    expect(surveyOnLine(serviceTestConfig(), 'main')).toBe(false);
  });

  it('a line with the survey needs its prompts, named by setting', () => {
    expect(() => serviceTestConfig((c) => {
      c.lines.main!.survey = true;
    })).toThrow(/lines\.main\.survey: unknown prompt "survey_question"/);
  });

  it('rejects a bad survey setting and a bad answer time', () => {
    expect(() => serviceTestConfig((c) => {
      (c.lines.main as Record<string, unknown>).survey = 'yes';
    })).toThrow(/lines\.main\.survey/);
    expect(() => serviceTestConfig((c) => {
      withSurvey(c);
      c.survey = { answerTimeoutMs: 10 };
    })).toThrow(/survey\.answerTimeoutMs/);
  });

  it('config/hotline.yaml: on for the main line, off for the exam-season line, prompts in Mandarin and Cantonese', () => {
    const config = loadHotlineConfig(fileURLToPath(new URL('../../../config/hotline.yaml', import.meta.url)));
    expect(surveyOnLine(config, 'main')).toBe(true);
    expect(surveyOnLine(config, 'exam')).toBe(false);
    for (const id of ['survey_question', 'survey_thanks', 'survey_goodbye']) {
      expect(config.prompts[id]?.cmn).toMatch(/[\u4e00-\u9fff]/);
      expect(config.prompts[id]?.yue).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(config.prompts.survey_question?.cmn).toContain('满意请按1');
    expect(config.prompts.survey_question?.yue).toContain('滿意請按1');
  });
});
