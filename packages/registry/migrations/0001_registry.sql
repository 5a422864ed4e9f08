-- The registry's catalog: one row per component name, one per immutable version, one per
-- submission that passed acceptance (refused submissions store nothing), and usage counters
-- per version (totals) and per version and day (the last 30 days).
CREATE TABLE components (
  name TEXT PRIMARY KEY,
  author TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE versions (
  name TEXT NOT NULL REFERENCES components(name),
  version TEXT NOT NULL,
  author TEXT NOT NULL,
  visibility TEXT NOT NULL CHECK (visibility IN ('author_only', 'public', 'withdrawn')),
  description TEXT NOT NULL,
  category TEXT,
  sha256 TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  submission_id TEXT NOT NULL,
  published_at TEXT NOT NULL,
  PRIMARY KEY (name, version)
);

CREATE TABLE submissions (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  author TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('accepted', 'approved', 'rejected')),
  sha256 TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  report TEXT NOT NULL,
  reason TEXT,
  submitted_at TEXT NOT NULL,
  decided_at TEXT
);

CREATE TABLE version_stats (
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  runs INTEGER NOT NULL DEFAULT 0,
  successes INTEGER NOT NULL DEFAULT 0,
  duration_ms_total REAL NOT NULL DEFAULT 0,
  PRIMARY KEY (name, version)
);

CREATE TABLE daily_stats (
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  day TEXT NOT NULL,
  runs INTEGER NOT NULL DEFAULT 0,
  successes INTEGER NOT NULL DEFAULT 0,
  duration_ms_total REAL NOT NULL DEFAULT 0,
  PRIMARY KEY (name, version, day)
);

CREATE INDEX daily_stats_day ON daily_stats(day);
