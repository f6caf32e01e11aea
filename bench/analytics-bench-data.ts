/**
 * One year of synthetic history at the scale of a busy province, generated inside PostgreSQL
 * (generate_series and INSERT … SELECT: no rows travel through Node). Deterministic (setseed).
 */
import type pg from 'pg';

export const BENCH_FROM = '2025-12-01';
export const BENCH_TO = '2026-11-30';
export const TEAMS = ['guangzhou', 'shenzhen', 'foshan', 'dongguan', 'province'];
export const LEAVES = [
  'interpersonal/peers', 'interpersonal/parent-child', 'interpersonal/teachers', 'romance', 'employment', 'study', 'family',
  'mental-health/depression', 'mental-health/anxiety', 'mental-health/self-harm', 'legal/bullying', 'legal/abuse', 'hardship', 'other',
];
const AREAS: Array<[string, string]> = [
  ['广州市', '天河区'], ['广州市', '越秀区'], ['广州市', '海珠区'], ['深圳市', '南山区'], ['深圳市', '福田区'], ['佛山市', '南海区'],
  ['东莞市', '莞城街道'], ['珠海市', '香洲区'], ['汕头市', '金平区'], ['湛江市', '赤坎区'], ['韶关市', '浈江区'], ['梅州市', '梅江区'],
];
export const CENTRES = ['gd-province', 'gz-city', 'gz-tianhe', 'gz-yuexiu', 'sz-city', 'sz-nanshan', 'fs-city', 'dg-city', 'zh-city', 'st-city', 'zj-city', 'sg-city', 'mz-city'];
export const COUNSELLORS = 60;

const sqlList = (xs: string[]) => `ARRAY[${xs.map((x) => `'${x}'`).join(',')}]`;

