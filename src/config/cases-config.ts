/**
 * config/cases.yaml: the category tree, risk grades with their deadlines, the working calendar,
 * reminders, retention, areas and Chinese labels. Validated with zod at load; a bad value throws
 * a ConfigError naming its setting.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { checkCategoryTree } from '../domain/cases/categories.ts';
import { ORDER_STATUSES } from '../domain/work-orders/order-types.ts';
import { parseClock } from '../domain/work-orders/working-time.ts';
import { ConfigError } from './config-error.ts';

const Id = z.string().regex(/^[a-z0-9-]+$/, 'ids use a-z, 0-9 and -');
const Label = z.string().min(1);
/** Minutes after midnight, or null when `v` is not a time of day. */
function clockMinutes(v: string): number | null {
  try {
    return parseClock(v);
  } catch {
    return null;
  }
}
const Clock = z.string().refine((v) => clockMinutes(v) !== null, 'expected HH:mm (00:00 to 24:00)');
const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a calendar date');
const Positive = z.number().positive();

export const TimeAllowedSchema = z.union([
  z.object({ minutes: Positive }).strict(),
  z.object({ workingHours: Positive }).strict(),
  z.object({ workingDays: Positive }).strict(),
]);

const GradeSchema = z.object({ label: Label, accept: TimeAllowedSchema, reply: TimeAllowedSchema, secondLevelAfter: TimeAllowedSchema }).strict();

const PeriodsSchema = z
  .array(z.object({ from: Clock, to: Clock }).strict())
  .min(1)
  .superRefine((periods, ctx) => {
    // Zod still runs this when a time was refused above; those periods are left out.
    const sorted = periods
      .map((p) => ({ from: clockMinutes(p.from) ?? Number.NaN, to: clockMinutes(p.to) ?? Number.NaN }))
      .filter((p) => !Number.isNaN(p.from) && !Number.isNaN(p.to))
      .sort((a, b) => a.from - b.from);
    sorted.forEach((p, i) => {
      if (p.to <= p.from) ctx.addIssue({ code: 'custom', message: 'a working period must end after it starts' });
      const prev = sorted[i - 1];
      if (prev && p.from < prev.to) ctx.addIssue({ code: 'custom', message: 'working periods overlap' });
    });
  });

export const WorkingHoursSchema = z.object({ periods: PeriodsSchema, everyDay: z.boolean().default(false) }).strict();

const CategorySchema = z
  .object({ id: Id, label: Label, children: z.array(z.object({ id: Id, label: Label }).strict()).default([]) })
  .strict();

const labelsFor = <T extends readonly [string, ...string[]]>(keys: T) => z.object(Object.fromEntries(keys.map((k) => [k, Label])) as Record<T[number], typeof Label>).strict();

export const CasesConfigSchema = z
  .object({
    timezone: z.literal('Asia/Shanghai', { errorMap: () => ({ message: 'deadlines are counted in Asia/Shanghai (UTC+8, no daylight saving)' }) }),
    categories: z.array(CategorySchema).min(1),
    grades: z.object({ 1: GradeSchema, 2: GradeSchema, 3: GradeSchema, 4: GradeSchema }).strict(),
    autoOrderGrades: z.array(z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)])).default([1, 2]),
    summaryMaxLength: z.number().int().min(50).max(5000).default(500),
    workingTime: z
      .object({ periods: PeriodsSchema, holidays: z.array(LocalDate).default([]), workdays: z.array(LocalDate).default([]) })
      .strict()
      .superRefine((w, ctx) => {
        const wd = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay();
        w.workdays.forEach((d, i) => {
          if (wd(d) !== 0 && wd(d) !== 6) ctx.addIssue({ code: 'custom', path: ['workdays', i], message: `${d} is a weekday already; a make-up day falls on a weekend` });
          if (w.holidays.includes(d)) ctx.addIssue({ code: 'custom', path: ['workdays', i], message: `${d} is also a holiday` });
        });
      }),
    reminders: z.object({ atFraction: z.number().gt(0).lt(1) }).strict(),
    // callerNumberDays: the caller's number on cases and on call records (calls.caller_number);
    // by default as long as the rest of the personal data.
    retention: z.object({ personalDataDays: z.number().int().min(1).max(3650), callerNumberDays: z.number().int().min(1).max(3650).optional() }).strict(),
    areas: z.record(z.string().min(1), z.array(z.string().min(1))),
    labels: z
      .object({
        orderStatus: labelsFor(ORDER_STATUSES),
        orderEvent: z.record(z.string(), Label),
        followUpOutcome: labelsFor(['resolved', 'not-resolved', 'unreachable', 'declined'] as const),
      })
      .strict(),
  })
  .strict()
  .superRefine((c, ctx) => {
    for (const p of checkCategoryTree(c.categories)) ctx.addIssue({ code: 'custom', path: p.path.split('.'), message: p.message });
    if (!c.autoOrderGrades.includes(1)) ctx.addIssue({ code: 'custom', path: ['autoOrderGrades'], message: '一级 (1) always requires a work order' });
  });

export type CasesConfig = z.output<typeof CasesConfigSchema>;

/** The first issue of a failed parse, as a ConfigError with the setting's dotted path. */
export function configIssue(source: string, error: z.ZodError): ConfigError {
  const issue = error.issues[0];
  const setting = issue ? issue.path.join('.') : '';
  return new ConfigError(setting, `${source}: ${setting || '(root)'}: ${issue?.message ?? 'invalid'}`);
}

export function parseCasesConfig(raw: unknown, source = 'cases'): CasesConfig {
  const result = CasesConfigSchema.safeParse(raw);
  if (!result.success) throw configIssue(source, result.error);
  return result.data;
}

/** Reads a YAML file, throwing ConfigError when it cannot be read or parsed. */
export function readYaml(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError('', `cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    return parseYaml(text);
  } catch (err) {
    throw new ConfigError('', `${path}: invalid YAML: ${(err as Error).message}`);
  }
}

export function loadCasesConfig(path: string): CasesConfig {
  return parseCasesConfig(readYaml(path), path);
}
