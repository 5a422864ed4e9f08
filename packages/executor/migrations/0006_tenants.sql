-- Shared deployment (issue 15): every run belongs to a tenant. Single-tenant executors write ''
-- (the default), so rows from before this migration stay theirs; with MULTI_TENANT=true every
-- query of D1RunStore carries `tenant_id = ?`. Claims (idempotency keys, cron dedupe, webhook
-- replay) are scoped by a `{tenant_id}:` key prefix instead (bindings/tenant-scope.ts).

ALTER TABLE runs ADD COLUMN tenant_id TEXT NOT NULL DEFAULT '';

CREATE INDEX IF NOT EXISTS runs_by_tenant_started ON runs (tenant_id, started_at DESC, run_id);
CREATE INDEX IF NOT EXISTS runs_by_tenant_workflow ON runs (tenant_id, workflow, started_at DESC);
