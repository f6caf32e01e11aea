/**
 * Incremental refresh of the analytics fact tables (migration 005). Each statement recomputes the
 * facts of the rows changed since the last refresh (with a margin), or of all rows when `since`
 * is null. Timestamps are compared with the service's clock, the one the records were written with.
 */
import type pg from 'pg';
import { localDateTime } from '../../domain/seasons/calendar.ts';
import type { AnalyticsContext } from '../../ports/analytics.ts';
import { refreshRollups, type FactSource } from './pg-analytics-rollups.ts';

/** Calls last hours at most, and deferred writes may land late: a call is looked at again for 2 days. */
const CALL_MARGIN = "interval '2 days'";
/** Cases, orders and follow-ups carry their own change time; a margin covers clock skew between instances. */
const CHANGE_MARGIN = "interval '1 hour'";

const REFRESH_CALLS = `
WITH changed AS (
  SELECT call_id FROM calls WHERE started_at >= $1::timestamptz - ${CALL_MARGIN}
  UNION SELECT call_id FROM cases WHERE updated_at >= $1::timestamptz - ${CHANGE_MARGIN}
),
teams AS (SELECT * FROM unnest($3::text[], $4::text[]) AS t (counsellor_id, team)),
line_teams AS (SELECT * FROM unnest($5::text[], $6::text[]) AS t (line, team)),
seasons AS (SELECT * FROM unnest($7::text[], $8::timestamp[], $9::timestamp[]) AS s (name, starts, ends))
INSERT INTO analytics_calls AS a (call_id, day, hour, line, season, team, offered, answered, abandoned, callback, wait_ms,
                                  grade, categories, city, county, satisfaction)
SELECT c.call_id, (c.started_at AT TIME ZONE $2)::date, extract(hour FROM c.started_at AT TIME ZONE $2)::smallint, c.line,
       COALESCE((SELECT s.name FROM seasons s WHERE (c.started_at AT TIME ZONE $2) >= s.starts AND (c.started_at AT TIME ZONE $2) < s.ends LIMIT 1), ''),
       COALESCE(ct.team, lt.team),
       COALESCE(q.offered, false), COALESCE(q.answered, false), COALESCE(q.abandoned AND NOT q.answered, false), COALESCE(q.callback, false), q.wait_ms,
       k.grade,
       COALESCE(ARRAY(SELECT DISTINCT v.x FROM unnest(k.categories) AS u (code), LATERAL (VALUES (u.code), (split_part(u.code, '/', 1))) AS v (x) ORDER BY 1), '{}'),
       k.city, k.county, c.satisfaction
FROM changed JOIN calls c ON c.call_id = changed.call_id
LEFT JOIN cases k ON k.call_id = c.call_id
LEFT JOIN teams ct ON ct.counsellor_id = c.counsellor_id
LEFT JOIN line_teams lt ON lt.line = c.line
LEFT JOIN LATERAL (
  -- Once per call: a caller re-queued after an escalation enters the queue twice but is one offer.
  SELECT bool_or(e.type = 'enter') AS offered, bool_or(e.type = 'connect') AS answered, bool_or(e.type = 'abandon') AS abandoned,
         bool_or(e.type = 'callback-requested') AS callback,
         round((array_agg((e.data->>'waitMs')::numeric ORDER BY e.id) FILTER (WHERE e.type = 'connect'))[1])::int AS wait_ms
  FROM queue_events e WHERE e.call_id = c.call_id
) q ON true
ON CONFLICT (call_id) DO UPDATE SET day = EXCLUDED.day, hour = EXCLUDED.hour, line = EXCLUDED.line, season = EXCLUDED.season,
  team = EXCLUDED.team, offered = EXCLUDED.offered, answered = EXCLUDED.answered, abandoned = EXCLUDED.abandoned,
  callback = EXCLUDED.callback, wait_ms = EXCLUDED.wait_ms, grade = EXCLUDED.grade, categories = EXCLUDED.categories,
  city = EXCLUDED.city, county = EXCLUDED.county, satisfaction = EXCLUDED.satisfaction
RETURNING to_char(day, 'YYYY-MM-DD') AS day`;

