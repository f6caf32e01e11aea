/**
 * Analytics for supervisors and admins: keeps the fact tables fresh (at most one refresh at a
 * time, and not more often than `refreshEveryMs`), then builds the labelled tables.
 */
import type { Analytics, AnalyticsContext, AnalyticsFilter } from '../../ports/analytics.ts';
import type { Clock } from '../../ports/clock.ts';
import { localDateTime } from '../../domain/seasons/calendar.ts';
import { ANALYTICS_TABLES, type AnalyticsOptionsResponse, type AnalyticsTable, type AnalyticsTableId } from '../../wire/analytics.ts';
import type { AnalyticsLabels } from './analytics-labels.ts';
import { buildTable } from './analytics-tables.ts';

export interface AnalyticsServiceDeps {
  analytics: Analytics;
  /** From config and the roster as they are now (teams change with the roster). */
  labels: () => AnalyticsLabels;
  clock: Clock;
  /** From config and the roster as they are now. */
  context: () => AnalyticsContext;
  serviceLevelSeconds: number;
  refreshEveryMs: number;
}

export class AnalyticsService {
  private lastRefresh = -Infinity;
  private running: Promise<void> | null = null;

  constructor(private readonly d: AnalyticsServiceDeps) {}

  get serviceLevelSeconds(): number {
    return this.d.serviceLevelSeconds;
  }

  /** Today's date in the hotline's time zone, `YYYY-MM-DD`. */
  today(): string {
    return localDateTime(this.d.clock.now(), this.d.context().timeZone).slice(0, 10);
  }

  /** Known values for validating filters. */
  known(): { lines: string[]; categories: string[] } {
    const l = this.d.labels();
    return { lines: [...l.lines.keys()], categories: [...l.categories.keys()] };
  }

  options(): AnalyticsOptionsResponse {
    const l = this.d.labels();
    return {
      lines: [...l.lines].map(([value, label]) => ({ value, label })),
      teams: l.teams,
      categories: [...l.categories].map(([value, label]) => ({ value, label })),
      grades: [...l.grades].map(([value, label]) => ({ value: String(value), label })),
      today: this.today(),
    };
  }

  /** Refreshes the facts when the last refresh is older than `refreshEveryMs`; callers share a running one. */
  async fresh(): Promise<void> {
    const now = this.d.clock.now();
    if (now.getTime() - this.lastRefresh < this.d.refreshEveryMs) return;
    this.running ??= this.d.analytics.refresh(this.d.context(), now).then(() => {
      this.lastRefresh = now.getTime();
    }).finally(() => {
      this.running = null;
    });
    await this.running;
  }

  async tables(filter: AnalyticsFilter, period: 'day' | 'month', ids: readonly AnalyticsTableId[] = ANALYTICS_TABLES): Promise<AnalyticsTable[]> {
    await this.fresh();
    const c = { queries: this.d.analytics, labels: this.d.labels(), filter, period, serviceLevelSeconds: this.d.serviceLevelSeconds };
    return Promise.all(ids.map((id) => buildTable(id, c)));
  }
}
