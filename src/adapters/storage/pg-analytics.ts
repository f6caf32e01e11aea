/**
 * The analytics aggregations over the fact tables and rollups of migration 005 (one narrow row
 * per call, order and follow-up attempt, calendar fields precomputed in the hotline's time zone).
 * Per-day tables read analytics_daily; the others read whole past months from the monthly
 * rollups and the remaining days from a daily rollup (categories) or the facts. Only counts leave these queries.
 */
import type pg from 'pg';
import { splitRange } from '../../domain/analytics/range-split.ts';
import type {
  Analytics, AnalyticsContext, AnalyticsFilter, AnswerFigures, AreaCount, CategoryCount, CentreOrderFigures, FollowUpFigures,
  GradeCount, LineCount, NumberedCount, PeriodCount,
} from '../../ports/analytics.ts';
import { refreshFacts } from './pg-analytics-refresh.ts';

/** Builds numbered parameters. */
class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

/** line, team and grade conditions, shared by facts and rollups. */
function dimensions(f: AnalyticsFilter, p: Params, prefix = ''): string[] {
  const parts: string[] = [];
  if (f.line !== undefined) parts.push(`${prefix}line = ${p.add(f.line)}`);
  if (f.team !== undefined) parts.push(`${prefix}team = ${p.add(f.team)}`);
  if (f.grade !== undefined) parts.push(`${prefix}grade = ${p.add(f.grade)}`);
  return parts;
}

/** Facts of the given days (or the filter's range) matching the filter. */
function factsWhere(f: AnalyticsFilter, p: Params, days?: string[]): string {
  const parts = days ? [`day = ANY(${p.add(days)}::date[])`] : [`day BETWEEN ${p.add(f.from)}::date AND ${p.add(f.to)}::date`];
  if (f.category !== undefined) parts.push(`categories @> ARRAY[${p.add(f.category)}::text]`);
  return [...parts, ...dimensions(f, p)].join(' AND ');
}

/** Rollup rows of the given months (or the filter's days, for analytics_daily) matching the filter. */
function rollupWhere(f: AnalyticsFilter, p: Params, months?: string[], days?: string[]): string {
  const parts = months ? [`month = ANY(${p.add(months)}::date[])`]
    : days ? [`day = ANY(${p.add(days)}::date[])`]
    : [`day BETWEEN ${p.add(f.from)}::date AND ${p.add(f.to)}::date`];
  parts.push(`fcat = ${p.add(f.category ?? '')}`);
  return [...parts, ...dimensions(f, p)].join(' AND ');
}

interface TwoTier {
  /** The monthly rollup table. */
  rollup: string;
  /** Group columns, the same names in rollup and facts (facts may give expressions `expr AS name`). */
  groups: string[];
  factGroups?: string[];
  /** Summed columns: name → the fact expression counting it. */
  sums: Record<string, string>;
  facts: string;
  /** A daily rollup with the same columns (and `day`), read instead of the facts. */
  daily?: string;
  order: string;
}

const n = (v: string | number | null | undefined): number => Number(v ?? 0);

export class PgAnalytics implements Analytics {
  constructor(private readonly pool: pg.Pool) {}

  refresh(ctx: AnalyticsContext, now: Date): Promise<void> {
    return refreshFacts(this.pool, ctx, now, false);
  }

  rebuild(ctx: AnalyticsContext, now: Date): Promise<void> {
    return refreshFacts(this.pool, ctx, now, true);
  }

  private async rows<R extends pg.QueryResultRow>(sql: string, values: unknown[]): Promise<R[]> {
    return (await this.pool.query<R>(sql, values)).rows;
  }

