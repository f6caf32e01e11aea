import { describe, expect, it } from 'vitest';
import { parseHotlineConfig } from '../../../src/config/hotline-config.ts';
import { startCall } from '../../../src/domain/ivr/ivr-engine.ts';
import { OFF_SEASON, finished, keys, more, played, routed, run, testConfigInput, timeout } from './fixtures.ts';

/** The test config with "no input means put me through" on the language menu. */
function quickConfig() {
  const input = testConfigInput();
  input.menus.language!.noInputMaxAttempts = 1;
  input.menus.language!.prompts = ['welcome', { prompt: 'exam_option', language: 'yue' }];
  return parseHotlineConfig(input);
}

describe('noInputMaxAttempts: silence puts the caller through sooner than wrong keys', () => {
  const config = quickConfig();

  it('the first silence routes to the fallback target, without a replay', () => {
    const r = run(config, '12355', [finished, timeout]);
    expect(r.last.map((c) => c.type)).toEqual(['route']);
    expect(routed(r.last)).toMatchObject({ need: 'general', language: 'cmn', line: 'main' });
    expect(r.state.path.map((p) => `${p.menu}:${p.outcome}`)).toEqual(['language:timeout', 'language:fallback']);
  });

  it('a wrong key is still explained and the menu replayed', () => {
    const r = run(config, '12355', [finished, ...keys('7')]);
    expect(played(r.last)?.prompts).toEqual(['invalid', 'welcome', { prompt: 'exam_option', language: 'yue' }]);
    expect(r.state.done).toBe(false);
    const again = more(config, r, [finished, ...keys('8')]);
    expect(again.state.done).toBe(false);
    expect(again.state.attempts).toBe(2);
  });

  it('silence after a wrong key puts the caller through', () => {
    const r = run(config, '12355', [finished, ...keys('7'), finished, timeout]);
    expect(routed(r.last)?.need).toBe('general');
    expect(r.state.path.map((p) => p.outcome)).toEqual(['invalid', 'timeout', 'fallback']);
  });

  it('keeps the other menus as they were (main: three silences)', () => {
    const r = run(config, '12355', [...keys('1'), finished, timeout, finished, timeout]);
    expect(r.state.done).toBe(false);
    expect(routed(more(config, r, [finished, timeout]).last)?.need).toBe('general');
  });

  it('without the setting, silence gets every attempt (the default)', () => {
    const input = testConfigInput();
    const r = run(parseHotlineConfig(input), '12355', [finished, timeout, finished, timeout]);
    expect(r.state.done).toBe(false);
  });
});

describe('prompts pinned to a language', () => {
  const config = quickConfig();

  it('play in their own language before the caller chose one; the rest in the default language', () => {
    const { commands } = startCall(config, '12355', OFF_SEASON);
    expect(commands).toEqual([
      { type: 'play', prompts: ['welcome', { prompt: 'exam_option', language: 'yue' }], language: 'cmn' },
    ]);
  });

  it('stay pinned after the caller chose another language', () => {
    const input = testConfigInput();
    input.menus.main!.prompts = ['main', { prompt: 'exam_option', language: 'cmn' }];
    const r = run(parseHotlineConfig(input), '12355', keys('2'));
    expect(played(r.last)).toEqual({ prompts: ['main', { prompt: 'exam_option', language: 'cmn' }], language: 'yue' });
  });
});

describe('a closed line continuing in a menu of its own', () => {
  it('plays the closed prompts then that menu, as a caller of the other line', () => {
    const input = testConfigInput();
    input.lines.exam!.closed = { prompts: ['exam_closed'], line: 'main', menu: 'main' };
    const config = parseHotlineConfig(input);
    const { state, commands } = startCall(config, '123550', OFF_SEASON);
    expect(commands).toEqual([{ type: 'play', prompts: ['exam_closed', 'main'], language: 'cmn' }]);
    expect(state).toMatchObject({ line: 'main', menu: 'main' });
    // The other line's emergency key works there.
    expect(routed(run(config, '123550', keys('9')).last)?.need).toBe('emergency');
  });
});
