-- Fewer indexes on runs (issue 12 § 3: every index is written on every recorded run). Since
-- 0006 every query of D1RunStore carries `tenant_id = ?`, so the tenant-less indexes of 0001 and
-- 0003 are never chosen for them (SQLite picks runs_by_tenant_started / runs_by_tenant_workflow);
-- they only cost a write per run. The two kinds of run one looks for among many — running
-- (and waiting) runs, failed runs — get partial indexes instead, written only for those rows:
-- a succeeded run, the usual one, is written to the table, its primary key and the two tenant
-- indexes, not eight b-trees.

DROP INDEX IF EXISTS runs_by_started;
DROP INDEX IF EXISTS runs_by_workflow;
DROP INDEX IF EXISTS runs_by_status;
DROP INDEX IF EXISTS runs_by_workflow_status;
DROP INDEX IF EXISTS runs_by_trigger;

-- `status = 'running'` (and 'failed') literally in the query lets SQLite use these
-- (D1RunStore's filters; the local host's scan for runs cut off by a crash).
CREATE INDEX IF NOT EXISTS runs_running ON runs (tenant_id, started_at DESC, run_id) WHERE status = 'running';
CREATE INDEX IF NOT EXISTS runs_failed ON runs (tenant_id, started_at DESC, run_id) WHERE status = 'failed';