  /** Whole rolled-up months from the rollup, the other days from the facts, summed together. */
  private async twoTier<R extends pg.QueryResultRow>(f: AnalyticsFilter, q: TwoTier): Promise<R[]> {
    const rolled = await this.rows<{ m: string }>("SELECT to_char(month, 'YYYY-MM-DD') AS m FROM analytics_rolled_months", []);
    const split = splitRange(f.from, f.to, new Set(rolled.map((r) => r.m)));
    const p = new Params();
    const names = Object.keys(q.sums);
    const parts: string[] = [];
    if (split.months.length > 0) {
      parts.push(`SELECT ${[...q.groups, ...names].join(', ')} FROM ${q.rollup} WHERE ${rollupWhere(f, p, split.months)}`);
    }
    if (split.days.length > 0 && q.daily) {
      parts.push(`SELECT ${[...q.groups, ...names].join(', ')} FROM ${q.daily} WHERE ${rollupWhere(f, p, undefined, split.days)}`);
    } else if (split.days.length > 0) {
      const groups = q.factGroups ?? q.groups;
      parts.push(`SELECT ${[...groups, ...names.map((k) => `${q.sums[k]} AS ${k}`)].join(', ')} FROM ${q.facts}
                  WHERE ${factsWhere(f, p, split.days)} GROUP BY ${groups.map((_, i) => i + 1).join(', ')}`);
    }
    const sql = `SELECT ${[...q.groups, ...names.map((k) => `sum(${k}) AS ${k}`)].join(', ')}
                 FROM (${parts.join(' UNION ALL ')}) AS parts GROUP BY ${q.groups.join(', ')} ORDER BY ${q.order}`;
    return this.rows<R>(sql, p.values);
  }

  /** Sums of analytics_daily over the filter, grouped by `group`. */
  private async daily<R extends pg.QueryResultRow>(f: AnalyticsFilter, group: string, sums: string): Promise<R[]> {
    const p = new Params();
    return this.rows<R>(`SELECT ${group} AS k, ${sums} FROM analytics_daily WHERE ${rollupWhere(f, p)} GROUP BY 1 ORDER BY 1`, p.values);
  }

  async byCategory(f: AnalyticsFilter): Promise<CategoryCount[]> {
    const rows = await this.twoTier<{ cat: string; calls: string }>(f, {
      rollup: 'analytics_monthly_categories', daily: 'analytics_daily_categories', groups: ['cat'], sums: { calls: 'count(*)' },
      facts: 'analytics_calls CROSS JOIN LATERAL unnest(categories) AS c (cat)', order: 'cat',
    });
    return rows.map((r) => ({ category: r.cat, calls: n(r.calls) }));
  }

  async byGrade(f: AnalyticsFilter): Promise<GradeCount[]> {
    const rows = await this.daily<{ k: number | null; calls: string }>(f, 'grade', 'sum(calls) AS calls');
    return rows.map((r) => ({ grade: r.k, calls: n(r.calls) }));
  }

  async byLine(f: AnalyticsFilter): Promise<LineCount[]> {
    const rows = await this.daily<{ k: string; calls: string }>(f, "line || '|' || season", 'sum(calls) AS calls');
    return rows.map((r) => {
      const [line = '', season = ''] = r.k.split('|');
      return { line, season, calls: n(r.calls) };
    });
  }

  async byHour(f: AnalyticsFilter): Promise<NumberedCount[]> {
    const rows = await this.twoTier<{ hour: number; calls: string }>(f, {
      rollup: 'analytics_monthly_hours', groups: ['hour'], sums: { calls: 'count(*)' }, facts: 'analytics_calls', order: 'hour',
    });
    return rows.map((r) => ({ n: n(r.hour), calls: n(r.calls) }));
  }

  async byWeekday(f: AnalyticsFilter): Promise<NumberedCount[]> {
    const rows = await this.daily<{ k: number; calls: string }>(f, 'extract(isodow FROM day)::int', 'sum(calls) AS calls');
    return rows.map((r) => ({ n: n(r.k), calls: n(r.calls) }));
  }

  async byDay(f: AnalyticsFilter): Promise<PeriodCount[]> {
    const rows = await this.daily<{ k: string; calls: string }>(f, "to_char(day, 'YYYY-MM-DD')", 'sum(calls) AS calls');
    return rows.map((r) => ({ period: r.k, calls: n(r.calls) }));
  }

  async byMonth(f: AnalyticsFilter): Promise<PeriodCount[]> {
    const rows = await this.daily<{ k: string; calls: string }>(f, "to_char(day, 'YYYY-MM')", 'sum(calls) AS calls');
    return rows.map((r) => ({ period: r.k, calls: n(r.calls) }));
  }

