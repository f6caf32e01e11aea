/**
 * The hotline's IVR as data: prompts, seasons, routing targets, menus and lines.
 * `parseHotlineConfig` validates the shape with zod, then cross-checks every reference so a typo
 * fails at start-up with the setting's path, never in the middle of a caller's call.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { LANGUAGES } from '../domain/calls/routing-request.ts';
import type { HotlineRules } from '../domain/ivr/hotline-rules.ts';
import { ConfigError } from './config-error.ts';
import { checkHotlineReferences } from './hotline-config-checks.ts';
import { promptDurations } from './prompt-durations.ts';
import { AreaSettingsSchema, checkAreaReferences } from './area-config.ts';
import { FollowUpsSettingsSchema } from './follow-ups-config.ts';
import { EscalationSettingsSchema, QueueSettingsSchema } from './queue-config.ts';
import { checkSilenceBound } from './silence-check.ts';

const LanguageSchema = z.enum(LANGUAGES);
const Id = z.string().regex(/^[a-z0-9_]+$/, 'ids use a-z, 0-9 and _');
const LocalDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'expected YYYY-MM-DDTHH:mm');
/** YAML turns `12355` into a number; a dialled number is a string of digits. */
const PhoneNumber = z.union([z.string().regex(/^[0-9*#+]+$/), z.number().int().nonnegative()]).transform(String);
const Timeout = z.number().int().min(500).max(60_000);

const WindowSchema = z
  .object({ from: LocalDateTime, to: LocalDateTime })
  .strict()
  .refine((w) => w.from < w.to, { message: '"from" must be before "to"' });

const SeasonSchema = z.object({ windows: z.array(WindowSchema).min(1) }).strict();

/** Names rather than numbers, so YAML can't invent a priority the queue doesn't know. */
const TargetSchema = z
  .object({
    need: z.string().min(1),
    skills: z.array(z.string().min(1)).default([]),
    priority: z.enum(['normal', 'highRisk', 'emergency']).default('normal'),
    highRisk: z.boolean().default(false),
  })
  .strict();

/** A menu option does exactly one of: go to a menu, or route to a target; it may also set the language. */
const OptionSchema = z
  .object({
    menu: Id.optional(),
    route: Id.optional(),
    language: LanguageSchema.optional(),
    /** Only valid while this season is open; out of season it is an invalid key. */
    season: Id.optional(),
    /** Prompt appended to the menu's prompts only while the option is active (e.g. seasonal). */
    prompt: Id.optional(),
  })
  .strict()
  .refine((o) => (o.menu === undefined) !== (o.route === undefined), {
    message: 'an option needs exactly one of "menu" or "route"',
  });

/**
 * A menu prompt: an id, played in the caller's language; or an id pinned to one language, so that
 * a caller hears their own option in their own language before they could choose it.
 */
const MenuPromptSchema = z.union([Id, z.object({ prompt: Id, language: LanguageSchema }).strict()]);

const MenuSchema = z
  .object({
    prompts: z.array(MenuPromptSchema).min(1),
    options: z.record(z.string().regex(/^[0-9*#]+$/, 'option keys are DTMF digits'), OptionSchema),
    maxDigits: z.number().int().min(1).max(20).default(1),
    /** Ends multi-digit input early; not part of the input. */
    terminator: z.enum(['#', '*']).optional(),
    firstDigitTimeoutMs: Timeout.default(6000),
    interDigitTimeoutMs: Timeout.default(3000),
    maxAttempts: z.number().int().min(1).max(10).default(3),
    /**
     * Silence hands over sooner than wrong keys: a timeout once this many attempts (of any kind)
     * have failed routes to the fallback target. 1 means "no input means put me through".
     */
    noInputMaxAttempts: z.number().int().min(1).max(10).optional(),
  })
  .strict();

const LineSchema = z
  .object({
    number: PhoneNumber,
    /** Entry: a menu, or a target to route to at once (e.g. the exam line in season). */
    menu: Id.optional(),
    route: Id.optional(),
    season: Id.optional(),
    /**
     * Out of season: play these prompts, then continue as a caller of another line, in that line's
     * entry menu or in `menu` (e.g. one whose first prompt says the line is closed).
     */
    closed: z.object({ prompts: z.array(Id).default([]), line: Id, menu: Id.optional() }).strict().optional(),
    /** When true, the emergency digit works in every menu of this line. */
    emergency: z.boolean().default(false),
    /**
     * The satisfaction survey after the counsellor hangs up. Unset: on for the main line (the
     * default line), off for the others (see `surveyOnLine`).
     */
    survey: z.boolean().optional(),
  })
  .strict()
  .refine((l) => (l.menu === undefined) !== (l.route === undefined), {
    message: 'a line needs exactly one of "menu" or "route"',
  })
  .refine((l) => (l.season === undefined) === (l.closed === undefined), {
    message: 'a seasonal line needs "closed" (and "closed" needs "season")',
  });

const IvrSettingsSchema = z
  .object({
    invalidPrompt: Id,
    noInputPrompt: Id,
    /** Played after queuing on every route (recording and privacy notice). */
    privacyNotice: Id,
    /** Where a caller goes after the last failed attempt: a person, never a hang-up. */
    fallbackTarget: Id,
    emergency: z.object({ digit: z.string().regex(/^[0-9*#]$/), target: Id }).strict(),
    /**
     * The longest a caller who presses nothing may hear menus and then the privacy notice before a
     * free counsellor's phone can ring. Checked at start against the prompts' durations.
     */
    maxSilentSeconds: z.number().positive().max(600).default(30),
  })
  .strict();

export const HotlineConfigSchema = z
  .object({
    timezone: z.string().default('Asia/Shanghai'),
    languages: z.array(LanguageSchema).min(1),
    /** Language of the first prompts, before the caller chooses; defaults to the first language. */
    defaultLanguage: LanguageSchema.optional(),
    /** Line used for a dialled number no line claims; defaults to the first line. */
    defaultLine: Id.optional(),
    ivr: IvrSettingsSchema,
    prompts: z.record(Id, z.record(LanguageSchema, z.string().min(1))),
    seasons: z.record(Id, SeasonSchema).default({}),
    targets: z.record(Id, TargetSchema),
    menus: z.record(Id, MenuSchema),
    lines: z.record(Id, LineSchema),
    queue: QueueSettingsSchema.default({}),
    escalation: EscalationSettingsSchema.default({}),
    /** The satisfaction survey: how long silence after the question lasts before the goodbye. */
    survey: z.object({ answerTimeoutMs: z.number().int().min(1000).max(60_000).default(8000) }).strict().default({}),
    /** Areas and teams: how a caller's local team is found (see area-config.ts). */
    areas: AreaSettingsSchema.default({}),
    /** Follow-up calls (回访): schedule per grade, quiet hours (see follow-ups-config.ts). */
    followUps: FollowUpsSettingsSchema.default({}),
  })
  .strict();

export type HotlineConfigInput = z.input<typeof HotlineConfigSchema>;
export type ParsedHotlineConfig = z.output<typeof HotlineConfigSchema>;
/** A validated config; `defaultLanguage` and `defaultLine` are always filled in. */
export type HotlineConfig = ParsedHotlineConfig & {
  defaultLanguage: ParsedHotlineConfig['languages'][number];
  defaultLine: string;
};
export type MenuConfig = HotlineConfig['menus'][string];
export type MenuOptionConfig = MenuConfig['options'][string];
export type LineConfig = HotlineConfig['lines'][string];
export type TargetConfig = HotlineConfig['targets'][string];

/**
 * The number every leg we dial presents (counsellors' and supervisors' phones, 110, callbacks):
 * the default line's, the hotline's own number, whichever line the caller dialled.
 */
export function hotlineNumber(config: Pick<HotlineConfig, 'lines' | 'defaultLine'>): string {
  const line = config.lines[config.defaultLine];
  if (!line) throw new ConfigError('defaultLine', `defaultLine: no line ${config.defaultLine}`);
  return line.number;
}

/** Validates `raw` (e.g. parsed YAML); throws ConfigError naming the first bad setting. */
export function parseHotlineConfig(raw: unknown): HotlineConfig {
  const result = HotlineConfigSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const setting = issue ? issue.path.join('.') : '';
    throw new ConfigError(setting, `${setting || '(root)'}: ${issue?.message ?? 'invalid config'}`);
  }
  const parsed = result.data;
  const config: HotlineConfig = {
    ...parsed,
    defaultLanguage: parsed.defaultLanguage ?? (parsed.languages[0] as HotlineConfig['defaultLanguage']),
    defaultLine: parsed.defaultLine ?? Object.keys(parsed.lines)[0] ?? '',
  };
  checkHotlineReferences(config);
  checkAreaReferences(config.areas, config.queue.lineTeams, config.lines);
  // The engine's rules are the domain's type: the YAML's shape must keep fitting it.
  return config satisfies HotlineRules;
}

/** Reads and validates a YAML hotline config from disk (shape and references). */
export function readHotlineConfig(path: string): HotlineConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError('', `cannot read hotline config ${path}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new ConfigError('', `${path}: invalid YAML: ${(err as Error).message}`);
  }
  return parseHotlineConfig(raw);
}

/**
 * The config the service runs: {@link readHotlineConfig}, then how long a silent caller can be kept
 * in the menus, with the rendered prompts under `soundsDir` where they exist, else estimated from
 * the prompts' texts.
 */
export function loadHotlineConfig(path: string, soundsDir?: string): HotlineConfig {
  const config = readHotlineConfig(path);
  checkSilenceBound(config, promptDurations(config, soundsDir));
  return config;
}
