-- Cases (个案) and work orders (工单) that carry them to local centres.

-- One case per call: the counsellor's wrap-up form (a draft until saved), or a call nobody answered.
-- summary, caller_number, caller_key and county are personal data, erased after the retention
-- period (erased_at); categories, grade and city stay for statistics.
CREATE TABLE IF NOT EXISTS cases (
  id                text PRIMARY KEY,
  call_id           text NOT NULL UNIQUE,
  idempotency_key   text UNIQUE,
  kind              text NOT NULL CHECK (kind IN ('counselled', 'unanswered')),
  status            text NOT NULL CHECK (status IN ('draft', 'saved')),
  counsellor_id     text,
  unanswered_reason text,
  categories        text[] NOT NULL DEFAULT '{}',
  grade             smallint CHECK (grade BETWEEN 1 AND 4),
  summary           text,
  city              text,
  county            text,
  consent           jsonb,
  order_requested   boolean NOT NULL DEFAULT false,
  escalated         boolean NOT NULL DEFAULT false,
  emergency_key     boolean NOT NULL DEFAULT false,
  caller_key        text,
  caller_number     text,
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL,
  saved_at          timestamptz,
  erased_at         timestamptz,
  CHECK (status = 'draft' OR idempotency_key IS NOT NULL)
);
CREATE INDEX IF NOT EXISTS cases_caller ON cases (caller_key, created_at DESC) WHERE caller_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS cases_saved_at ON cases (saved_at);
CREATE INDEX IF NOT EXISTS cases_to_erase ON cases (created_at) WHERE erased_at IS NULL;

-- The order's machine state (jsonb) plus the columns lists and sweeps query on.
CREATE TABLE IF NOT EXISTS work_orders (
  id          text PRIMARY KEY,
  case_id     text NOT NULL REFERENCES cases (id),
  status      text NOT NULL,
  grade       smallint NOT NULL CHECK (grade BETWEEN 1 AND 4),
  centre_id   text,
  due_at      timestamptz,
  state       jsonb NOT NULL,
  version     integer NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS work_orders_case ON work_orders (case_id);
CREATE INDEX IF NOT EXISTS work_orders_centre ON work_orders (centre_id, status);
CREATE INDEX IF NOT EXISTS work_orders_due ON work_orders (due_at) WHERE due_at IS NOT NULL;

-- Who did what to an order, when and why. Append-only: the only change allowed is erasing the
-- free text when the case's retention period ends.
CREATE TABLE IF NOT EXISTS work_order_events (
  order_id     text NOT NULL REFERENCES work_orders (id),
  seq          integer NOT NULL,
  type         text NOT NULL,
  actor_id     text NOT NULL,
  actor_role   text NOT NULL,
  at           timestamptz NOT NULL,
  from_status  text,
  to_status    text NOT NULL,
  text         text,
  data         jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (order_id, seq)
);
CREATE OR REPLACE FUNCTION work_order_events_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'work_order_events is append-only';
  END IF;
  IF NEW.text IS NOT NULL
     OR (NEW.order_id, NEW.seq, NEW.type, NEW.actor_id, NEW.actor_role, NEW.at, NEW.to_status, NEW.data)
        IS DISTINCT FROM (OLD.order_id, OLD.seq, OLD.type, OLD.actor_id, OLD.actor_role, OLD.at, OLD.to_status, OLD.data)
     OR NEW.from_status IS DISTINCT FROM OLD.from_status THEN
    RAISE EXCEPTION 'work_order_events is append-only (only erasing its text is allowed)';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS work_order_events_no_change ON work_order_events;
CREATE TRIGGER work_order_events_no_change BEFORE UPDATE OR DELETE ON work_order_events
  FOR EACH ROW EXECUTE FUNCTION work_order_events_guard();

-- Commands of the order machine (notify a centre, set a timer, raise an alert), written in the
-- same transaction as the change that caused them; a worker delivers them and marks them.
CREATE TABLE IF NOT EXISTS work_order_outbox (
  id            bigserial PRIMARY KEY,
  order_id      text NOT NULL REFERENCES work_orders (id),
  command       jsonb NOT NULL,
  created_at    timestamptz NOT NULL,
  delivered_at  timestamptz
);
CREATE INDEX IF NOT EXISTS work_order_outbox_pending ON work_order_outbox (id) WHERE delivered_at IS NULL;
