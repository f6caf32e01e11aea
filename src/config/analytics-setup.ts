/** What analytics needs from config and the roster: group labels and the fact tables' context. */
import type { AnalyticsContext } from '../ports/analytics.ts';
import { categoryLabels, type AnalyticsLabels } from '../services/analytics/analytics-labels.ts';
import type { CasesConfig } from './cases-config.ts';
import type { CentresConfig } from './centres-config.ts';
import type { HotlineConfig } from './hotline-config.ts';
import type { Roster } from './roster.ts';

const LINE_NAMES: Record<string, string> = { main: '主热线', exam: '考试季专线' };
const SEASON_NAMES: Record<string, string> = { '': '平时', exam: '考试季' };

export function analyticsLabels(hotline: HotlineConfig, cases: CasesConfig, centres: CentresConfig, roster: Roster): AnalyticsLabels {
  // Counsellors' teams, and the lines' queue teams (the team of a call nobody answered).
  const teams = [...new Set([...roster.counsellors.map((c) => c.team), ...Object.values(hotline.queue.lineTeams)])].sort();
  return {
    categories: categoryLabels(cases.categories),
    grades: new Map(([1, 2, 3, 4] as const).map((g) => [g, cases.grades[g].label])),
    lines: new Map(Object.entries(hotline.lines).map(([id, l]) => [id, `${LINE_NAMES[id] ?? id}（${l.number}）`])),
    seasons: new Map([['', SEASON_NAMES['']!], ...Object.keys(hotline.seasons).map((s): [string, string] => [s, SEASON_NAMES[s] ?? s])]),
    centres: new Map(centres.centres.map((c) => [c.id, c.name])),
    teams: teams.map((t) => ({ value: t, label: t })),
  };
}

export function analyticsContext(hotline: HotlineConfig, roster: Roster): AnalyticsContext {
  return {
    timeZone: hotline.timezone,
    serviceLevelSeconds: hotline.queue.serviceLevelSeconds,
    counsellorTeams: Object.fromEntries(roster.counsellors.map((c) => [c.id, c.team])),
    lineTeams: { ...hotline.queue.lineTeams },
    seasons: Object.entries(hotline.seasons).flatMap(([name, s]) => s.windows.map((w) => ({ name, from: w.from, to: w.to }))),
  };
}
