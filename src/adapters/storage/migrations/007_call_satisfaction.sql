-- The caller's answer to the satisfaction survey (满意度) after the counsellor ended the call:
-- 1 满意, 2 基本满意, 3 不满意; null when no survey was heard or nothing was pressed.
-- IF NOT EXISTS: the analytics migration (005) may add the same column; both can be applied.
ALTER TABLE calls ADD COLUMN IF NOT EXISTS satisfaction smallint CHECK (satisfaction BETWEEN 1 AND 3);
ALTER TABLE calls ADD COLUMN IF NOT EXISTS satisfaction_at timestamptz;
-- Supervisors count answers per counsellor over a period.
CREATE INDEX IF NOT EXISTS calls_satisfaction ON calls (satisfaction_at, counsellor_id) WHERE satisfaction IS NOT NULL;
