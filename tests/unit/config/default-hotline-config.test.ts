import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadHotlineConfig } from '../../../src/config/hotline-config.ts';
import { promptDurations } from '../../../src/config/prompt-durations.ts';
import { PRIORITY } from '../../../src/domain/calls/routing-request.ts';
import { silentBound } from '../../../src/domain/ivr/silence-bound.ts';
import { finished, keys, played, routed, run, timeout } from '../ivr/fixtures.ts';
import { runSilentCaller } from '../ivr/silent-caller.ts';

const config = loadHotlineConfig(fileURLToPath(new URL('../../../config/hotline.yaml', import.meta.url)));
const GAOKAO = new Date('2026-06-07T09:00:00+08:00');
const AUTUMN = new Date('2026-10-10T09:00:00+08:00');

describe('config/hotline.yaml', () => {
  it('parses, with Mandarin and Cantonese', () => {
    expect(config.timezone).toBe('Asia/Shanghai');
    expect(config.languages).toEqual(['cmn', 'yue']);
  });

  it('has every prompt the IVR, queue, escalation and dialplan use', () => {
    const ids = [
      'welcome_language', 'main_menu', 'main_menu_exam_option', 'invalid_input', 'no_input', 'privacy_notice',
      'exam_line_closed', 'queue_hold_intro', 'queue_position_prefix', 'queue_wait_minutes',
      'queue_callback_offer', 'queue_callback_confirmed', 'escalation_police_announcement', 'line_unavailable',
      ...Array.from({ length: 10 }, (_, i) => `digit_${i}`),
    ];
    for (const id of ids) expect(config.prompts[id], id).toBeDefined();
  });

  it('announces the emergency key first, before the language choice', () => {
    const text = config.prompts.welcome_language?.cmn ?? '';
    expect(text.indexOf('请按9')).toBeGreaterThan(-1);
    expect(text.indexOf('请按9')).toBeLessThan(text.indexOf('请按1'));
  });

  it('12355 -> Cantonese -> legal aid', () => {
    const r = run(config, '12355', [...keys('2'), finished, ...keys('2')], AUTUMN);
    expect(routed(r.last)).toMatchObject({ line: 'main', need: 'legal', language: 'yue', announce: ['privacy_notice'] });
  });

  it('9 is an emergency from the first prompt', () => {
    expect(routed(run(config, '12355', keys('9')).last)).toMatchObject({
      need: 'emergency', priority: PRIORITY.emergency, highRisk: true,
    });
  });

  it('announces the exam option only in season', () => {
    expect(played(run(config, '12355', keys('1'), GAOKAO).last)?.prompts).toEqual(['main_menu', 'main_menu_exam_option']);
    expect(played(run(config, '12355', keys('1'), AUTUMN).last)?.prompts).toEqual(['main_menu']);
  });

  it('the exam line routes straight to exam stress during 高考, else joins the main line', () => {
    expect(routed(run(config, '123550', [], GAOKAO).last)).toMatchObject({ line: 'exam', need: 'exam_stress' });
    expect(played(run(config, '123550', [], AUTUMN).last)?.prompts).toEqual([
      'exam_line_closed', { prompt: 'cantonese_option', language: 'yue' },
    ]);
    expect(routed(run(config, '123550', [], new Date('2027-06-20T12:00:00+08:00')).last)?.need).toBe('exam_stress');
  });

  it('plays the Cantonese option in Cantonese in the very first prompt', () => {
    expect(played(run(config, '12355', [], AUTUMN).last)).toEqual({
      prompts: ['welcome_language', { prompt: 'cantonese_option', language: 'yue' }], language: 'cmn',
    });
    expect(config.prompts.cantonese_option?.yue).toContain('廣東話');
  });
});

describe('config/hotline.yaml: time to a human', () => {
  // Estimated from the texts, as for prompts not rendered yet: no sound files needed here.
  const durations = promptDurations(config);

  it('promises at most 30 s from the answer to a free counsellor ringing for a silent caller', () => {
    expect(config.ivr.maxSilentSeconds).toBeLessThanOrEqual(30);
  });

  it.each([
    ['12355', 'main', AUTUMN],
    ['12355', 'main', GAOKAO],
    ['123550 out of season', 'exam', AUTUMN],
    ['123550 in season', 'exam', GAOKAO],
  ])('%s: a silent caller reaches the general queue within the bound, then hears the notice', (_what, line, now) => {
    const number = config.lines[line]!.number;
    const silent = runSilentCaller(config, number, durations, now);
    const exact = silentBound(config, durations, line, now)!;
    const bound = silentBound(config, durations, line)!;
    expect(silent.seconds).toBeCloseTo(exact.menuSeconds, 6);
    expect(silent.seconds).toBeLessThanOrEqual(bound.menuSeconds);
    expect(bound.menuSeconds + bound.noticeSeconds).toBeLessThanOrEqual(config.ivr.maxSilentSeconds);
    expect(silent.routing.need).toBe(line === 'exam' && now === GAOKAO ? 'exam_stress' : 'general');
  });

  it('a wrong key is explained once; a second one, or silence after it, puts the caller through', () => {
    const first = run(config, '12355', [finished, ...keys('7')], AUTUMN);
    expect(played(first.last)?.prompts).toEqual(['invalid_input', 'welcome_language', { prompt: 'cantonese_option', language: 'yue' }]);
    expect(routed(run(config, '12355', [finished, ...keys('78')], AUTUMN).last)?.need).toBe('general');
    expect(routed(run(config, '12355', [finished, ...keys('7'), finished, timeout], AUTUMN).last)?.need).toBe('general');
  });

  it('after choosing a language, silence in the main menu also puts the caller through, in that language', () => {
    expect(routed(run(config, '12355', [...keys('2'), finished, timeout], AUTUMN).last)).toMatchObject({ need: 'general', language: 'yue' });
  });
});
