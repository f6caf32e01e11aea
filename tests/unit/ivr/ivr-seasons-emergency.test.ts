import { describe, expect, it } from 'vitest';
import { PRIORITY } from '../../../src/domain/calls/routing-request.ts';
import { startCall } from '../../../src/domain/ivr/ivr-engine.ts';
import {
  IN_SEASON, OFF_SEASON, SEASON_FROM, SEASON_TO, finished, keys, more, played, routed, run, testConfig,
} from './fixtures.ts';

const config = testConfig();
const ms = (d: Date, delta: number) => new Date(d.getTime() + delta);

describe('seasonal option (main menu key 4)', () => {
  it.each([
    ['exactly at the start', SEASON_FROM, true],
    ['1 ms before the start', ms(SEASON_FROM, -1), false],
    ['1 ms before the end', ms(SEASON_TO, -1), true],
    ['exactly at the end', SEASON_TO, false],
  ])('%s: open=%s', (_label, now, open) => {
    const r = run(config, '12355', keys('1'), now);
    expect(played(r.last)?.prompts).toEqual(open ? ['main', 'exam_option'] : ['main']);
    const pressed = more(config, r, [finished, ...keys('4')], now);
    if (open) {
      expect(routed(pressed.last)?.need).toBe('exam_stress');
    } else {
      expect(played(pressed.last)?.prompts).toEqual(['invalid', 'main']);
      expect(pressed.state.attempts).toBe(1);
      expect(pressed.state.path.at(-1)).toMatchObject({ menu: 'main', input: '4', outcome: 'season-closed' });
    }
  });

  it('the window edges are Shanghai wall time, not UTC', () => {
    // 2026-05-31T16:00Z is 1 June 00:00 in Shanghai.
    const r = run(config, '12355', keys('1'), new Date('2026-05-31T16:00:00Z'));
    expect(played(r.last)?.prompts).toContain('exam_option');
  });

  it('out of season, the closed option counts towards the fallback', () => {
    const r = run(config, '12355', [...keys('1'), finished, ...keys('4'), finished, ...keys('4'), finished, ...keys('4')]);
    expect(routed(r.last)?.need).toBe('general');
  });
});

describe('exam line', () => {
  it('in season routes straight to exam stress on the exam line', () => {
    const { state, commands } = startCall(config, '123550', IN_SEASON);
    expect(commands).toEqual([
      {
        type: 'route',
        routing: {
          line: 'exam', need: 'exam_stress', skills: ['psychological'], language: 'cmn',
          priority: PRIORITY.normal, highRisk: false, announce: ['privacy'],
        },
      },
    ]);
    expect(state.done).toBe(true);
  });

  it('out of season says so, then plays the main line entry menu', () => {
    const { state, commands } = startCall(config, '123550', OFF_SEASON);
    expect(commands).toEqual([{ type: 'play', prompts: ['exam_closed', 'welcome'], language: 'cmn' }]);
    expect(state).toMatchObject({ line: 'main', menu: 'language' });
    expect(state.path).toEqual([
      { menu: 'line:exam', input: '', outcome: 'season-closed', at: OFF_SEASON.toISOString() },
    ]);
  });

  it('at the exact edges: open at the start, closed at the end', () => {
    expect(routed(startCall(config, '123550', SEASON_FROM).commands)?.need).toBe('exam_stress');
    expect(startCall(config, '123550', ms(SEASON_FROM, -1)).state.menu).toBe('language');
    expect(routed(startCall(config, '123550', ms(SEASON_TO, -1)).commands)?.need).toBe('exam_stress');
    expect(startCall(config, '123550', SEASON_TO).state.menu).toBe('language');
  });

  it('out of season the caller continues as a main-line caller', () => {
    const r = run(config, '123550', [...keys('21')], OFF_SEASON);
    expect(routed(r.last)).toMatchObject({ line: 'main', need: 'psychological', language: 'yue' });
  });
});

describe('emergency key 9', () => {
  const emergency = {
    need: 'emergency', priority: PRIORITY.emergency, highRisk: true, skills: [], announce: ['privacy'],
  };

  it.each([
    ['language menu', ''],
    ['main menu', '1'],
    ['legal menu (multi-digit, first digit)', '12'],
  ])('routes from the %s', (_menu, before) => {
    const r = run(config, '12355', [...keys(before), finished, ...keys('9')]);
    expect(r.last.map((c) => c.type)).toEqual(['cancel-timer', 'route']);
    expect(routed(r.last)).toMatchObject(emergency);
    expect(r.state.highRisk).toBe(true);
    expect(r.state.path.at(-1)).toMatchObject({ input: '9', outcome: 'option' });
  });

  it('barges in on the very first prompt', () => {
    const r = run(config, '12355', keys('9'));
    expect(r.last.map((c) => c.type)).toEqual(['stop-playback', 'route']);
    expect(routed(r.last)).toMatchObject({ ...emergency, language: 'cmn', line: 'main' });
  });

  it('keeps the chosen language', () => {
    expect(routed(run(config, '12355', keys('29')).last)?.language).toBe('yue');
  });

  it('works after failed attempts', () => {
    const r = run(config, '12355', [finished, ...keys('7'), finished, ...keys('7'), ...keys('9')]);
    expect(routed(r.last)?.need).toBe('emergency');
  });

  it('works on the exam line out of season (it became the main line)', () => {
    expect(routed(run(config, '123550', keys('9'), OFF_SEASON).last)?.need).toBe('emergency');
  });

  it('is an ordinary (invalid) key on a line without the emergency key', () => {
    const r = run(config, '555', [finished, ...keys('9')]);
    expect(played(r.last)?.prompts).toEqual(['invalid', 'main']);
  });

  it('is not special after the first digit of a multi-digit input', () => {
    const r = run(config, '12355', [...keys('12'), finished, ...keys('19')]);
    expect(r.state.digits).toBe('19');
    expect(r.state.done).toBe(false);
  });
});
