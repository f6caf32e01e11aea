/**
 * The hotline's IVR rules as the pure engine reads them: lines, menus, targets, seasons, prompts.
 * The domain owns this shape; `src/config/` validates the YAML into it (its `HotlineConfig` must stay
 * assignable to `HotlineRules`), so the engine never depends on how the file is parsed.
 */
import type { Language } from '../calls/routing-request.ts';
import type { DateWindow } from '../seasons/calendar.ts';

export type QueuePriorityName = 'normal' | 'highRisk' | 'emergency';

export interface SeasonRules {
  windows: DateWindow[];
}

/** Where a caller is queued: the need, the skills it asks for, how urgent it is. */
export interface TargetRules {
  need: string;
  skills: string[];
  priority: QueuePriorityName;
  highRisk: boolean;
}

/** Exactly one of `menu` and `route`; optionally sets the language, only in a season, with a prompt. */
export interface MenuOptionRules {
  menu?: string | undefined;
  route?: string | undefined;
  language?: Language | undefined;
  season?: string | undefined;
  prompt?: string | undefined;
}

/** A prompt id in the caller's language, or pinned to one language. */
export type MenuPromptRule = string | { prompt: string; language: Language };

export interface MenuRules {
  prompts: MenuPromptRule[];
  options: Record<string, MenuOptionRules>;
  maxDigits: number;
  terminator?: '#' | '*' | undefined;
  firstDigitTimeoutMs: number;
  interDigitTimeoutMs: number;
  maxAttempts: number;
  noInputMaxAttempts?: number | undefined;
}

export interface LineRules {
  number: string;
  menu?: string | undefined;
  route?: string | undefined;
  season?: string | undefined;
  closed?: { prompts: string[]; line: string; menu?: string | undefined } | undefined;
  emergency: boolean;
}

export interface IvrSettingsRules {
  invalidPrompt: string;
  noInputPrompt: string;
  privacyNotice: string;
  fallbackTarget: string;
  emergency: { digit: string; target: string };
  maxSilentSeconds: number;
}

export interface HotlineRules {
  timezone: string;
  languages: Language[];
  defaultLanguage: Language;
  defaultLine: string;
  ivr: IvrSettingsRules;
  prompts: Record<string, Partial<Record<Language, string>>>;
  seasons: Record<string, SeasonRules>;
  targets: Record<string, TargetRules>;
  menus: Record<string, MenuRules>;
  lines: Record<string, LineRules>;
}
