/**
 * Small hand-made hotline configs and a driver for the IVR engine, shared by the IVR tests.
 */
import { parseHotlineConfig, type HotlineConfig, type HotlineConfigInput } from '../../../src/config/hotline-config.ts';
import { handleEvent, startCall } from '../../../src/domain/ivr/ivr-engine.ts';
import type { IvrCommand, IvrEvent, IvrState } from '../../../src/domain/ivr/ivr-types.ts';

const PROMPT_IDS = [
  'welcome', 'main', 'exam_option', 'legal_menu', 'invalid', 'no_input', 'privacy', 'exam_closed',
];

/** The exam season of the test config: 1 June 2026 00:00 to 10 June 2026 00:00, Shanghai time. */
export const SEASON_FROM = new Date('2026-06-01T00:00:00+08:00');
export const SEASON_TO = new Date('2026-06-10T00:00:00+08:00');
export const IN_SEASON = new Date('2026-06-05T12:00:00+08:00');
export const OFF_SEASON = new Date('2026-07-01T12:00:00+08:00');

/**
 * Lines: main (12355, emergency key on), exam (123550, seasonal), other (555, no emergency key).
 * Menus: language -> main; main has 1 psych, 2 legal menu, 4 exam (seasonal), 0 general;
 * legal is multi-digit (max 3, terminator #, 2 s inter-digit, 2 attempts).
 */
export function testConfigInput(): HotlineConfigInput {
  return {
    timezone: 'Asia/Shanghai',
    languages: ['cmn', 'yue'],
    ivr: {
      invalidPrompt: 'invalid',
      noInputPrompt: 'no_input',
      privacyNotice: 'privacy',
      fallbackTarget: 'general',
      emergency: { digit: '9', target: 'emergency' },
    },
    prompts: Object.fromEntries(PROMPT_IDS.map((id) => [id, { cmn: `${id} (cmn)`, yue: `${id} (yue)` }])),
    seasons: { exam: { windows: [{ from: '2026-06-01T00:00', to: '2026-06-10T00:00' }] } },
    targets: {
      psych: { need: 'psychological', skills: ['psychological'] },
      legal: { need: 'legal', skills: ['legal'] },
      hardship: { need: 'hardship', skills: ['social_work'], priority: 'highRisk', highRisk: true },
      exam_stress: { need: 'exam_stress', skills: ['psychological'] },
      general: { need: 'general' },
      emergency: { need: 'emergency', priority: 'emergency', highRisk: true },
    },
    menus: {
      language: {
        prompts: ['welcome'],
        options: { '1': { language: 'cmn', menu: 'main' }, '2': { language: 'yue', menu: 'main' } },
      },
      main: {
        prompts: ['main'],
        options: {
          '1': { route: 'psych' },
          '2': { menu: 'legal' },
          '4': { route: 'exam_stress', season: 'exam', prompt: 'exam_option' },
          '0': { route: 'general' },
        },
      },
      legal: {
        prompts: ['legal_menu'],
        maxDigits: 3,
        terminator: '#',
        interDigitTimeoutMs: 2000,
        maxAttempts: 2,
        options: { '0': { menu: 'main' }, '12': { route: 'legal' }, '123': { route: 'hardship' } },
      },
    },
    lines: {
      main: { number: '12355', menu: 'language', emergency: true },
      exam: {
        number: '123550',
        season: 'exam',
        route: 'exam_stress',
        closed: { prompts: ['exam_closed'], line: 'main' },
      },
      other: { number: '555', menu: 'main' },
    },
  };
}

export function testConfig(): HotlineConfig {
  return parseHotlineConfig(testConfigInput());
}

export const digit = (d: string): IvrEvent => ({ type: 'digit', digit: d });
export const finished: IvrEvent = { type: 'prompts-finished' };
export const timeout: IvrEvent = { type: 'timeout' };

/** Presses each character of `keys` as a digit event. */
export const keys = (s: string): IvrEvent[] => [...s].map(digit);

export interface Run {
  state: IvrState;
  /** Commands of every step, in order (startCall first). */
  steps: IvrCommand[][];
  /** Commands of the last step. */
  last: IvrCommand[];
}

/** Starts a call on `number` and feeds `events`, all at `now`. */
export function run(config: HotlineConfig, number: string, events: IvrEvent[], now = OFF_SEASON): Run {
  const start = startCall(config, number, now);
  return more(config, { state: start.state, steps: [start.commands], last: start.commands }, events, now);
}

/** Continues a run with more events at `now`. */
export function more(config: HotlineConfig, from: Run, events: IvrEvent[], now = OFF_SEASON): Run {
  let state = from.state;
  const steps = [...from.steps];
  for (const event of events) {
    const next = handleEvent(config, state, event, now);
    state = next.state;
    steps.push(next.commands);
  }
  return { state, steps, last: steps[steps.length - 1] ?? [] };
}

/** The routing of the last command list, or undefined if it didn't route. */
export function routed(commands: IvrCommand[]) {
  const route = commands.find((c) => c.type === 'route');
  return route?.type === 'route' ? route.routing : undefined;
}

/** The prompts of the play command in `commands`, or undefined. */
export function played(commands: IvrCommand[]) {
  const play = commands.find((c) => c.type === 'play');
  return play?.type === 'play' ? { prompts: play.prompts, language: play.language } : undefined;
}
