/** Analytics wiring: its own small pool (the first build of the fact tables may take minutes), labels from config. */
import pg from 'pg';
import { PgAnalytics } from '../adapters/storage/pg-analytics.ts';
import { analyticsContext, analyticsLabels } from '../config/analytics-setup.ts';
import { loadCasesConfig } from '../config/cases-config.ts';
import { loadCentresConfig } from '../config/centres-config.ts';
import type { HotlineConfig } from '../config/hotline-config.ts';
import type { Roster } from '../config/roster.ts';
import type { Clock } from '../ports/clock.ts';
import { AnalyticsService } from '../services/analytics/analytics-service.ts';

/** Figures are at most this old; a refresh reads only what changed since the last one. */
const REFRESH_EVERY_MS = 30_000;

export interface AnalyticsWiring {
  databaseUrl: string;
  config: HotlineConfig;
  roster: () => Roster;
  clock: Clock;
  /** config/cases.yaml and config/centres.yaml (HOTLINE_CASES_CONFIG, HOTLINE_CENTRES_CONFIG): labels. */
  casesConfig: string;
  centresConfig: string;
}

export function wireAnalytics(d: AnalyticsWiring): { analytics: AnalyticsService; close(): Promise<void> } {
  const cases = loadCasesConfig(d.casesConfig);
  const centres = loadCentresConfig(d.centresConfig, cases);
  const pool = new pg.Pool({ connectionString: d.databaseUrl, max: 3, connectionTimeoutMillis: 10_000, statement_timeout: 600_000 });
  pool.on('error', () => undefined);
  const analytics = new AnalyticsService({
    analytics: new PgAnalytics(pool), clock: d.clock, serviceLevelSeconds: d.config.queue.serviceLevelSeconds, refreshEveryMs: REFRESH_EVERY_MS,
    labels: () => analyticsLabels(d.config, cases, centres, d.roster()),
    context: () => analyticsContext(d.config, d.roster()),
  });
  return { analytics, close: () => pool.end() };
}