  async byArea(f: AnalyticsFilter): Promise<AreaCount[]> {
    const rows = await this.twoTier<{ city: string | null; county: string | null; calls: string }>(f, {
      rollup: 'analytics_monthly_areas', groups: ['city', 'county'], sums: { calls: 'count(*)' }, facts: 'analytics_calls',
      order: 'city NULLS LAST, county NULLS LAST',
    });
    return rows.map((r) => ({ city: r.city, county: r.county, calls: n(r.calls) }));
  }

  /** Per day or month; `serviceLevelSeconds` must be the threshold the rollup was counted with (the context's). */
  async answerFigures(f: AnalyticsFilter, period: 'day' | 'month', serviceLevelSeconds: number): Promise<AnswerFigures[]> {
    const counted = await this.rows<{ s: number | null }>('SELECT service_level_seconds AS s FROM analytics_refresh WHERE id = 1', []);
    if ((counted[0]?.s ?? serviceLevelSeconds) !== serviceLevelSeconds) throw new Error(`analytics were counted with a service level of ${counted[0]?.s} s, not ${serviceLevelSeconds} s`);
    const rows = await this.daily<Record<'k' | 'offered' | 'answered' | 'within' | 'abandoned' | 'callbacks' | 'wait', string>>(
      f, period === 'day' ? "to_char(day, 'YYYY-MM-DD')" : "to_char(day, 'YYYY-MM')",
      'sum(offered) AS offered, sum(answered) AS answered, sum(within_sl) AS within, sum(abandoned) AS abandoned, sum(callbacks) AS callbacks, sum(wait_sum_ms) AS wait',
    );
    return rows.filter((r) => n(r.offered) > 0).map((r) => ({
      period: r.k, offered: n(r.offered), answered: n(r.answered), answeredWithin: n(r.within), abandoned: n(r.abandoned), callbacks: n(r.callbacks),
      averageSpeedOfAnswerSec: n(r.answered) > 0 ? Math.round(n(r.wait) / n(r.answered) / 100) / 10 : null,
    }));
  }

  async ordersByCentre(f: AnalyticsFilter): Promise<CentreOrderFigures[]> {
    const rows = await this.twoTier<Record<'centre_id' | 'orders' | 'accept_due' | 'accepted_on_time' | 'reply_due' | 'replied_on_time' | 'closed' | 'fu_answered' | 'fu_satisfied', string>>(f, {
      rollup: 'analytics_monthly_orders', groups: ['centre_id'], facts: 'analytics_orders', order: 'centre_id',
      factGroups: ['centre_id'],
      sums: {
        orders: 'count(*) FILTER (WHERE centre_id IS NOT NULL)',
        accept_due: 'count(*) FILTER (WHERE accept_due_passed)', accepted_on_time: 'count(*) FILTER (WHERE accepted_on_time)',
        reply_due: 'count(*) FILTER (WHERE reply_due_passed)', replied_on_time: 'count(*) FILTER (WHERE replied_on_time)',
        closed: 'count(*) FILTER (WHERE closed)', fu_answered: "count(*) FILTER (WHERE follow_up IN ('resolved', 'not-resolved'))",
        fu_satisfied: "count(*) FILTER (WHERE follow_up = 'resolved')",
      },
    });
    return rows.filter((r) => r.centre_id !== null).map((r) => ({
      centreId: r.centre_id, orders: n(r.orders), acceptDue: n(r.accept_due), acceptedOnTime: n(r.accepted_on_time), replyDue: n(r.reply_due),
      repliedOnTime: n(r.replied_on_time), closed: n(r.closed), followUpAnswered: n(r.fu_answered), followUpSatisfied: n(r.fu_satisfied),
    }));
  }

  async followUps(f: AnalyticsFilter): Promise<FollowUpFigures[]> {
    const rows = await this.twoTier<{ outcome: string; attempts: string }>(f, {
      rollup: 'analytics_monthly_follow_ups', groups: ['outcome'], sums: { attempts: 'count(*)' }, facts: 'analytics_follow_ups', order: 'outcome',
    });
    return rows.map((r) => ({ outcome: r.outcome, attempts: n(r.attempts) }));
  }
}
