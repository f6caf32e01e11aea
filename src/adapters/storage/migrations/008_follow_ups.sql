-- Follow-up calls (回访) made by the service (issue #13): the columns the scheduler and the
-- dialler need on follow_ups (one row per attempt, created when it is scheduled).

-- The grade and the attempts the series may have, fixed when the attempt was scheduled.
ALTER TABLE follow_ups ADD COLUMN IF NOT EXISTS grade smallint CHECK (grade BETWEEN 1 AND 4);
ALTER TABLE follow_ups ADD COLUMN IF NOT EXISTS max_attempts smallint;
-- While dialled: held until this time (a service that died mid-dial lets go by itself).
ALTER TABLE follow_ups ADD COLUMN IF NOT EXISTS lease_until timestamptz;
-- How the dialling ended: connected (the counsellor talks to the person; the outcome comes from
-- them), caller-no-answer, counsellor-no-answer (given back, another counsellor is tried).
ALTER TABLE follow_ups ADD COLUMN IF NOT EXISTS dial_result text;
-- Who recorded the outcome, and when a supervisor alert was raised for it.
ALTER TABLE follow_ups ADD COLUMN IF NOT EXISTS recorded_by text;
ALTER TABLE follow_ups ADD COLUMN IF NOT EXISTS alerted_at timestamptz;

-- Never two open attempts of one case: a follow-up is never made twice at once.
CREATE UNIQUE INDEX IF NOT EXISTS follow_ups_one_open ON follow_ups (case_id) WHERE outcome IS NULL;
