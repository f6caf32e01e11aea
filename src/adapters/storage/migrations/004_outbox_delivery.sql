-- Delivery of the work-order outbox (notifications to centres, timers, supervision alerts).
-- Several service instances deliver at once: a row is leased (lease_owner, lease_until) under
-- FOR UPDATE SKIP LOCKED, retried with backoff (attempts, next_attempt_at) and set aside after
-- too many failures (dead_at, last_error).
ALTER TABLE work_order_outbox
  ADD COLUMN IF NOT EXISTS attempts        integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS next_attempt_at timestamptz,
  ADD COLUMN IF NOT EXISTS lease_owner     text,
  ADD COLUMN IF NOT EXISTS lease_until     timestamptz,
  ADD COLUMN IF NOT EXISTS last_error      text,
  ADD COLUMN IF NOT EXISTS dead_at         timestamptz;
CREATE INDEX IF NOT EXISTS work_order_outbox_undelivered ON work_order_outbox (order_id, id) WHERE delivered_at IS NULL AND dead_at IS NULL;

-- Each channel of a message (webhook, e-mail, alert, timers) marked on its own: `sending` just
-- before the send, `sent` once it went out. A channel that is `sent` is never sent again; one
-- left `sending` by a crash is sent again under the same event id (receivers de-duplicate).
-- No foreign key to the outbox: a TRUNCATE of the outbox alone (tests, a reset) stays possible,
-- and a mark whose row is gone is harmless.
CREATE TABLE IF NOT EXISTS work_order_deliveries (
  outbox_id   bigint NOT NULL,
  channel     text NOT NULL,
  status      text NOT NULL CHECK (status IN ('sending', 'sent')),
  sends       integer NOT NULL DEFAULT 0,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (outbox_id, channel)
);
