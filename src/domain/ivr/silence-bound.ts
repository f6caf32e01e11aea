/**
 * How long a caller who presses nothing can spend in the menus, computed from the configuration and
 * the prompts' durations alone (no engine run). A silent caller never chooses a language, so every
 * prompt plays in the default language unless the menu pins one; the privacy notice follows the
 * routing, in the same language, before a counsellor can be rung.
 */
import type { HotlineRules, MenuRules } from './hotline-rules.ts';
import type { Language } from '../calls/routing-request.ts';
import { attemptLimit } from './ivr-engine.ts';
import { isSeasonOpen, menuPrompts, resolvePrompt } from './ivr-menus.ts';
import type { PromptRef } from './ivr-types.ts';

/** Seconds of each rendered prompt, by prompt id then language (the shape of `config.prompts`). */
export type PromptDurations = Readonly<Record<string, Readonly<Partial<Record<Language, number>>>>>;

export interface SilentPath {
  line: string;
  /** Where the silent caller waits: the menu, or null when the line routes at once. */
  menu: string | null;
  /** The setting to change when the path is too long. */
  setting: string;
  /** From the answer to the routing: prompts and input timeouts. */
  menuSeconds: number;
  /** The privacy notice played after the routing, before any offer. */
  noticeSeconds: number;
}

function promptSeconds(durations: PromptDurations, ref: PromptRef, language: Language): number {
  const { prompt, language: lang } = resolvePrompt(ref, language);
  const s = durations[prompt]?.[lang];
  // A missing duration must not make the bound look better than it is.
  if (s === undefined) throw new Error(`no duration for prompt ${lang}/${prompt}`);
  return s;
}

const total = (d: PromptDurations, refs: readonly PromptRef[], lang: Language): number =>
  refs.reduce((sum, ref) => sum + promptSeconds(d, ref, lang), 0);

/** Every prompt the menu can play: at `now`, or, without a date, with every seasonal option announced. */
function promptsOf(config: HotlineRules, menu: MenuRules, now: Date | undefined): PromptRef[] {
  if (now) return menuPrompts(config, menu, now);
  const extra = Object.values(menu.options).flatMap((o) => (o.prompt === undefined ? [] : [o.prompt]));
  return [...menu.prompts, ...extra];
}

/**
 * Seconds a silent caller spends in `menuId` entered with `prefix`: the prompts and the first-digit
 * timeout, then for each further attempt the no-input notice, the prompts and the timeout again.
 */
export function silentMenuSeconds(
  config: HotlineRules,
  durations: PromptDurations,
  menuId: string,
  prefix: readonly PromptRef[],
  now?: Date,
): number {
  const menu = config.menus[menuId];
  if (!menu) return 0; // the engine routes at once
  const lang = config.defaultLanguage;
  const round = total(durations, promptsOf(config, menu, now), lang) + menu.firstDigitTimeoutMs / 1000;
  const retries = attemptLimit(menu, 'timeout') - 1;
  return total(durations, prefix, lang) + round + retries * (promptSeconds(durations, config.ivr.noInputPrompt, lang) + round);
}

/**
 * The silent paths of a line: at `now` the one the engine takes; without a date, every path the
 * line can take in or out of season (the longest is the bound).
 */
export function silentPaths(config: HotlineRules, durations: PromptDurations, lineId: string, now?: Date): SilentPath[] {
  const line = config.lines[lineId];
  if (!line) return [];
  const noticeSeconds = promptSeconds(durations, config.ivr.privacyNotice, config.defaultLanguage);
  const path = (menu: string | null, setting: string, prefix: readonly PromptRef[]): SilentPath => ({
    line: lineId, menu, setting, noticeSeconds,
    menuSeconds: menu === null ? 0 : silentMenuSeconds(config, durations, menu, prefix, now),
  });
  const paths: SilentPath[] = [];
  const closed = line.season !== undefined && line.closed ? line.closed : undefined;
  const open = closed === undefined || now === undefined || isSeasonOpen(config, line.season ?? '', now);
  const shut = closed !== undefined && (now === undefined || !isSeasonOpen(config, line.season ?? '', now));
  if (open) {
    paths.push(line.route !== undefined ? path(null, `lines.${lineId}.route`, []) : path(line.menu ?? '', `menus.${line.menu}`, []));
  }
  if (shut) {
    // Like the engine: no entry menu on the other line means routing at once, without the prompts.
    const entry = config.lines[closed.line]?.menu;
    const menu = entry === undefined ? undefined : closed.menu ?? entry;
    paths.push(menu === undefined ? path(null, `lines.${lineId}.closed`, []) : path(menu, `menus.${menu}`, closed.prompts));
  }
  return paths;
}

/** The longest silent path of a line (menus, then the privacy notice), whatever the date. */
export function silentBound(config: HotlineRules, durations: PromptDurations, lineId: string, now?: Date): SilentPath | null {
  let worst: SilentPath | null = null;
  for (const p of silentPaths(config, durations, lineId, now)) {
    if (worst === null || p.menuSeconds + p.noticeSeconds > worst.menuSeconds + worst.noticeSeconds) worst = p;
  }
  return worst;
}
