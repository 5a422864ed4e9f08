-- Durable runs (issue 13 items 5 and 9): what a waiting run waits for, and the run's W3C trace id.
-- A waiting run keeps status 'running' in the row (0001's CHECK allows no other value, and
-- SQLite cannot change a CHECK without rebuilding the table); `waiting` set means `waiting`
-- to every reader (D1RunStore maps it).

ALTER TABLE runs ADD COLUMN waiting TEXT;
ALTER TABLE runs ADD COLUMN trace_id TEXT;
