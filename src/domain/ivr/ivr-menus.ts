/**
 * Menu lookups that depend on the calendar: which options are active now, and what a menu says.
 */
import type { HotlineRules, MenuOptionRules, MenuRules } from './hotline-rules.ts';
import type { Language } from '../calls/routing-request.ts';
import { isInWindow } from '../seasons/calendar.ts';
import type { PromptRef } from './ivr-types.ts';

export function isSeasonOpen(config: HotlineRules, seasonId: string, now: Date): boolean {
  const season = config.seasons[seasonId];
  return season !== undefined && isInWindow(season.windows, now, config.timezone);
}

/** An option without a season is always active; a seasonal one only inside its windows. */
export function isOptionActive(config: HotlineRules, option: MenuOptionRules, now: Date): boolean {
  return option.season === undefined || isSeasonOpen(config, option.season, now);
}

/** The menu's prompts, then the announcement of each active option that has one (in key order). */
export function menuPrompts(config: HotlineRules, menu: MenuRules, now: Date): PromptRef[] {
  const extra = Object.values(menu.options)
    .filter((o) => o.prompt !== undefined && isOptionActive(config, o, now))
    .map((o) => o.prompt as string);
  return [...menu.prompts, ...extra];
}

/**
 * True when `digits` can't grow into another option, so a multi-digit menu can act without waiting
 * for the terminator or the inter-digit timeout (e.g. "0" in a menu that also has "12").
 */
export function isCompleteInput(menu: MenuRules, digits: string): boolean {
  if (digits.length >= menu.maxDigits) return true;
  const keys = Object.keys(menu.options);
  return keys.includes(digits) && !keys.some((k) => k.length > digits.length && k.startsWith(digits));
}

/** The prompt id of a reference and the language it is played in: its own, else the caller's. */
export function resolvePrompt(ref: PromptRef, language: Language): { prompt: string; language: Language } {
  return typeof ref === 'string' ? { prompt: ref, language } : ref;
}
