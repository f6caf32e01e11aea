/**
 * Cross-reference checks zod can't express: every prompt, target, menu, season, line and language
 * a setting names must exist. Each failure names the setting path, e.g.
 * `menus.main.options.4.prompt: unknown prompt "foo"`.
 */
import { isValidTimeZone } from '../domain/seasons/calendar.ts';
import { ConfigError } from './config-error.ts';
import type { HotlineConfig } from './hotline-config.ts';
import { SURVEY_PROMPTS } from '../domain/survey/survey-machine.ts';

function fail(setting: string, message: string): never {
  throw new ConfigError(setting, `${setting}: ${message}`);
}

function need(kind: string, ids: Record<string, unknown>, setting: string, id: string | undefined): void {
  if (id !== undefined && !Object.hasOwn(ids, id)) fail(setting, `unknown ${kind} "${id}"`);
}

export function checkHotlineReferences(c: HotlineConfig): void {
  const prompt = (setting: string, id: string | undefined) => need('prompt', c.prompts, setting, id);
  const target = (setting: string, id: string | undefined) => need('target', c.targets, setting, id);
  const menu = (setting: string, id: string | undefined) => need('menu', c.menus, setting, id);
  const season = (setting: string, id: string | undefined) => need('season', c.seasons, setting, id);
  const language = (setting: string, lang: string | undefined) => {
    if (lang !== undefined && !c.languages.includes(lang as never)) {
      fail(setting, `language "${lang}" is not in languages [${c.languages.join(', ')}]`);
    }
  };

  if (!isValidTimeZone(c.timezone)) fail('timezone', `unknown time zone "${c.timezone}"`);
  language('defaultLanguage', c.defaultLanguage);
  if (Object.keys(c.lines).length === 0) fail('lines', 'at least one line is required');
  need('line', c.lines, 'defaultLine', c.defaultLine);

  // Every prompt must be speakable in every language the hotline offers.
  for (const [id, texts] of Object.entries(c.prompts)) {
    for (const lang of c.languages) {
      if (!texts[lang]) fail(`prompts.${id}.${lang}`, `missing ${lang} text`);
    }
  }

  // A line set to have the satisfaction survey needs its prompts.
  for (const [lineId, l] of Object.entries(c.lines)) {
    if (l.survey !== true) continue;
    for (const id of Object.values(SURVEY_PROMPTS)) prompt(`lines.${lineId}.survey`, id);
  }

  prompt('ivr.invalidPrompt', c.ivr.invalidPrompt);
  prompt('ivr.noInputPrompt', c.ivr.noInputPrompt);
  prompt('ivr.privacyNotice', c.ivr.privacyNotice);
  target('ivr.fallbackTarget', c.ivr.fallbackTarget);
  target('ivr.emergency.target', c.ivr.emergency.target);

  for (const [menuId, m] of Object.entries(c.menus)) {
    const at = `menus.${menuId}`;
    m.prompts.forEach((p, i) => {
      if (typeof p === 'string') return prompt(`${at}.prompts.${i}`, p);
      prompt(`${at}.prompts.${i}.prompt`, p.prompt);
      language(`${at}.prompts.${i}.language`, p.language);
    });
    if (m.noInputMaxAttempts !== undefined && m.noInputMaxAttempts > m.maxAttempts) {
      fail(`${at}.noInputMaxAttempts`, `${m.noInputMaxAttempts} is more than maxAttempts ${m.maxAttempts}`);
    }
    for (const [key, o] of Object.entries(m.options)) {
      const opt = `${at}.options.${key}`;
      if (key.length > m.maxDigits) fail(opt, `key "${key}" is longer than maxDigits ${m.maxDigits}`);
      if (m.terminator && key.includes(m.terminator)) fail(opt, `key "${key}" contains the terminator`);
      menu(`${opt}.menu`, o.menu);
      target(`${opt}.route`, o.route);
      prompt(`${opt}.prompt`, o.prompt);
      season(`${opt}.season`, o.season);
      language(`${opt}.language`, o.language);
    }
  }

  const numbers = new Map<string, string>();
  for (const [lineId, l] of Object.entries(c.lines)) {
    const at = `lines.${lineId}`;
    const other = numbers.get(l.number);
    if (other) fail(`${at}.number`, `number ${l.number} is already used by line "${other}"`);
    numbers.set(l.number, lineId);
    menu(`${at}.menu`, l.menu);
    target(`${at}.route`, l.route);
    season(`${at}.season`, l.season);
    if (l.closed) {
      l.closed.prompts.forEach((p, i) => prompt(`${at}.closed.prompts.${i}`, p));
      need('line', c.lines, `${at}.closed.line`, l.closed.line);
      menu(`${at}.closed.menu`, l.closed.menu);
      // Keep the fallback one step deep: the line it sends callers to must always be open and have a menu.
      const next = c.lines[l.closed.line];
      if (next && (next.season !== undefined || next.menu === undefined)) {
        fail(`${at}.closed.line`, `line "${l.closed.line}" must be a non-seasonal line with a menu`);
      }
    }
  }
}
