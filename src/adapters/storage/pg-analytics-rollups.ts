/**
 * The rollups of migration 005, rebuilt from the facts for the days and months that changed:
 * analytics_daily per day (today included), the monthly tables per month before the current one.
 */
import type pg from 'pg';

/** Each fact row once under '' (all calls) and once under each of its categories. */
const FCAT = "CROSS JOIN LATERAL unnest(array_prepend(''::text, a.categories)) AS f (fcat)";

const DAILY = `
INSERT INTO analytics_daily (day, fcat, line, season, team, grade, calls, offered, answered, within_sl, abandoned, callbacks, wait_sum_ms)
SELECT a.day, f.fcat, a.line, a.season, a.team, a.grade, count(*), count(*) FILTER (WHERE a.offered), count(*) FILTER (WHERE a.answered),
       count(*) FILTER (WHERE a.answered AND a.wait_ms <= $2 * 1000), count(*) FILTER (WHERE a.abandoned), count(*) FILTER (WHERE a.callback),
       COALESCE(sum(a.wait_ms) FILTER (WHERE a.answered), 0)
FROM analytics_calls a ${FCAT} WHERE $1::date[] IS NULL OR a.day = ANY($1::date[])
GROUP BY 1, 2, 3, 4, 5, 6`;

const DAILY_CATEGORIES = `
INSERT INTO analytics_daily_categories (day, fcat, cat, line, team, grade, calls)
SELECT a.day, f.fcat, c.cat, a.line, a.team, a.grade, count(*)
FROM analytics_calls a ${FCAT} CROSS JOIN LATERAL unnest(a.categories) AS c (cat)
WHERE $1::date[] IS NULL OR a.day = ANY($1::date[])
GROUP BY 1, 2, 3, 4, 5, 6`;

/** Facts of the months in $1 (first days), as day ranges so that the index on day is used. */
const IN_MONTHS = "a.day >= (SELECT min(x) FROM unnest($1::date[]) AS x) AND a.day < (SELECT max(x) FROM unnest($1::date[]) AS x) + interval '1 month' AND EXISTS (SELECT 1 FROM unnest($1::date[]) AS m (first) WHERE a.day >= m.first AND a.day < m.first + interval '1 month')";

/** The monthly tables, each from its facts, for the months in $1 (first days). */
const MONTHLY_SQL = [
  `INSERT INTO analytics_monthly_categories (month, fcat, cat, line, team, grade, calls)
   SELECT date_trunc('month', a.day)::date, f.fcat, c.cat, a.line, a.team, a.grade, count(*)
   FROM analytics_calls a ${FCAT} CROSS JOIN LATERAL unnest(a.categories) AS c (cat)
   WHERE ${IN_MONTHS} GROUP BY 1, 2, 3, 4, 5, 6`,
  `INSERT INTO analytics_monthly_hours (month, fcat, line, team, grade, hour, calls)
   SELECT date_trunc('month', a.day)::date, f.fcat, a.line, a.team, a.grade, a.hour, count(*)
   FROM analytics_calls a ${FCAT} WHERE ${IN_MONTHS} GROUP BY 1, 2, 3, 4, 5, 6`,
  `INSERT INTO analytics_monthly_areas (month, fcat, line, team, grade, city, county, calls)
   SELECT date_trunc('month', a.day)::date, f.fcat, a.line, a.team, a.grade, a.city, a.county, count(*)
   FROM analytics_calls a ${FCAT} WHERE ${IN_MONTHS} GROUP BY 1, 2, 3, 4, 5, 6, 7`,
  `INSERT INTO analytics_monthly_orders (month, fcat, line, team, grade, centre_id, orders, accept_due, accepted_on_time, reply_due,
                                         replied_on_time, closed, fu_answered, fu_satisfied)
   SELECT date_trunc('month', a.day)::date, f.fcat, a.line, a.team, a.grade, a.centre_id, count(*),
          count(*) FILTER (WHERE a.accept_due_passed), count(*) FILTER (WHERE a.accepted_on_time),
          count(*) FILTER (WHERE a.reply_due_passed), count(*) FILTER (WHERE a.replied_on_time), count(*) FILTER (WHERE a.closed),
          count(*) FILTER (WHERE a.follow_up IN ('resolved', 'not-resolved')), count(*) FILTER (WHERE a.follow_up = 'resolved')
   FROM analytics_orders a ${FCAT} WHERE a.centre_id IS NOT NULL AND ${IN_MONTHS} GROUP BY 1, 2, 3, 4, 5, 6`,
  `INSERT INTO analytics_monthly_follow_ups (month, fcat, line, team, grade, outcome, attempts)
   SELECT date_trunc('month', a.day)::date, f.fcat, a.line, a.team, a.grade, a.outcome, count(*)
   FROM analytics_follow_ups a ${FCAT} WHERE ${IN_MONTHS} GROUP BY 1, 2, 3, 4, 5, 6`,
];
const MONTHLY_TABLES = ['analytics_monthly_categories', 'analytics_monthly_hours', 'analytics_monthly_areas', 'analytics_monthly_orders', 'analytics_monthly_follow_ups'];
/** Which facts each monthly table is made from: a change in orders re-rolls only the orders table. */
const SOURCE = ['calls', 'calls', 'calls', 'orders', 'follow-ups'] as const;
export type FactSource = (typeof SOURCE)[number];

