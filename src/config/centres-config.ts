/**
 * config/centres.yaml: the directory of local centres that take work orders. Validated with zod,
 * then against the cases config (categories and areas must exist there) so that a typo fails at
 * start, not when an order is proposed.
 */
import { z } from 'zod';
import { leafCodes } from '../domain/cases/categories.ts';
import type { CasesConfig } from './cases-config.ts';
import { configIssue, readYaml, WorkingHoursSchema } from './cases-config.ts';
import { ConfigError } from './config-error.ts';

const CentreSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'ids use a-z, 0-9 and -'),
    name: z.string().min(1),
    level: z.enum(['province', 'city', 'county']),
    city: z.string().min(1).nullable().default(null),
    county: z.string().min(1).nullable().default(null),
    categories: z.array(z.string().min(1)).min(1),
    workingHours: WorkingHoursSchema.optional(),
    staff: z.array(z.string().regex(/^[a-z0-9_-]+$/i, 'staff ids use a-z, 0-9, _ and -')).min(1),
    // Where the centre is told about its orders: a signed webhook (its secret is in the secrets
    // file or the environment, never here) and/or e-mail addresses. Omitted: the centre page only.
    notify: z.object({ webhook: z.string().url().regex(/^https?:/, 'must be an http(s) URL').optional(), emails: z.array(z.string().email()).default([]) }).strict().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.level === 'province' && (c.city || c.county)) ctx.addIssue({ code: 'custom', path: ['city'], message: 'a province-level centre has no city or county' });
    if (c.level === 'city' && (!c.city || c.county)) ctx.addIssue({ code: 'custom', path: ['city'], message: 'a city centre names its city and no county' });
    if (c.level === 'county' && (!c.city || !c.county)) ctx.addIssue({ code: 'custom', path: ['county'], message: 'a county centre names its city and county' });
  });

export const CentresConfigSchema = z
  .object({ centres: z.array(CentreSchema).min(1) })
  .strict()
  .superRefine((d, ctx) => {
    const ids = new Set<string>();
    const staff = new Map<string, string>();
    d.centres.forEach((c, i) => {
      if (ids.has(c.id)) ctx.addIssue({ code: 'custom', path: ['centres', i, 'id'], message: `duplicate centre ${c.id}` });
      ids.add(c.id);
      c.staff.forEach((s, j) => {
        const other = staff.get(s);
        if (other) ctx.addIssue({ code: 'custom', path: ['centres', i, 'staff', j], message: `${s} is already staff of ${other}` });
        staff.set(s, c.id);
      });
    });
    if (!d.centres.some((c) => c.level === 'province')) {
      ctx.addIssue({ code: 'custom', path: ['centres'], message: 'a province-level centre is needed: it takes orders no local centre can' });
    }
  });

export type CentresConfig = z.output<typeof CentresConfigSchema>;
export type CentreConfig = CentresConfig['centres'][number];

/** Every category and area a centre names must exist in the cases config. */
function checkAgainstCases(d: CentresConfig, cases: CasesConfig, source: string): void {
  const tops = new Set(cases.categories.map((c) => c.id));
  const leaves = new Set(leafCodes(cases.categories));
  d.centres.forEach((c, i) => {
    c.categories.forEach((code, j) => {
      if (code !== '*' && !tops.has(code) && !leaves.has(code)) {
        throw new ConfigError(`centres.${i}.categories.${j}`, `${source}: centres.${i}.categories.${j}: unknown category ${code}`);
      }
    });
    if (c.city !== null) {
      const counties = cases.areas[c.city];
      if (!counties) throw new ConfigError(`centres.${i}.city`, `${source}: centres.${i}.city: ${c.city} is not in the areas of the cases config`);
      if (c.county !== null && !counties.includes(c.county)) {
        throw new ConfigError(`centres.${i}.county`, `${source}: centres.${i}.county: ${c.county} is not a county of ${c.city}`);
      }
    }
  });
}

export function parseCentresConfig(raw: unknown, cases: CasesConfig, source = 'centres'): CentresConfig {
  const result = CentresConfigSchema.safeParse(raw);
  if (!result.success) throw configIssue(source, result.error);
  checkAgainstCases(result.data, cases, source);
  return result.data;
}

export function loadCentresConfig(path: string, cases: CasesConfig): CentresConfig {
  return parseCentresConfig(readYaml(path), cases, path);
}
