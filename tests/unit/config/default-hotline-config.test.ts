import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadHotlineConfig } from '../../../src/config/hotline-config.ts';
import { PRIORITY } from '../../../src/domain/calls/routing-request.ts';
import { finished, keys, played, routed, run } from '../ivr/fixtures.ts';

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
    expect(played(run(config, '123550', [], AUTUMN).last)?.prompts).toEqual(['exam_line_closed', 'welcome_language']);
    expect(routed(run(config, '123550', [], new Date('2027-06-20T12:00:00+08:00')).last)?.need).toBe('exam_stress');
  });
});
