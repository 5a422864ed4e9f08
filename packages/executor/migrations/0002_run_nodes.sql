-- One write per run (issue 12 § 3): a run's node traces as one JSON array in runs.nodes.
-- Rows saved before this migration keep their traces in node_traces; D1RunStore reads those
-- when runs.nodes is NULL.

ALTER TABLE runs ADD COLUMN nodes TEXT;
