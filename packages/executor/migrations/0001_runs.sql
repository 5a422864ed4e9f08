-- Runs and their node traces (issue 2 § One run shape). JSON columns hold JSON text.
-- Applied by the Worker on first use (src/bindings/migrations.ts) or by
-- `wrangler d1 migrations apply ARCRUN_DB`; both record it in d1_migrations.

CREATE TABLE IF NOT EXISTS runs (
  run_id        TEXT PRIMARY KEY,
  workflow      TEXT NOT NULL,
  workflow_hash TEXT,
  status        TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  result        TEXT,
  error         TEXT,
  started_at    TEXT NOT NULL,
  duration_ms   REAL NOT NULL DEFAULT 0,
  trigger       TEXT
);

-- GET /runs lists newest first, optionally by workflow and/or status.
CREATE INDEX IF NOT EXISTS runs_by_started ON runs (started_at DESC, run_id);
CREATE INDEX IF NOT EXISTS runs_by_workflow ON runs (workflow, started_at DESC);
CREATE INDEX IF NOT EXISTS runs_by_status ON runs (status, started_at DESC);
CREATE INDEX IF NOT EXISTS runs_by_workflow_status ON runs (workflow, status, started_at DESC);

CREATE TABLE IF NOT EXISTS node_traces (
  run_id      TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  node        TEXT NOT NULL,
  component   TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('succeeded', 'failed', 'skipped')),
  input       TEXT,
  output      TEXT,
  error       TEXT,
  attempts    INTEGER NOT NULL DEFAULT 0,
  duration_ms REAL NOT NULL DEFAULT 0,
  branch      TEXT,
  logs        TEXT,
  PRIMARY KEY (run_id, seq)
);
