/**
 * The start-up check that keeps "time to a human" short: no line may keep a caller who presses
 * nothing in menus and the privacy notice for longer than `ivr.maxSilentSeconds`.
 */
import { silentBound, type PromptDurations } from '../domain/ivr/silence-bound.ts';
import { ConfigError } from './config-error.ts';
import type { HotlineConfig } from './hotline-config.ts';

const fmt = (s: number) => s.toFixed(1);

/** Throws ConfigError naming the menu (or line) of the first line whose silent path is too long. */
export function checkSilenceBound(config: HotlineConfig, durations: PromptDurations): void {
  const limit = config.ivr.maxSilentSeconds;
  for (const [lineId, line] of Object.entries(config.lines)) {
    const worst = silentBound(config, durations, lineId);
    if (!worst) continue;
    const seconds = worst.menuSeconds + worst.noticeSeconds;
    if (seconds <= limit) continue;
    throw new ConfigError(
      worst.setting,
      `${worst.setting}: a caller who presses nothing on line "${lineId}" (${line.number}) hears ` +
        `${fmt(worst.menuSeconds)} s of menus and ${fmt(worst.noticeSeconds)} s of privacy notice before a counsellor ` +
        `can be rung: ${fmt(seconds)} s, over ivr.maxSilentSeconds (${limit} s). Shorten the prompts or ` +
        'firstDigitTimeoutMs, or set noInputMaxAttempts: 1.',
    );
  }
}
