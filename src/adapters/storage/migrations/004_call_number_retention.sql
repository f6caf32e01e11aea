-- calls.caller_number comes under the retention rule of cases (retention.personalDataDays):
-- the retention job blanks it (PersonalDataEraser.eraseCallNumbers) and stamps when.
ALTER TABLE calls ADD COLUMN IF NOT EXISTS caller_number_erased_at timestamptz;
CREATE INDEX IF NOT EXISTS calls_number_to_erase ON calls (started_at) WHERE caller_number <> '';