/** Fills calls, queue_events, cases, work_orders (+ events) and follow_ups; returns row counts. */
export async function generateHistory(db: pg.Pool, calls: number): Promise<Record<string, number>> {
  await db.query('SELECT setseed(0.12355)');
  // Calls: busier in the evening and in the exam season; 10 % on the exam line.
  await db.query(`
    INSERT INTO calls (call_id, line, dialled, started_at, answered_at, connected_at, ended_at, outcome, counsellor_id)
    SELECT 'b' || i, line, CASE line WHEN 'exam' THEN '123550' ELSE '12355' END, ts, ts, ts + interval '40 seconds',
           ts + interval '12 minutes', 'completed', 'c' || (i % ${COUNSELLORS})
    FROM (SELECT i, CASE WHEN random() < 0.1 THEN 'exam' ELSE 'main' END AS line,
                 timestamptz '${BENCH_FROM} 00:00+08' + floor(random() * 365) * interval '1 day'
                   + (8 + floor(random() * 15)) * interval '1 hour' + floor(random() * 3600) * interval '1 second' AS ts
          FROM generate_series(1, $1) AS i) s`, [calls]);
  // Queue: 90 % reach it; of those 85 % answered (wait 0–120 s), 10 % abandon, 5 % ask for a callback.
  await db.query(`
    CREATE TEMP TABLE fate AS
    SELECT call_id, started_at, counsellor_id, random() AS q, random() AS r, floor(random() * 120000)::int AS wait FROM calls`);
  await db.query(`
    INSERT INTO queue_events (at, type, call_id, data)
    SELECT started_at + interval '30 seconds', 'enter', call_id, '{}'::jsonb FROM fate WHERE q < 0.9
    UNION ALL
    SELECT started_at + interval '30 seconds' + wait * interval '1 millisecond', 'connect', call_id, jsonb_build_object('waitMs', wait) FROM fate WHERE q < 0.9 AND r < 0.85
    UNION ALL
    SELECT started_at + interval '30 seconds' + wait * interval '1 millisecond', 'abandon', call_id, jsonb_build_object('waitMs', wait) FROM fate WHERE q < 0.9 AND r >= 0.85 AND r < 0.95
    UNION ALL
    SELECT started_at + interval '150 seconds', 'callback-requested', call_id, '{}'::jsonb FROM fate WHERE q < 0.9 AND r >= 0.95`);
  // Cases: one per queued call; 1–2 categories, grades mostly 三级/四级, an area for 80 %.
  await db.query(`
    INSERT INTO cases (id, call_id, idempotency_key, kind, status, counsellor_id, categories, grade, city, county, consent,
                       created_at, updated_at, saved_at)
    SELECT 'case-' || f.call_id, f.call_id, 'k-' || f.call_id, CASE WHEN f.r < 0.85 THEN 'counselled' ELSE 'unanswered' END, 'saved',
           CASE WHEN f.r < 0.85 THEN f.counsellor_id END,
           CASE WHEN f.r < 0.85 THEN
             CASE WHEN random() < 0.3 THEN ARRAY[l.leaves[1 + floor(random() * 14)::int], l.leaves[1 + floor(random() * 14)::int]]
                  ELSE ARRAY[l.leaves[1 + floor(random() * 14)::int]] END
           ELSE '{}' END,
           CASE WHEN f.r < 0.85 THEN (ARRAY[1, 2, 2, 3, 3, 3, 3, 4, 4, 4])[1 + floor(random() * 10)::int] END,
           a.city, a.county, '{"followUp": true, "centreContact": true}'::jsonb,
           f.started_at + interval '15 minutes', f.started_at + interval '15 minutes', f.started_at + interval '15 minutes'
    FROM fate f
    CROSS JOIN (SELECT ${sqlList(LEAVES)} AS leaves, ${sqlList(AREAS.map((x) => x[0]))} AS cities, ${sqlList(AREAS.map((x) => x[1]))} AS counties) l
    CROSS JOIN LATERAL (SELECT floor(random() * ${AREAS.length + 3})::int + 1 + (f.q * 0)::int AS ai) pick
    CROSS JOIN LATERAL (SELECT l.cities[pick.ai] AS city, l.counties[pick.ai] AS county) a
    WHERE f.q < 0.9`);
  // Work orders: grades 一级/二级 and a quarter of 三级; accepted, replied and closed in turn, some late.
  await db.query(`
    CREATE TEMP TABLE bench_orders AS
    SELECT 'o-' || k.id AS id, k.id AS case_id, k.grade, k.created_at,
           (${sqlList(CENTRES)})[1 + floor(random() * ${CENTRES.length})::int] AS centre_id,
           random() AS s, random() < 0.12 AS late_accept, random() < 0.15 AS late_reply
    FROM cases k WHERE k.grade IN (1, 2) OR (k.grade = 3 AND random() < 0.25)`);
  await db.query(`
    INSERT INTO work_orders (id, case_id, status, grade, centre_id, state, version, created_at, updated_at)
    SELECT id, case_id, st.status, grade, centre_id,
           jsonb_build_object('status', st.status, 'grade', grade, 'centreId', centre_id, 'overdue',
             jsonb_build_object('accept', CASE WHEN late_accept THEN 1 ELSE 0 END, 'reply', CASE WHEN late_reply AND s < 0.8 THEN 1 ELSE 0 END)),
           5, created_at, created_at + interval '3 days'
    FROM bench_orders CROSS JOIN LATERAL (SELECT CASE WHEN s < 0.05 THEN 'dispatched' WHEN s < 0.2 THEN 'accepted' WHEN s < 0.3 THEN 'replied'
      WHEN s < 0.4 THEN 'awaiting-follow-up' ELSE 'closed' END AS status) st`);
  await db.query(`
    INSERT INTO work_order_events (order_id, seq, type, actor_id, actor_role, at, from_status, to_status, data)
    SELECT id, 1, 'create', 'system', 'system', created_at, NULL, 'draft', '{}'::jsonb FROM bench_orders
    UNION ALL SELECT id, 2, 'dispatch', 'sup', 'supervisor', created_at + interval '5 minutes', 'draft', 'dispatched', jsonb_build_object('centreId', centre_id) FROM bench_orders
    UNION ALL SELECT id, 3, 'accept', 'staff', 'centre', created_at + interval '1 hour', 'dispatched', 'accepted', '{}'::jsonb FROM bench_orders WHERE s >= 0.05
    UNION ALL SELECT id, 4, 'reply', 'staff', 'centre', created_at + interval '1 day', 'accepted', 'replied', '{}'::jsonb FROM bench_orders WHERE s >= 0.2
    UNION ALL SELECT id, 5, 'record-follow-up', 'sup', 'supervisor', created_at + interval '3 days', 'awaiting-follow-up', 'closed',
                     jsonb_build_object('outcome', CASE WHEN s < 0.9 THEN 'resolved' ELSE 'not-resolved' END) FROM bench_orders WHERE s >= 0.4`);
  // Follow-up calls: a fifth of the cases with a grade, one to three attempts.
  await db.query(`
    INSERT INTO follow_ups (id, case_id, order_id, attempt, due_at, started_at, ended_at, outcome, satisfied, created_at)
    SELECT 'f-' || k.id || '-' || a, k.id, NULL, a, k.created_at + a * interval '1 day', k.created_at + a * interval '1 day',
           k.created_at + a * interval '1 day' + interval '5 minutes',
           CASE WHEN a < n THEN 'not-reached' ELSE (ARRAY['reached-safe', 'reached-safe', 'reached-safe', 'needs-help', 'declined', 'wrong-number'])[1 + floor(random() * 6)::int] END,
           NULL, k.created_at
    FROM (SELECT id, created_at, 1 + floor(random() * 3)::int AS n FROM cases WHERE grade IS NOT NULL AND random() < 0.2) k
    CROSS JOIN LATERAL generate_series(1, k.n) AS a`);
  await db.query('DROP TABLE fate, bench_orders');
  await db.query('ANALYZE');
  return countRows(db);
}

export async function countRows(db: pg.Pool): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of ['calls', 'queue_events', 'cases', 'work_orders', 'work_order_events', 'follow_ups']) {
    counts[t] = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${t}`)).rows[0]?.n ?? 0);
  }
  return counts;
}
