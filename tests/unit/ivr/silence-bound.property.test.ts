import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHotlineConfig, type HotlineConfigInput } from '../../../src/config/hotline-config.ts';
import type { Language } from '../../../src/domain/calls/routing-request.ts';
import { silentBound, type PromptDurations } from '../../../src/domain/ivr/silence-bound.ts';
import { runSilentCaller } from './silent-caller.ts';

/**
 * The silence bound against the engine itself: over generated menus (prompts pinned or not,
 * seasonal options, multi-digit menus, attempts, no-input limits, seasonal lines closed into
 * another menu), a simulated silent caller is always routed, never later than the bound, and
 * exactly at the bound computed for the same date.
 */

const LANGS: Language[] = ['cmn', 'yue'];
const PROMPTS = ['p0', 'p1', 'p2', 'p3', 'invalid', 'no_input', 'privacy'];
const MENUS = ['m0', 'm1', 'm2'];
const TARGETS = ['general', 'psych', 'emergency'];
const SEASON = { from: '2026-06-01T00:00', to: '2026-06-10T00:00' };
const IN_SEASON = new Date('2026-06-05T12:00:00+08:00').getTime();

const promptRef = fc.oneof(
  fc.constantFrom('p0', 'p1', 'p2', 'p3'),
  fc.record({ prompt: fc.constantFrom('p0', 'p1', 'p2', 'p3'), language: fc.constantFrom(...LANGS) }),
);

const optionArb = fc.record(
  {
    menu: fc.constantFrom(...MENUS),
    route: fc.constantFrom(...TARGETS),
    toMenu: fc.boolean(),
    language: fc.constantFrom(...LANGS),
    season: fc.constant('exam'),
    prompt: fc.constantFrom('p0', 'p1', 'p2', 'p3'),
  },
  { requiredKeys: ['menu', 'route', 'toMenu'] },
).map(({ menu, route, toMenu, ...rest }) => (toMenu ? { menu, ...rest } : { route, ...rest }));

const menuArb = fc
  .record({
    prompts: fc.array(promptRef, { minLength: 1, maxLength: 3 }),
    maxDigits: fc.integer({ min: 1, max: 3 }),
    terminator: fc.option(fc.constantFrom('#' as const, '*' as const), { nil: undefined }),
    keys: fc.uniqueArray(fc.stringMatching(/^[0-9]{1,3}$/), { maxLength: 4 }),
    options: fc.array(optionArb, { minLength: 4, maxLength: 4 }),
    firstDigitTimeoutMs: fc.integer({ min: 500, max: 60_000 }),
    interDigitTimeoutMs: fc.integer({ min: 500, max: 60_000 }),
    maxAttempts: fc.integer({ min: 1, max: 10 }),
    noInput: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
  })
  .map(({ keys, options, maxDigits, terminator, noInput, ...m }) => ({
    ...m,
    maxDigits,
    ...(terminator ? { terminator } : {}),
    ...(noInput !== undefined ? { noInputMaxAttempts: Math.min(noInput, m.maxAttempts) } : {}),
    options: Object.fromEntries(keys.filter((k) => k.length <= maxDigits).map((k, i) => [k, options[i]!])),
  }));

const durationsArb: fc.Arbitrary<PromptDurations> = fc
  .array(fc.tuple(fc.double({ min: 0.1, max: 30, noNaN: true }), fc.double({ min: 0.1, max: 30, noNaN: true })), {
    minLength: PROMPTS.length,
    maxLength: PROMPTS.length,
  })
  .map((pairs) => Object.fromEntries(PROMPTS.map((id, i) => [id, { cmn: pairs[i]![0], yue: pairs[i]![1] }])));