/** First day of the month of a `YYYY-MM-DD` day. */
const monthOf = (day: string): string => `${day.slice(0, 7)}-01`;

/**
 * Rebuilds the rollups for the days whose facts changed, by source (null: everything).
 * analytics_daily follows the calls' days. A monthly table is rolled up again for a month before
 * `currentMonth` when its own facts changed there, or when the month was never rolled up; later
 * months are dropped (their figures come from the facts).
 */
export async function refreshRollups(
  client: pg.PoolClient, changed: Record<FactSource, string[]> | null, currentMonth: string, serviceLevelSeconds: number,
): Promise<void> {
  const callDays = changed?.calls ?? null;
  if (changed === null) {
    await client.query(`TRUNCATE analytics_daily, analytics_daily_categories, analytics_rolled_months, ${MONTHLY_TABLES.join(', ')}`);
  } else if (changed.calls.length > 0) {
    await client.query('DELETE FROM analytics_daily WHERE day = ANY($1::date[])', [changed.calls]);
    await client.query('DELETE FROM analytics_daily_categories WHERE day = ANY($1::date[])', [changed.calls]);
  }
  if (callDays === null || callDays.length > 0) {
    await client.query(DAILY, [callDays, serviceLevelSeconds]);
    await client.query(DAILY_CATEGORIES, [callDays]);
  }
  const unrolled = (await client.query<{ month: string }>(
    `SELECT DISTINCT to_char(date_trunc('month', day), 'YYYY-MM-DD') AS month FROM analytics_daily
     WHERE fcat = '' AND date_trunc('month', day)::date NOT IN (SELECT month FROM analytics_rolled_months)`,
  )).rows.map((r) => r.month);
  await client.query('DELETE FROM analytics_rolled_months WHERE month >= $1::date', [currentMonth]);
  for (const [i, table] of MONTHLY_TABLES.entries()) {
    const months = [...new Set([...unrolled, ...(changed?.[SOURCE[i]!] ?? []).map(monthOf)])].filter((m) => m < currentMonth).sort();
    await client.query(`DELETE FROM ${table} WHERE month >= $1::date OR month = ANY($2::date[])`, [currentMonth, months]);
    if (months.length > 0) await client.query(MONTHLY_SQL[i]!, [months]);
  }
  const newlyRolled = unrolled.filter((m) => m < currentMonth);
  if (newlyRolled.length > 0) await client.query('INSERT INTO analytics_rolled_months (month) SELECT unnest($1::date[]) ON CONFLICT DO NOTHING', [newlyRolled]);
}
