-- Triggers (issue 13): claims (idempotency keys, cron dedupe, webhook replay guard) and the
-- scheduled time of a cron run. Applied like 0001 (src/bindings/migrations.ts).

-- First one wins: INSERT ... ON CONFLICT DO NOTHING, then the winning row is read back.
-- expires_at is milliseconds since the epoch; an expired row counts as absent.
CREATE TABLE IF NOT EXISTS claims (
  key        TEXT PRIMARY KEY,
  run_id     TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS claims_by_expiry ON claims (expires_at);

-- The minute a cron run fired for (ISO), NULL for other triggers.
ALTER TABLE runs ADD COLUMN scheduled_time TEXT;

-- GET /runs filters by trigger; retention deletes by started_at.
CREATE INDEX IF NOT EXISTS runs_by_trigger ON runs (trigger, started_at DESC);
