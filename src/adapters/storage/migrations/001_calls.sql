CREATE TABLE IF NOT EXISTS calls (
  call_id       text PRIMARY KEY,
  line          text NOT NULL,
  dialled       text NOT NULL DEFAULT '',
  caller_number text NOT NULL DEFAULT '',
  started_at    timestamptz NOT NULL,
  answered_at   timestamptz,
  connected_at  timestamptz,
  ended_at      timestamptz,
  outcome       text,
  language      text,
  need          text,
  high_risk     boolean NOT NULL DEFAULT false,
  critical      boolean NOT NULL DEFAULT false,
  counsellor_id text,
  path          jsonb NOT NULL DEFAULT '[]'::jsonb
);
CREATE INDEX IF NOT EXISTS calls_started_at ON calls (started_at DESC);
CREATE INDEX IF NOT EXISTS calls_counsellor ON calls (counsellor_id, started_at DESC);

-- The queue's event log: enough to compute service level, speed of answer, abandonment, occupancy.
CREATE TABLE IF NOT EXISTS queue_events (
  id            bigserial PRIMARY KEY,
  at            timestamptz NOT NULL,
  type          text NOT NULL,
  call_id       text,
  counsellor_id text,
  data          jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX IF NOT EXISTS queue_events_at ON queue_events (at);
CREATE INDEX IF NOT EXISTS queue_events_call ON queue_events (call_id);

-- Append-only audit log of monitoring, escalations and other sensitive actions.
CREATE TABLE IF NOT EXISTS audit_log (
  id        bigserial PRIMARY KEY,
  at        timestamptz NOT NULL DEFAULT now(),
  actor     text NOT NULL,
  role      text NOT NULL,
  action    text NOT NULL,
  call_id   text,
  target    text,
  data      jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- Escalations to 110: who, when, how long until connected, outcome.
CREATE TABLE IF NOT EXISTS escalations (
  id             text PRIMARY KEY,
  call_id        text NOT NULL,
  counsellor_id  text NOT NULL,
  started_at     timestamptz NOT NULL,
  connected_at   timestamptz,
  ended_at       timestamptz,
  route          text,
  outcome        text,
  attempts       jsonb NOT NULL DEFAULT '[]'::jsonb
);
