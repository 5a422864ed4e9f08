-- A rerun links to the run it reruns (POST /runs/:id/rerun, issue 13 item 6).

ALTER TABLE runs ADD COLUMN rerun_of TEXT;

-- The trigger payload, so a rerun can start again from it (never listed by GET /runs).
ALTER TABLE runs ADD COLUMN input TEXT;
