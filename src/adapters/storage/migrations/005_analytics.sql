-- Analytics (统计分析): columns the satisfaction survey and follow-up calls will fill, and narrow
-- fact tables the aggregations read instead of joining calls, queue events, cases and orders.

-- The caller's answer to the post-call survey: 1 满意, 2 基本满意, 3 不满意; null when not asked
-- or not answered. Filled by the survey work of issue #13.
ALTER TABLE calls ADD COLUMN IF NOT EXISTS satisfaction smallint CHECK (satisfaction BETWEEN 1 AND 3);

-- Follow-up calls (回访), one row per attempt. Filled by the follow-up work of issue #13.
-- case_id and order_id name a case and an order; no foreign keys yet, so that tests and tools
-- that empty the case tables (TRUNCATE cases) keep working until the follow-up work owns this table.
CREATE TABLE IF NOT EXISTS follow_ups (
  id            text PRIMARY KEY,
  case_id       text NOT NULL,
  order_id      text,
  attempt       smallint NOT NULL CHECK (attempt >= 1),
  due_at        timestamptz NOT NULL,
  started_at    timestamptz,
  ended_at      timestamptz,
  counsellor_id text,
  call_id       text,
  -- reached-safe | needs-help | not-reached | declined | wrong-number; null while pending
  outcome       text CHECK (outcome IN ('reached-safe', 'needs-help', 'not-reached', 'declined', 'wrong-number')),
  -- For an order waiting for its follow-up: was the young person satisfied (closes) or not (reopens).
  satisfied     boolean,
  created_at    timestamptz NOT NULL,
  UNIQUE (case_id, attempt)
);
CREATE INDEX IF NOT EXISTS follow_ups_due ON follow_ups (due_at) WHERE outcome IS NULL;
CREATE INDEX IF NOT EXISTS follow_ups_ended ON follow_ups (ended_at);
CREATE INDEX IF NOT EXISTS follow_ups_order ON follow_ups (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS follow_ups_case ON follow_ups (case_id);
CREATE INDEX IF NOT EXISTS follow_ups_created ON follow_ups (created_at);

-- One row per call, no personal data: calendar fields in the hotline's time zone, the queue's
-- figures counted once per call (a caller re-queued after an escalation is one offer), the case's
-- grade, categories (both levels) and area. Refreshed incrementally by the analytics adapter.
CREATE TABLE IF NOT EXISTS analytics_calls (
  call_id       text PRIMARY KEY,
  day           date NOT NULL,
  hour          smallint NOT NULL,
  line          text NOT NULL,
  season        text NOT NULL,
  team          text,
  offered       boolean NOT NULL,
  answered      boolean NOT NULL,
  abandoned     boolean NOT NULL,
  callback      boolean NOT NULL,
  wait_ms       integer,
  grade         smallint,
  categories    text[] NOT NULL DEFAULT '{}',
  city          text,
  county        text,
  satisfaction  smallint
);
CREATE INDEX IF NOT EXISTS analytics_calls_day ON analytics_calls (day);
CREATE INDEX IF NOT EXISTS analytics_calls_categories ON analytics_calls USING gin (categories);

-- One row per work order that reached a centre, with the figures of its life so far.
CREATE TABLE IF NOT EXISTS analytics_orders (
  order_id          text PRIMARY KEY,
  day               date NOT NULL,
  line              text,
  team              text,
  centre_id         text,
  grade             smallint NOT NULL,
  categories        text[] NOT NULL DEFAULT '{}',
  accepted          boolean NOT NULL,
  accept_due_passed boolean NOT NULL,
  accepted_on_time  boolean NOT NULL,
  replied           boolean NOT NULL,
  reply_due_passed  boolean NOT NULL,
  replied_on_time   boolean NOT NULL,
  closed            boolean NOT NULL,
  follow_up         text
);
CREATE INDEX IF NOT EXISTS analytics_orders_day ON analytics_orders (day);

-- One row per follow-up attempt that ended.
CREATE TABLE IF NOT EXISTS analytics_follow_ups (
  follow_up_id  text PRIMARY KEY,
  day           date NOT NULL,
  line          text,
  team          text,
  grade         smallint,
  categories    text[] NOT NULL DEFAULT '{}',
  outcome       text NOT NULL,
  satisfied     boolean
);
CREATE INDEX IF NOT EXISTS analytics_follow_ups_day ON analytics_follow_ups (day);

-- Where the incremental refresh got to.
CREATE TABLE IF NOT EXISTS analytics_refresh (
  id            smallint PRIMARY KEY CHECK (id = 1),
  refreshed_at  timestamptz NOT NULL
);

-- Incremental refresh looks for what changed since last time.
CREATE INDEX IF NOT EXISTS cases_updated_at ON cases (updated_at);
CREATE INDEX IF NOT EXISTS work_orders_updated_at ON work_orders (updated_at);

-- Rollups of the facts, so that a year is read in thousands of rows instead of 500,000.
-- `fcat` is the category filter the row answers: '' for all calls, else the calls having that
-- category (either level); each call is counted once under '' and once under each of its categories.

-- Per day: the figures the day, weekday, month, grade, line and answer tables need.
CREATE TABLE IF NOT EXISTS analytics_daily (
  day           date NOT NULL,
  fcat          text NOT NULL,
  line          text NOT NULL,
  season        text NOT NULL,
  team          text,
  grade         smallint,
  calls         integer NOT NULL,
  offered       integer NOT NULL,
  answered      integer NOT NULL,
  within_sl     integer NOT NULL,
  abandoned     integer NOT NULL,
  callbacks     integer NOT NULL,
  wait_sum_ms   bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS analytics_daily_key ON analytics_daily (fcat, day);

-- Per day, the categories of the calls having category `fcat`: the category table of the days the
-- monthly rollups do not hold (the current month, and the ends of a range that cut a month).
CREATE TABLE IF NOT EXISTS analytics_daily_categories (
  day date NOT NULL, fcat text NOT NULL, cat text NOT NULL, line text NOT NULL, team text, grade smallint, calls integer NOT NULL
);
CREATE INDEX IF NOT EXISTS analytics_daily_categories_key ON analytics_daily_categories (fcat, day);

-- Per month (months before the current one; the current month is read from the facts).
CREATE TABLE IF NOT EXISTS analytics_monthly_categories (
  month date NOT NULL, fcat text NOT NULL, cat text NOT NULL, line text NOT NULL, team text, grade smallint, calls integer NOT NULL
);
CREATE INDEX IF NOT EXISTS analytics_monthly_categories_key ON analytics_monthly_categories (fcat, month);
CREATE TABLE IF NOT EXISTS analytics_monthly_hours (
  month date NOT NULL, fcat text NOT NULL, line text NOT NULL, team text, grade smallint, hour smallint NOT NULL, calls integer NOT NULL
);
CREATE INDEX IF NOT EXISTS analytics_monthly_hours_key ON analytics_monthly_hours (fcat, month);
CREATE TABLE IF NOT EXISTS analytics_monthly_areas (
  month date NOT NULL, fcat text NOT NULL, line text NOT NULL, team text, grade smallint, city text, county text, calls integer NOT NULL
);
CREATE INDEX IF NOT EXISTS analytics_monthly_areas_key ON analytics_monthly_areas (fcat, month);
CREATE TABLE IF NOT EXISTS analytics_monthly_orders (
  month date NOT NULL, fcat text NOT NULL, line text, team text, grade smallint, centre_id text NOT NULL,
  orders integer NOT NULL, accept_due integer NOT NULL, accepted_on_time integer NOT NULL, reply_due integer NOT NULL,
  replied_on_time integer NOT NULL, closed integer NOT NULL, fu_answered integer NOT NULL, fu_satisfied integer NOT NULL
);
CREATE INDEX IF NOT EXISTS analytics_monthly_orders_key ON analytics_monthly_orders (fcat, month);
CREATE TABLE IF NOT EXISTS analytics_monthly_follow_ups (
  month date NOT NULL, fcat text NOT NULL, line text, team text, grade smallint, outcome text NOT NULL, attempts integer NOT NULL
);
CREATE INDEX IF NOT EXISTS analytics_monthly_follow_ups_key ON analytics_monthly_follow_ups (fcat, month);

-- The months the monthly rollups hold, and the service-level threshold analytics_daily was counted with.
CREATE TABLE IF NOT EXISTS analytics_rolled_months (month date PRIMARY KEY);
ALTER TABLE analytics_refresh ADD COLUMN IF NOT EXISTS service_level_seconds integer;