const configArb = fc
  .record({
    defaultLanguage: fc.constantFrom(...LANGS),
    menus: fc.array(menuArb, { minLength: MENUS.length, maxLength: MENUS.length }),
    mainMenu: fc.constantFrom(...MENUS),
    emergency: fc.boolean(),
    examRoutes: fc.boolean(),
    examMenu: fc.constantFrom(...MENUS),
    closedPrompts: fc.array(fc.constantFrom('p0', 'p1', 'p2', 'p3'), { maxLength: 2 }),
    closedMenu: fc.option(fc.constantFrom(...MENUS), { nil: undefined }),
  })
  .map((g): HotlineConfigInput => ({
    languages: LANGS,
    defaultLanguage: g.defaultLanguage,
    ivr: {
      invalidPrompt: 'invalid',
      noInputPrompt: 'no_input',
      privacyNotice: 'privacy',
      fallbackTarget: 'general',
      emergency: { digit: '9', target: 'emergency' },
    },
    prompts: Object.fromEntries(PROMPTS.map((id) => [id, { cmn: id, yue: id }])),
    seasons: { exam: { windows: [SEASON] } },
    targets: {
      general: { need: 'general' },
      psych: { need: 'psychological', skills: ['psychological'] },
      emergency: { need: 'emergency', priority: 'emergency', highRisk: true },
    },
    menus: Object.fromEntries(
      g.menus.map((m, i) => {
        // Keys must not contain the menu's terminator (the config check refuses them).
        const options = Object.fromEntries(Object.entries(m.options).filter(([k]) => !m.terminator || !k.includes(m.terminator)));
        return [MENUS[i]!, { ...m, options }];
      }),
    ),
    lines: {
      main: { number: '12355', menu: g.mainMenu, emergency: g.emergency },
      exam: {
        number: '123550',
        season: 'exam',
        ...(g.examRoutes ? { route: 'psych' } : { menu: g.examMenu }),
        closed: { prompts: g.closedPrompts, line: 'main', ...(g.closedMenu ? { menu: g.closedMenu } : {}) },
      },
    },
  }));

/** Dates around the season, both in and out. */
const nowArb = fc.integer({ min: -40, max: 40 }).map((days) => new Date(IN_SEASON + days * 86_400_000));

describe('silence bound (properties)', () => {
  it('a silent caller is routed, never later than the bound, and exactly at the bound for that date', () => {
    fc.assert(
      fc.property(configArb, durationsArb, nowArb, (input, durations, now) => {
        const config = parseHotlineConfig(input);
        for (const [line, number] of [['main', '12355'], ['exam', '123550']] as const) {
          const run = runSilentCaller(config, number, durations, now);
          const bound = silentBound(config, durations, line);
          const exact = silentBound(config, durations, line, now);
          expect(bound).not.toBeNull();
          expect(run.seconds).toBeLessThanOrEqual(bound!.menuSeconds + 1e-9);
          expect(run.seconds).toBeCloseTo(exact!.menuSeconds, 6);
          // The notice the bound adds is the one the queue plays, in the routing's language.
          expect(run.routing.announce).toEqual(['privacy']);
          expect(exact!.noticeSeconds).toBe(durations.privacy![run.routing.language]);
        }
      }),
      { numRuns: 400 },
    );
  }, 60_000); // 400 generated configs: seconds on a loaded 2-core machine

  it('shrinks with noInputMaxAttempts: 1 to one hearing of the menu and one timeout', () => {
    fc.assert(
      fc.property(configArb, durationsArb, (input, durations) => {
        for (const m of Object.values(input.menus)) m.noInputMaxAttempts = 1;
        const config = parseHotlineConfig(input);
        const menuId = config.lines.main!.menu!;
        const menu = config.menus[menuId]!;
        const run = runSilentCaller(config, '12355', durations, new Date(IN_SEASON));
        expect(run.heard.filter((h) => h.endsWith('/no_input'))).toEqual([]);
        expect(run.seconds).toBeGreaterThanOrEqual(menu.firstDigitTimeoutMs / 1000);
        expect(run.seconds).toBeLessThanOrEqual(silentBound(config, durations, 'main')!.menuSeconds + 1e-9);
      }),
      { numRuns: 200 },
    );
  });
});
