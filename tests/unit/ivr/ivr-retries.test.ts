import { describe, expect, it } from 'vitest';
import { PRIORITY } from '../../../src/domain/calls/routing-request.ts';
import { digit, finished, keys, more, played, routed, run, testConfig, timeout } from './fixtures.ts';

const config = testConfig();

describe('invalid keys and timeouts', () => {
  it('an invalid key plays the invalid prompt and replays the menu', () => {
    const r = run(config, '12355', [finished, ...keys('7')]);
    expect(r.last).toEqual([
      { type: 'cancel-timer' },
      { type: 'play', prompts: ['invalid', 'welcome'], language: 'cmn' },
    ]);
    expect(r.state).toMatchObject({ menu: 'language', attempts: 1, playing: true });
    expect(r.state.path.at(-1)).toMatchObject({ menu: 'language', input: '7', outcome: 'invalid' });
  });

  it.each(['*', '#'])('%s is an invalid key in a menu without that option', (key) => {
    const r = run(config, '12355', [finished, digit(key)]);
    expect(played(r.last)?.prompts).toEqual(['invalid', 'welcome']);
  });

  it('a string that is not a DTMF digit counts as an invalid key', () => {
    const r = run(config, '12355', [finished, digit('x')]);
    expect(played(r.last)?.prompts).toEqual(['invalid', 'welcome']);
    expect(r.state.path.at(-1)?.outcome).toBe('invalid');
  });

  it('no input plays the no-input prompt and replays the menu', () => {
    const r = run(config, '12355', [finished, timeout]);
    expect(r.last).toEqual([{ type: 'play', prompts: ['no_input', 'welcome'], language: 'cmn' }]);
    expect(r.state.path.at(-1)).toMatchObject({ menu: 'language', input: '', outcome: 'timeout' });
  });

  it('a valid key after a failure still works', () => {
    const r = run(config, '12355', [finished, ...keys('7'), finished, ...keys('2')]);
    expect(r.state.menu).toBe('main');
    expect(r.state.attempts).toBe(0);
  });
});

describe('max attempts and fallback', () => {
  it('after the 3rd failure (default) the caller is routed to the fallback target', () => {
    const r = run(config, '12355', [finished, ...keys('7'), finished, timeout, finished]);
    expect(r.last).toEqual([{ type: 'start-timer', ms: 6000 }]);
    const end = more(config, r, keys('8'));
    expect(end.last.map((c) => c.type)).toEqual(['cancel-timer', 'route']);
    expect(routed(end.last)).toMatchObject({ need: 'general', priority: PRIORITY.normal, line: 'main' });
    expect(end.state.done).toBe(true);
    expect(end.state.path.map((p) => p.outcome)).toEqual(['invalid', 'timeout', 'invalid', 'fallback']);
    expect(end.state.path.at(-1)).toMatchObject({ menu: 'language', input: '' });
  });

  it('a silent caller reaches a person: three timeouts route to the fallback', () => {
    const r = run(config, '12355', [finished, timeout, finished, timeout, finished, timeout]);
    expect(routed(r.last)?.need).toBe('general');
    expect(r.steps.flat().some((c) => c.type === 'route')).toBe(true);
  });

  it('respects a per-menu maxAttempts (legal menu: 2)', () => {
    const r = run(config, '12355', [...keys('12'), finished, timeout, finished, timeout]);
    expect(routed(r.last)?.need).toBe('general');
    expect(r.state.path.map((p) => `${p.menu}:${p.outcome}`)).toEqual([
      'language:option', 'main:option', 'legal:timeout', 'legal:timeout', 'legal:fallback',
    ]);
  });

  it('the fallback keeps the chosen language', () => {
    const r = run(config, '12355', [...keys('2'), finished, timeout, finished, timeout, finished, timeout]);
    expect(routed(r.last)).toMatchObject({ need: 'general', language: 'yue' });
  });

  it('attempts reset when the caller reaches a new menu', () => {
    const r = run(config, '12355', [finished, ...keys('7'), finished, ...keys('7'), finished, ...keys('1')]);
    expect(r.state).toMatchObject({ menu: 'main', attempts: 0 });
    const next = more(config, r, [finished, timeout]);
    expect(next.state.done).toBe(false);
    expect(next.state.attempts).toBe(1);
  });
});