const REFRESH_ORDERS = `
WITH changed AS (
  SELECT id FROM work_orders WHERE updated_at >= $1::timestamptz - ${CHANGE_MARGIN}
  UNION SELECT order_id FROM follow_ups WHERE order_id IS NOT NULL AND ended_at >= $1::timestamptz - ${CHANGE_MARGIN}
)
INSERT INTO analytics_orders AS a (order_id, day, line, team, centre_id, grade, categories, accepted, accept_due_passed,
  accepted_on_time, replied, reply_due_passed, replied_on_time, closed, follow_up)
SELECT o.id, (o.created_at AT TIME ZONE $2)::date, ac.line, ac.team, o.centre_id, o.grade, COALESCE(ac.categories, '{}'),
       ev.accepted, ev.accepted OR od.accept > 0, ev.accepted AND od.accept = 0,
       ev.replied, ev.replied OR od.reply > 0, ev.replied AND od.reply = 0,
       o.status = 'closed',
       -- The follow-up call's answer when there is one, else the result recorded by hand on the order.
       COALESCE((SELECT CASE WHEN f.satisfied THEN 'resolved' ELSE 'not-resolved' END FROM follow_ups f
                 WHERE f.order_id = o.id AND f.satisfied IS NOT NULL ORDER BY f.ended_at DESC NULLS LAST, f.attempt DESC LIMIT 1),
                ev.follow_up)
FROM changed JOIN work_orders o ON o.id = changed.id
JOIN cases k ON k.id = o.case_id
LEFT JOIN analytics_calls ac ON ac.call_id = k.call_id
CROSS JOIN LATERAL (SELECT COALESCE((o.state->'overdue'->>'accept')::int, 0) AS accept, COALESCE((o.state->'overdue'->>'reply')::int, 0) AS reply) od
CROSS JOIN LATERAL (
  SELECT COALESCE(bool_or(e.type = 'accept'), false) AS accepted, COALESCE(bool_or(e.type = 'reply'), false) AS replied,
         (array_agg(e.data->>'outcome' ORDER BY e.seq DESC) FILTER (WHERE e.type = 'record-follow-up'))[1] AS follow_up
  FROM work_order_events e WHERE e.order_id = o.id
) ev
ON CONFLICT (order_id) DO UPDATE SET day = EXCLUDED.day, line = EXCLUDED.line, team = EXCLUDED.team, centre_id = EXCLUDED.centre_id,
  grade = EXCLUDED.grade, categories = EXCLUDED.categories, accepted = EXCLUDED.accepted, accept_due_passed = EXCLUDED.accept_due_passed,
  accepted_on_time = EXCLUDED.accepted_on_time, replied = EXCLUDED.replied, reply_due_passed = EXCLUDED.reply_due_passed,
  replied_on_time = EXCLUDED.replied_on_time, closed = EXCLUDED.closed, follow_up = EXCLUDED.follow_up
RETURNING to_char(day, 'YYYY-MM-DD') AS day`;

const REFRESH_FOLLOW_UPS = `
INSERT INTO analytics_follow_ups AS a (follow_up_id, day, line, team, grade, categories, outcome, satisfied)
SELECT f.id, (COALESCE(f.ended_at, f.started_at, f.due_at) AT TIME ZONE $2)::date, ac.line, ac.team, k.grade,
       COALESCE(ac.categories, '{}'), f.outcome, f.satisfied
FROM follow_ups f JOIN cases k ON k.id = f.case_id
LEFT JOIN analytics_calls ac ON ac.call_id = k.call_id
WHERE f.outcome IS NOT NULL AND (f.id IN (
  SELECT id FROM follow_ups WHERE ended_at >= $1::timestamptz - ${CHANGE_MARGIN} UNION SELECT id FROM follow_ups WHERE created_at >= $1::timestamptz - ${CHANGE_MARGIN}))
ON CONFLICT (follow_up_id) DO UPDATE SET day = EXCLUDED.day, line = EXCLUDED.line, team = EXCLUDED.team, grade = EXCLUDED.grade,
  categories = EXCLUDED.categories, outcome = EXCLUDED.outcome, satisfied = EXCLUDED.satisfied
RETURNING to_char(day, 'YYYY-MM-DD') AS day`;

/** The parameters every refresh statement takes, from config and the roster. */
function params(ctx: AnalyticsContext, since: Date | null): unknown[] {
  const teams = Object.entries(ctx.counsellorTeams);
  const lines = Object.entries(ctx.lineTeams);
  return [
    // From the beginning of time for a full refresh: one statement either way, and an index range when incremental.
    since?.toISOString() ?? '-infinity', ctx.timeZone,
    teams.map(([id]) => id), teams.map(([, t]) => t), lines.map(([l]) => l), lines.map(([, t]) => t),
    ctx.seasons.map((s) => s.name), ctx.seasons.map((s) => s.from), ctx.seasons.map((s) => s.to),
  ];
}

/**
 * Refreshes the facts changed since the last refresh (all of them the first time, or when `full`),
 * in one transaction under a lock so that two instances do not refresh at once.
 */
export async function refreshFacts(pool: pg.Pool, ctx: AnalyticsContext, now: Date, full: boolean): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(12356)');
    const state = (await client.query<{ refreshed_at: Date; service_level_seconds: number | null }>(
      'SELECT refreshed_at, service_level_seconds FROM analytics_refresh WHERE id = 1')).rows[0];
    const last = full ? null : state?.refreshed_at ?? null;
    if (last === null) await client.query('TRUNCATE analytics_calls, analytics_orders, analytics_follow_ups');
    const all = params(ctx, last);
    const changed: Record<FactSource, string[]> = { calls: [], orders: [], 'follow-ups': [] };
    for (const [source, sql, values] of [['calls', REFRESH_CALLS, all], ['orders', REFRESH_ORDERS, all.slice(0, 2)], ['follow-ups', REFRESH_FOLLOW_UPS, all.slice(0, 2)]] as const) {
      const res = await client.query<{ day: string }>(sql, values as unknown[]);
      changed[source] = [...new Set(res.rows.map((r) => r.day))].sort();
    }
    // A new service-level threshold changes every day's count of calls answered within it.
    const rebuildRollups = last === null || state?.service_level_seconds !== ctx.serviceLevelSeconds;
    const currentMonth = `${localDateTime(now, ctx.timeZone).slice(0, 7)}-01`;
    await refreshRollups(client, rebuildRollups ? null : changed, currentMonth, ctx.serviceLevelSeconds);
    await client.query(
      `INSERT INTO analytics_refresh (id, refreshed_at, service_level_seconds) VALUES (1, $1, $2)
       ON CONFLICT (id) DO UPDATE SET refreshed_at = EXCLUDED.refreshed_at, service_level_seconds = EXCLUDED.service_level_seconds`,
      [now.toISOString(), ctx.serviceLevelSeconds],
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
