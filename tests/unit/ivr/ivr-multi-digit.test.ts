import { describe, expect, it } from 'vitest';
import { digit, finished, keys, more, played, routed, run, testConfig, timeout } from './fixtures.ts';

// The legal menu of the test config: maxDigits 3, terminator #, inter-digit 2 s, options 0, 12, 123.
const config = testConfig();
const inLegal = () => run(config, '12355', [...keys('12'), finished]);

describe('multi-digit input', () => {
  it('collects digits and restarts the inter-digit timer after each', () => {
    const r = more(config, inLegal(), keys('1'));
    expect(r.last).toEqual([{ type: 'cancel-timer' }, { type: 'start-timer', ms: 2000 }]);
    expect(r.state.digits).toBe('1');
    const r2 = more(config, r, keys('2'));
    expect(r2.last).toEqual([{ type: 'cancel-timer' }, { type: 'start-timer', ms: 2000 }]);
    expect(r2.state.digits).toBe('12');
  });

  it('the terminator submits what was typed, without itself', () => {
    const r = more(config, inLegal(), keys('12#'));
    expect(r.last.map((c) => c.type)).toEqual(['cancel-timer', 'route']);
    expect(routed(r.last)?.need).toBe('legal');
    expect(r.state.path.at(-1)).toMatchObject({ menu: 'legal', input: '12', outcome: 'option' });
  });

  it('the inter-digit timeout submits what was typed', () => {
    const r = more(config, inLegal(), [...keys('12'), timeout]);
    expect(r.last).toEqual([expect.objectContaining({ type: 'route' })]);
    expect(routed(r.last)?.need).toBe('legal');
  });

  it('reaching maxDigits submits at once', () => {
    const r = more(config, inLegal(), keys('123'));
    expect(routed(r.last)?.need).toBe('hardship');
  });

  it('an input no longer option can extend is acted on at once', () => {
    const r = more(config, inLegal(), keys('0'));
    expect(r.state.menu).toBe('main');
    expect(played(r.last)?.prompts).toEqual(['main']);
  });

  it('an unknown code is invalid when complete', () => {
    const r = more(config, inLegal(), keys('555'));
    expect(played(r.last)?.prompts).toEqual(['invalid', 'legal_menu']);
    expect(r.state.path.at(-1)).toMatchObject({ input: '555', outcome: 'invalid' });
    expect(r.state.digits).toBe('');
  });

  it('a prefix submitted by the terminator is invalid', () => {
    const r = more(config, inLegal(), keys('1#'));
    expect(r.state.path.at(-1)).toMatchObject({ input: '1', outcome: 'invalid' });
  });

  it('a prefix left to time out is invalid, not no-input', () => {
    const r = more(config, inLegal(), [digit('1'), timeout]);
    expect(played(r.last)?.prompts).toEqual(['invalid', 'legal_menu']);
  });

  it('the terminator alone is an invalid key', () => {
    const r = more(config, inLegal(), keys('#'));
    expect(r.state.path.at(-1)).toMatchObject({ input: '#', outcome: 'invalid' });
  });

  it('barge-in: digits typed during the menu prompt are kept', () => {
    const r = run(config, '12355', [...keys('12'), ...keys('1')]);
    expect(r.last).toEqual([{ type: 'stop-playback' }, { type: 'start-timer', ms: 2000 }]);
    const r2 = more(config, r, keys('23'));
    expect(routed(r2.last)?.need).toBe('hardship');
  });
});
