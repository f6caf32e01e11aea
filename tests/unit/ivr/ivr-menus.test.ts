import { describe, expect, it } from 'vitest';
import { PRIORITY } from '../../../src/domain/calls/routing-request.ts';
import { handleEvent, startCall } from '../../../src/domain/ivr/ivr-engine.ts';
import { finished, keys, more, played, routed, run, testConfig, timeout } from './fixtures.ts';

const config = testConfig();

describe('starting a call', () => {
  it('plays the entry menu of the dialled line in the default language', () => {
    const { state, commands } = startCall(config, '12355', new Date());
    expect(commands).toEqual([{ type: 'play', prompts: ['welcome'], language: 'cmn' }]);
    expect(state).toMatchObject({ line: 'main', menu: 'language', attempts: 0, digits: '', done: false, playing: true });
    expect(state.path).toEqual([]);
  });

  it('uses the default line (the first) for a number no line claims', () => {
    const { state } = startCall(config, '000', new Date());
    expect(state.line).toBe('main');
    expect(state.menu).toBe('language');
  });

  it('starts the first-digit timer only when the prompts have finished', () => {
    const r = run(config, '12355', [finished]);
    expect(r.last).toEqual([{ type: 'start-timer', ms: 6000 }]);
    expect(r.state.playing).toBe(false);
  });

  it('ignores a late prompts-finished once the timer runs', () => {
    const r = run(config, '12355', [finished, finished]);
    expect(r.last).toEqual([]);
  });
});

describe('options', () => {
  it('1 then 1 routes to the psychological target with the privacy notice', () => {
    const r = run(config, '12355', [finished, ...keys('1'), finished, ...keys('1')]);
    expect(r.last).toEqual([
      { type: 'cancel-timer' },
      {
        type: 'route',
        routing: {
          line: 'main',
          need: 'psychological',
          skills: ['psychological'],
          language: 'cmn',
          priority: PRIORITY.normal,
          highRisk: false,
          announce: ['privacy'],
        },
      },
    ]);
    expect(r.state).toMatchObject({ done: true, menu: null, highRisk: false });
  });

  it('0 routes to the general queue', () => {
    expect(routed(run(config, '12355', keys('10')).last)?.need).toBe('general');
  });

  it('an option can lead to another menu and plays it', () => {
    const r = run(config, '12355', keys('12'));
    expect(played(r.last)).toEqual({ prompts: ['legal_menu'], language: 'cmn' });
    expect(r.state.menu).toBe('legal');
  });

  it('a target marked highRisk sets the priority and the state flag', () => {
    const r = run(config, '12355', keys('12123'));
    expect(routed(r.last)).toMatchObject({ need: 'hardship', priority: PRIORITY.highRisk, highRisk: true });
    expect(r.state.highRisk).toBe(true);
  });

  it('ignores every event once routed', () => {
    const r = run(config, '12355', [...keys('11'), ...keys('2'), timeout, finished]);
    expect(r.steps.slice(-3)).toEqual([[], [], []]);
  });
});

describe('language memory', () => {
  it('choosing 2 makes every later prompt and the routing Cantonese', () => {
    let r = run(config, '12355', keys('2'));
    expect(played(r.last)).toEqual({ prompts: ['main'], language: 'yue' });
    expect(r.state.language).toBe('yue');
    r = more(config, r, [finished, ...keys('7')]);
    expect(played(r.last)).toEqual({ prompts: ['invalid', 'main'], language: 'yue' });
    r = more(config, r, keys('2'));
    expect(played(r.last)?.language).toBe('yue');
    r = more(config, r, keys('12#'));
    expect(routed(r.last)?.language).toBe('yue');
  });

  it('choosing 1 keeps Mandarin', () => {
    const r = run(config, '12355', keys('11'));
    expect(routed(r.last)?.language).toBe('cmn');
  });
});

describe('barge-in', () => {
  it('a digit during the prompts stops playback before anything else', () => {
    const r = run(config, '12355', keys('2'));
    expect(r.last[0]).toEqual({ type: 'stop-playback' });
    expect(r.last[1]?.type).toBe('play');
  });

  it('a digit after the prompts cancels the timer instead', () => {
    const r = run(config, '12355', [finished, ...keys('2')]);
    expect(r.last[0]).toEqual({ type: 'cancel-timer' });
  });

  it('a routing digit during playback stops playback then routes', () => {
    const r = run(config, '12355', keys('21'));
    expect(r.last.map((c) => c.type)).toEqual(['stop-playback', 'route']);
  });

  it('a timeout while prompts play is stale and ignored', () => {
    const r = run(config, '12355', [timeout]);
    expect(r.last).toEqual([]);
    expect(r.state.attempts).toBe(0);
  });
});

describe('path recording', () => {
  it('records menu, input, outcome and time of every step', () => {
    const t0 = new Date('2026-03-01T10:00:00.000Z');
    const t1 = new Date('2026-03-01T10:00:05.000Z');
    const t2 = new Date('2026-03-01T10:00:11.000Z');
    const t3 = new Date('2026-03-01T10:00:15.000Z');
    let s = startCall(config, '12355', t0).state;
    s = handleEvent(config, s, { type: 'digit', digit: '2' }, t1).state;
    s = handleEvent(config, s, { type: 'prompts-finished' }, t1).state;
    s = handleEvent(config, s, { type: 'timeout' }, t2).state;
    s = handleEvent(config, s, { type: 'digit', digit: '1' }, t3).state;
    expect(s.path).toEqual([
      { menu: 'language', input: '2', outcome: 'option', at: t1.toISOString() },
      { menu: 'main', input: '', outcome: 'timeout', at: t2.toISOString() },
      { menu: 'main', input: '1', outcome: 'option', at: t3.toISOString() },
    ]);
  });
});
