/**
 * How long each prompt plays: the rendered WAV when there is one, else an estimate from its text.
 * Used at start to check how long a silent caller can be kept in the menus.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PromptDurations } from '../domain/ivr/silence-bound.ts';
import type { HotlineConfig } from './hotline-config.ts';

/** scripts/render-prompts.ts writes 8 kHz mono 16-bit PCM: 16,000 bytes a second after a 44-byte header. */
const WAV_BYTES_PER_SECOND = 16_000;
const WAV_HEADER_BYTES = 44;

/**
 * Seconds espeak-ng takes to say `text` at the render script's speed, rounded up: fitted on the
 * shipped prompts (Mandarin 0.30 s a character, Cantonese less) with a margin, so a prompt
 * nobody has rendered yet is not assumed shorter than it will be.
 */
export function estimateSpeechSeconds(text: string): number {
  const pauses = (text.match(/[，。；、！？：,.;!?:]/g) ?? []).length;
  const spoken = [...text.replace(/\s/g, '')].length - pauses;
  return 0.6 + 0.32 * spoken + 0.35 * pauses;
}

/** Seconds of a rendered prompt, or undefined when `file` is missing. */
export function wavSeconds(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  return Math.max(0, statSync(file).size - WAV_HEADER_BYTES) / WAV_BYTES_PER_SECOND;
}

/**
 * Every prompt's duration in every language: from `<soundsDir>/hotline/<lang>/<id>.wav` when that
 * file exists (recordings included, as the render script copies them there), else estimated.
 */
export function promptDurations(config: HotlineConfig, soundsDir?: string): PromptDurations {
  const out: Record<string, Record<string, number>> = {};
  for (const [id, texts] of Object.entries(config.prompts)) {
    const byLang: Record<string, number> = {};
    for (const lang of config.languages) {
      const rendered = soundsDir === undefined ? undefined : wavSeconds(join(soundsDir, 'hotline', lang, `${id}.wav`));
      byLang[lang] = rendered ?? estimateSpeechSeconds(texts[lang] ?? '');
    }
    out[id] = byLang;
  }
  return out;
}
