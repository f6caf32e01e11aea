import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigError } from '../../../src/config/config-error.ts';
import {
  loadHotlineConfig, parseHotlineConfig, readHotlineConfig, type HotlineConfigInput,
} from '../../../src/config/hotline-config.ts';
import { testConfigInput } from '../ivr/fixtures.ts';

/** Parses a modified copy of the test config and returns the ConfigError it throws. */
function rejection(edit: (c: HotlineConfigInput & Record<string, unknown>) => void): ConfigError {
  const input = structuredClone(testConfigInput()) as HotlineConfigInput & Record<string, unknown>;
  edit(input);
  try {
    parseHotlineConfig(input);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected the config to be rejected');
}

describe('parseHotlineConfig', () => {
  it('accepts the test config and fills in defaults', () => {
    const c = parseHotlineConfig(testConfigInput());
    expect(c.defaultLanguage).toBe('cmn');
    expect(c.defaultLine).toBe('main');
    expect(c.menus.main).toMatchObject({ maxDigits: 1, maxAttempts: 3, firstDigitTimeoutMs: 6000 });
    expect(c.targets.general).toEqual({ need: 'general', skills: [], priority: 'normal', highRisk: false });
  });

  it('accepts numbers written without quotes in YAML', () => {
    const input = testConfigInput();
    (input.lines.main as { number: unknown }).number = 12355;
    expect(parseHotlineConfig(input).lines.main?.number).toBe('12355');
  });

  it.each<[string, (c: HotlineConfigInput) => void, string]>([
    ['an option prompt', (c) => { c.menus.main!.options['4']!.prompt = 'foo'; },
      'menus.main.options.4.prompt: unknown prompt "foo"'],
    ['a menu prompt', (c) => { c.menus.main!.prompts = ['main', 'nope']; }, 'menus.main.prompts.1: unknown prompt "nope"'],
    ['an option target', (c) => { c.menus.main!.options['1'] = { route: 'ghost' }; },
      'menus.main.options.1.route: unknown target "ghost"'],
    ['an option menu', (c) => { c.menus.main!.options['2'] = { menu: 'gone' }; }, 'menus.main.options.2.menu: unknown menu "gone"'],
    ['an option season', (c) => { c.menus.main!.options['4']!.season = 'winter'; },
      'menus.main.options.4.season: unknown season "winter"'],
    ['a line menu', (c) => { c.lines.other!.menu = 'gone'; }, 'lines.other.menu: unknown menu "gone"'],
    ['a line target', (c) => { c.lines.exam!.route = 'ghost'; }, 'lines.exam.route: unknown target "ghost"'],
    ['a closed line', (c) => { c.lines.exam!.closed!.line = 'nowhere'; }, 'lines.exam.closed.line: unknown line "nowhere"'],
    ['a closed line\'s menu', (c) => { c.lines.exam!.closed!.menu = 'gone'; }, 'lines.exam.closed.menu: unknown menu "gone"'],
    ['a pinned menu prompt', (c) => { c.menus.main!.prompts = ['main', { prompt: 'nope', language: 'yue' }]; },
      'menus.main.prompts.1.prompt: unknown prompt "nope"'],
    ['the fallback target', (c) => { c.ivr.fallbackTarget = 'ghost'; }, 'ivr.fallbackTarget: unknown target "ghost"'],
    ['the privacy notice', (c) => { c.ivr.privacyNotice = 'nope'; }, 'ivr.privacyNotice: unknown prompt "nope"'],
    ['the emergency target', (c) => { c.ivr.emergency.target = 'ghost'; }, 'ivr.emergency.target: unknown target "ghost"'],
    ['the default line', (c) => { c.defaultLine = 'ghost'; }, 'defaultLine: unknown line "ghost"'],
  ])('rejects an unknown reference in %s', (_what, edit, message) => {
    const err = rejection(edit);
    expect(err.message).toBe(message);
    expect(err.setting).toBe(message.split(':')[0]);
    expect(err.code).toBe('config-invalid');
  });

  it.each<[string, (c: HotlineConfigInput & Record<string, unknown>) => void, RegExp]>([
    ['a prompt missing a language', (c) => { c.prompts.main = { cmn: 'x' }; }, /^prompts\.main\.yue: missing yue text/],
    ['an option language the hotline lacks', (c) => { c.menus.language!.options['2']!.language = 'hak'; },
      /^menus\.language\.options\.2\.language: language "hak" is not in languages/],
    ['an unknown time zone', (c) => { c.timezone = 'Mars/Olympus'; }, /^timezone: unknown time zone/],
    ['two lines with one number', (c) => { c.lines.other!.number = '12355'; }, /^lines\.other\.number: number 12355 is already used by line "main"/],
    ['a key longer than maxDigits', (c) => { c.menus.main!.options['12'] = { route: 'psych' }; }, /^menus\.main\.options\.12: key "12" is longer/],
    ['a closed line that is itself seasonal', (c) => { c.lines.exam!.closed!.line = 'exam'; }, /^lines\.exam\.closed\.line: line "exam" must be/],
    ['an option with both menu and route', (c) => { c.menus.main!.options['1'] = { route: 'psych', menu: 'main' }; },
      /^menus\.main\.options\.1: an option needs exactly one/],
    ['a seasonal line without closed', (c) => { delete c.lines.exam!.closed; }, /^lines\.exam: a seasonal line needs "closed"/],
    ['an unknown priority name', (c) => { (c.targets.psych as Record<string, unknown>).priority = 'urgent'; }, /^targets\.psych\.priority: /],
    ['a window that ends before it starts', (c) => { c.seasons!.exam!.windows[0]!.to = '2026-05-01T00:00'; },
      /^seasons\.exam\.windows\.0: "from" must be before "to"/],
    ['a badly written date', (c) => { c.seasons!.exam!.windows[0]!.from = '2026-6-1'; }, /^seasons\.exam\.windows\.0\.from: expected YYYY-MM-DDTHH:mm/],
    ['an unknown setting (typo)', (c) => { c.menus.main!.options['1'] = { rout: 'psych' } as never; }, /^menus\.main\.options\.1: Unrecognized key/],
    ['a language outside the schema', (c) => { c.languages = ['cmn', 'eng' as never]; }, /^languages\.1: /],
    ['a prompt pinned to a language the hotline lacks', (c) => { c.menus.main!.prompts = [{ prompt: 'main', language: 'hak' }]; },
      /^menus\.main\.prompts\.0\.language: language "hak" is not in languages/],
    ['an urgent any-counsellor wait longer than the normal one', (c) => { c.queue = { anyCounsellorAfterMs: { normal: 1000, urgent: 2000 } }; },
      /^queue\.anyCounsellorAfterMs: "urgent" must not be longer than "normal"/],
    ['more no-input attempts than attempts', (c) => { c.menus.main!.maxAttempts = 2; c.menus.main!.noInputMaxAttempts = 3; },
      /^menus\.main\.noInputMaxAttempts: 3 is more than maxAttempts 2/],
  ])('rejects %s, naming the setting', (_what, edit, pattern) => {
    expect(rejection(edit).message).toMatch(pattern);
  });

  it('allows Hakka and Teochew as languages', () => {
    const input = testConfigInput();
    input.languages = ['cmn', 'yue', 'hak', 'nan'];
    for (const p of Object.values(input.prompts)) Object.assign(p, { hak: 'h', nan: 'n' });
    expect(parseHotlineConfig(input).languages).toEqual(['cmn', 'yue', 'hak', 'nan']);
  });
});

/** Writes `input` as YAML to a new temp file. */
function yamlFile(input: HotlineConfigInput): string {
  const file = join(mkdtempSync(join(tmpdir(), 'hotline-')), 'hotline.yaml');
  writeFileSync(file, stringify(input));
  return file;
}

/** The test config with silence put through after one timeout in every menu. */
function quickOnSilence(): HotlineConfigInput {
  const input = testConfigInput();
  for (const m of Object.values(input.menus)) m.noInputMaxAttempts = 1;
  return input;
}

describe('loadHotlineConfig', () => {
  it('reads YAML from disk', () => {
    expect(readHotlineConfig(yamlFile(testConfigInput())).lines.exam?.number).toBe('123550');
    expect(loadHotlineConfig(yamlFile(quickOnSilence())).lines.exam?.number).toBe('123550');
  });

  it('refuses menus that keep a silent caller longer than ivr.maxSilentSeconds, naming the menu', () => {
    // Three 6 s timeouts with replays in between on the language menu: well over 30 s.
    const err = (() => {
      try {
        loadHotlineConfig(yamlFile(testConfigInput()));
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected the config to be rejected');
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.setting).toBe('menus.language');
    expect(err.message).toMatch(/^menus\.language: a caller who presses nothing on line "main" \(12355\) hears [\d.]+ s of menus/);
    expect(err.message).toContain('ivr.maxSilentSeconds (30 s)');
  });

  it('applies the limit as configured, with the rendered prompts when there are any', () => {
    const tight = quickOnSilence();
    tight.ivr.maxSilentSeconds = 5;
    expect(() => loadHotlineConfig(yamlFile(tight))).toThrow(/over ivr\.maxSilentSeconds \(5 s\)/);
    // A rendered 1 s language prompt instead of the estimate of its text.
    const sounds = mkdtempSync(join(tmpdir(), 'sounds-'));
    const roomy = quickOnSilence();
    roomy.ivr.maxSilentSeconds = 30;
    roomy.prompts.welcome = { cmn: '很长'.repeat(200), yue: '很長'.repeat(200) };
    expect(() => loadHotlineConfig(yamlFile(roomy))).toThrow(/^menus\.language: /);
    mkdirSync(join(sounds, 'hotline', 'cmn'), { recursive: true });
    writeFileSync(join(sounds, 'hotline', 'cmn', 'welcome.wav'), Buffer.alloc(44 + 16_000));
    expect(loadHotlineConfig(yamlFile(roomy), sounds).menus.language).toBeDefined();
  });

  it('throws a ConfigError for a missing file or bad YAML', () => {
    expect(() => loadHotlineConfig('/nonexistent/hotline.yaml')).toThrow(ConfigError);
    const dir = mkdtempSync(join(tmpdir(), 'hotline-'));
    writeFileSync(join(dir, 'bad.yaml'), 'menus: [unclosed');
    expect(() => loadHotlineConfig(join(dir, 'bad.yaml'))).toThrow(/invalid YAML/);
  });
});
