import { parseHotlineConfig, type HotlineConfig, type HotlineConfigInput } from '../../src/config/hotline-config.ts';
import { parseRoster, type Roster } from '../../src/config/roster.ts';

/** Prompt ids the menus below use, spoken in both languages. */
const PROMPTS = ['welcome_language', 'main_menu', 'invalid_input', 'no_input', 'privacy_notice'];

/**
 * A small hotline for service tests, independent of config/hotline.yaml:
 * line main (12355, emergency key 9) → menu language (1 Mandarin, 2 Cantonese) → menu main
 * (1 psychological: needs the 'psychological' skill, 0 general: anyone).
 */
export function serviceTestConfigInput(): HotlineConfigInput {
  return {
    timezone: 'Asia/Shanghai',
    languages: ['cmn', 'yue'],
    defaultLanguage: 'cmn',
    ivr: {
      invalidPrompt: 'invalid_input', noInputPrompt: 'no_input', privacyNotice: 'privacy_notice',
      fallbackTarget: 'general', emergency: { digit: '9', target: 'emergency' },
    },
    prompts: Object.fromEntries(PROMPTS.map((id) => [id, { cmn: `${id} 普通话`, yue: `${id} 廣東話` }])),
    targets: {
      psychological: { need: 'psychological', skills: ['psychological'] },
      general: { need: 'general', skills: [] },
      emergency: { need: 'emergency', skills: [], priority: 'emergency', highRisk: true },
    },
    menus: {
      language: { prompts: ['welcome_language'], firstDigitTimeoutMs: 5000, options: { '1': { language: 'cmn', menu: 'main' }, '2': { language: 'yue', menu: 'main' } } },
      main: { prompts: ['main_menu'], firstDigitTimeoutMs: 5000, options: { '1': { route: 'psychological' }, '0': { route: 'general' } } },
    },
    // No survey prompts here: a counsellor hanging up ends the call at once (withSurvey turns it on).
    lines: { main: { number: '12355', menu: 'language', emergency: true } },
    queue: {
      strategy: 'longest-idle', ringTimeoutMs: 20_000, wrapUpMs: 30_000, maxMissedBeforePause: 2, announceEveryMs: 45_000,
      callbackOfferAfterMs: 120_000, overflowAfterMs: 30_000, presenceFollowsRegistration: true, serviceLevelSeconds: 20,
    },
    escalation: { counsellorKey: '*', answerTimeoutMs: 20_000, policeAnnouncement: 'escalation_police_announcement', recordEscalatedCalls: true },
  };
}

/** Turns the satisfaction survey on for the main line, with its prompts. */
export function withSurvey(c: HotlineConfigInput): void {
  for (const id of ['survey_question', 'survey_thanks', 'survey_goodbye']) c.prompts[id] = { cmn: `${id} 普通话`, yue: `${id} 廣東話` };
  const main = c.lines.main;
  if (main) main.survey = true;
  c.survey = { answerTimeoutMs: 5000 };
}

export function serviceTestConfig(patch: (c: HotlineConfigInput) => void = () => undefined): HotlineConfig {
  const input = serviceTestConfigInput();
  patch(input);
  return parseHotlineConfig(input);
}

/** Counsellors c1 (phone 1001, psychological, both languages) and c2 (1002, no skills, Mandarin); supervisor s1 (2001). */
export function serviceTestRoster(): Roster {
  return parseRoster({
    counsellors: [
      { id: 'c1', name: '陈老师', sipUser: '1001', skills: ['psychological'], languages: ['cmn', 'yue'], team: 'gz', level: 'city' },
      { id: 'c2', name: '李老师', sipUser: '1002', skills: [], languages: ['cmn'], team: 'gz', level: 'city' },
    ],
    staff: [{ id: 's1', name: '王督导', role: 'supervisor', team: 'gz', level: 'province', sipUser: '2001' }],
  });
}

export const PRIMARY_110 = 'PJSIP/110@emergency';
export const FALLBACK_110 = 'PJSIP/110@emergency-fallback';
export const CALLBACK_DIAL = 'PJSIP/{number}@carrier-out';
