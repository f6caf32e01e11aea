-- Writes deferred while the database was away are replayed by id: a replay of a write that had
-- in fact landed changes nothing (calls and escalations are keyed already; appends get an id).
ALTER TABLE queue_events ADD COLUMN IF NOT EXISTS op_id text;
CREATE UNIQUE INDEX IF NOT EXISTS queue_events_op_id ON queue_events (op_id);
ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS op_id text;
CREATE UNIQUE INDEX IF NOT EXISTS audit_log_op_id ON audit_log (op_id);
