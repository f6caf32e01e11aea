/**
 * The IVR engine: a pure state machine over the hotline config. It returns commands (play, timers,
 * route) for the call service to carry out. There is no hang-up: every path ends in a route, so a
 * caller who can't or won't use the menu still reaches a person.
 */
import type { HotlineRules, MenuRules } from './hotline-rules.ts';
import type { PathStep } from '../calls/routing-request.ts';
import { isCompleteInput, isOptionActive, isSeasonOpen, menuPrompts } from './ivr-menus.ts';
import { buildRouting } from './ivr-routing.ts';
import type { IvrCommand, IvrEvent, IvrState, IvrStep, PromptRef } from './ivr-types.ts';

export type { IvrCommand, IvrEvent, IvrState, IvrStep, PromptRef } from './ivr-types.ts';

const DTMF = /^[0-9*#]$/;

function step(menu: string, input: string, outcome: PathStep['outcome'], now: Date): PathStep {
  return { menu, input, outcome, at: now.toISOString() };
}

function record(state: IvrState, s: PathStep): IvrState {
  return { ...state, path: [...state.path, s] };
}

/** Starts a call on the line the caller dialled (an unknown number gets the default line). */
export function startCall(config: HotlineRules, lineNumber: string, now: Date): IvrStep {
  const lineId =
    Object.entries(config.lines).find(([, l]) => l.number === lineNumber)?.[0] ?? config.defaultLine;
  const line = config.lines[lineId];
  const state: IvrState = {
    line: lineId,
    menu: null,
    language: config.defaultLanguage,
    attempts: 0,
    digits: '',
    path: [],
    highRisk: false,
    done: false,
    playing: false,
  };
  if (!line) return routeTo(config, state, config.ivr.fallbackTarget, []);

  if (line.season !== undefined && line.closed && !isSeasonOpen(config, line.season, now)) {
    // Out of season: say so, then carry on as a caller of the other line (its emergency key included).
    const next = config.lines[line.closed.line];
    const closed = record({ ...state, line: line.closed.line }, step(`line:${lineId}`, '', 'season-closed', now));
    if (!next?.menu) return routeTo(config, closed, config.ivr.fallbackTarget, []);
    return enterMenu(config, closed, line.closed.menu ?? next.menu, now, line.closed.prompts);
  }
  if (line.route !== undefined) return routeTo(config, state, line.route, []);
  return enterMenu(config, state, line.menu ?? '', now, []);
}

/** Advances the call by one event. Events after the call was routed are ignored. */
export function handleEvent(config: HotlineRules, state: IvrState, event: IvrEvent, now: Date): IvrStep {
  if (state.done) return { state, commands: [] };
  const menu = state.menu === null ? undefined : config.menus[state.menu];
  if (!menu) return routeTo(config, state, config.ivr.fallbackTarget, []);

  switch (event.type) {
    case 'prompts-finished':
      // A late notice for a playback we already stopped is not ours to act on.
      if (!state.playing) return { state, commands: [] };
      return {
        state: { ...state, playing: false },
        commands: [{ type: 'start-timer', ms: menu.firstDigitTimeoutMs }],
      };
    case 'timeout':
      if (state.playing) return { state, commands: [] };
      if (state.digits !== '') return submit(config, state, menu, state.digits, now, []);
      return fail(config, state, menu, 'timeout', '', now, []);
    case 'digit': {
      // Barge-in: a key stops the prompts; otherwise it stops the running input timer.
      const first: IvrCommand = state.playing ? { type: 'stop-playback' } : { type: 'cancel-timer' };
      return onDigit(config, { ...state, playing: false }, menu, event.digit, now, [first]);
    }
  }
}

function onDigit(
  config: HotlineRules,
  state: IvrState,
  menu: MenuRules,
  digit: string,
  now: Date,
  before: IvrCommand[],
): IvrStep {
  if (!DTMF.test(digit)) return fail(config, state, menu, 'invalid', state.digits + digit, now, before);

  const line = config.lines[state.line];
  if (state.digits === '' && line?.emergency && digit === config.ivr.emergency.digit) {
    // The emergency key is reserved on emergency lines: it wins over any menu option.
    const s = record(state, step(state.menu ?? '', digit, 'option', now));
    return routeTo(config, s, config.ivr.emergency.target, before);
  }
  if (menu.terminator !== undefined && digit === menu.terminator) {
    return submit(config, state, menu, state.digits === '' ? digit : state.digits, now, before);
  }
  const digits = state.digits + digit;
  if (isCompleteInput(menu, digits)) return submit(config, state, menu, digits, now, before);
  return {
    state: { ...state, digits },
    commands: [...before, { type: 'start-timer', ms: menu.interDigitTimeoutMs }],
  };
}

/** Acts on a complete input: follow the option, or treat it as an invalid key. */
function submit(
  config: HotlineRules,
  state: IvrState,
  menu: MenuRules,
  input: string,
  now: Date,
  before: IvrCommand[],
): IvrStep {
  const option = menu.options[input];
  if (!option) return fail(config, state, menu, 'invalid', input, now, before);
  // Out of season the option behaves as an invalid key; the path keeps why, for analytics.
  if (!isOptionActive(config, option, now)) return fail(config, state, menu, 'season-closed', input, now, before);

  let next = record(state, step(state.menu ?? '', input, 'option', now));
  if (option.language !== undefined) next = { ...next, language: option.language };
  if (option.route !== undefined) return routeTo(config, next, option.route, before);
  return enterMenu(config, next, option.menu ?? '', now, [], before);
}

/** A failed attempt: explain and replay the menu, or after the last attempt hand over to a person. */
function fail(
  config: HotlineRules,
  state: IvrState,
  menu: MenuRules,
  outcome: 'invalid' | 'timeout' | 'season-closed',
  input: string,
  now: Date,
  before: IvrCommand[],
): IvrStep {
  const menuId = state.menu ?? '';
  const attempts = state.attempts + 1;
  const failed = record({ ...state, attempts, digits: '' }, step(menuId, input, outcome, now));
  if (attempts >= attemptLimit(menu, outcome)) {
    const s = record(failed, step(menuId, '', 'fallback', now));
    return routeTo(config, s, config.ivr.fallbackTarget, before);
  }
  const notice = outcome === 'timeout' ? config.ivr.noInputPrompt : config.ivr.invalidPrompt;
  const prompts = [notice, ...menuPrompts(config, menu, now)];
  return {
    state: { ...failed, playing: true },
    commands: [...before, { type: 'play', prompts, language: state.language }],
  };
}

/** Attempts after which a failure hands over; silence may hand over sooner (see noInputMaxAttempts). */
export function attemptLimit(menu: MenuRules, outcome: 'invalid' | 'timeout' | 'season-closed'): number {
  if (outcome !== 'timeout') return menu.maxAttempts;
  return Math.min(menu.maxAttempts, menu.noInputMaxAttempts ?? menu.maxAttempts);
}

function enterMenu(
  config: HotlineRules,
  state: IvrState,
  menuId: string,
  now: Date,
  prefix: PromptRef[],
  before: IvrCommand[] = [],
): IvrStep {
  const menu = config.menus[menuId];
  if (!menu) return routeTo(config, state, config.ivr.fallbackTarget, before);
  const prompts = [...prefix, ...menuPrompts(config, menu, now)];
  return {
    state: { ...state, menu: menuId, attempts: 0, digits: '', playing: true },
    commands: [...before, { type: 'play', prompts, language: state.language }],
  };
}

function routeTo(config: HotlineRules, state: IvrState, targetId: string, before: IvrCommand[]): IvrStep {
  const routing = buildRouting(config, state, targetId);
  return {
    state: { ...state, menu: null, digits: '', playing: false, done: true, highRisk: routing.highRisk },
    commands: [...before, { type: 'route', routing }],
  };
}
