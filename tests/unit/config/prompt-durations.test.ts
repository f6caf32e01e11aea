import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimateSpeechSeconds, promptDurations, wavSeconds } from '../../../src/config/prompt-durations.ts';
import { testConfig } from '../ivr/fixtures.ts';

describe('prompt durations', () => {
  it('reads a rendered prompt\'s length from its size (8 kHz mono 16-bit after a 44-byte header)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wav-'));
    writeFileSync(join(dir, 'two.wav'), Buffer.alloc(44 + 32_000));
    expect(wavSeconds(join(dir, 'two.wav'))).toBe(2);
    expect(wavSeconds(join(dir, 'missing.wav'))).toBeUndefined();
  });

  it('estimates speech from the text: longer with every character and pause, never below espeak-ng\'s', () => {
    expect(estimateSpeechSeconds('请按1')).toBeLessThan(estimateSpeechSeconds('请按1。'));
    expect(estimateSpeechSeconds('请按1。')).toBeLessThan(estimateSpeechSeconds('普通话请按1。'));
    // espeak-ng (cmn-latn-pinyin, 140 wpm) took 10.5 s for this privacy notice.
    expect(estimateSpeechSeconds('为了服务质量和安全，通话可能会被录音。你的个人信息会受到严格保护。')).toBeGreaterThanOrEqual(10.5);
  });

  it('prefers the rendered file and estimates the rest, for every prompt in every language', () => {
    const config = testConfig();
    const sounds = mkdtempSync(join(tmpdir(), 'sounds-'));
    mkdirSync(join(sounds, 'hotline', 'yue'), { recursive: true });
    writeFileSync(join(sounds, 'hotline', 'yue', 'welcome.wav'), Buffer.alloc(44 + 8000));
    const d = promptDurations(config, sounds);
    expect(d.welcome).toEqual({ cmn: estimateSpeechSeconds('welcome (cmn)'), yue: 0.5 });
    expect(Object.keys(d).sort()).toEqual(Object.keys(config.prompts).sort());
    expect(promptDurations(config).welcome?.yue).toBe(estimateSpeechSeconds('welcome (yue)'));
  });
});
