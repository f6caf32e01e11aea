/** Analytics wiring: its own small pool (the first build of the fact tables may take minutes), labels from config. */
import pg from 'pg';
import { resolve } from 'node:path';
import { PgAnalytics } from '../adapters/storage/pg-analytics.ts';
import { analyticsContext, analyticsLabels } from '../config/analytics-setup.ts';
import { loadCasesConfig } from '../config/cases-config.ts';
import { loadCentresConfig } from '../config/centres-config.ts';
import type { HotlineConfig } from '../config/hotline-config.ts';
import type { Roster } from '../config/roster.ts';
import type { Clock } from '../ports/clock.ts';
import { AnalyticsService } from '../services/analytics/analytics-service.ts';

const CONFIG_DIR = resolve(import.meta.dirname, '../../config');
/** Figures are at most this old; a refresh reads only what changed since the last one. */
const REFRESH_EVERY_MS = 30_000;

export function wireAnalytics(d: { databaseUrl: string; config: HotlineConfig; roster: () => Roster; clock: Clock; configDir?: string }): { analytics: AnalyticsService; close(): Promise<void> } {
  const dir = d.configDir ?? CONFIG_DIR;
  const cases = loadCasesConfig(resolve(dir, 'cases.yaml'));
  const centres = loadCentresConfig(resolve(dir, 'centres.yaml'), cases);
  const pool = new pg.Pool({ connectionString: d.databaseUrl, max: 3, connectionTimeoutMillis: 10_000, statement_timeout: 600_000 });
  pool.on('error', () => undefined);
  const analytics = new AnalyticsService({
    analytics: new PgAnalytics(pool), clock: d.clock, serviceLevelSeconds: d.config.queue.serviceLevelSeconds, refreshEveryMs: REFRESH_EVERY_MS,
    labels: () => analyticsLabels(d.config, cases, centres, d.roster()),
    context: () => analyticsContext(d.config, d.roster()),
  });
  return { analytics, close: () => pool.end() };
}
