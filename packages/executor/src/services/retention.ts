/**
 * Bounded history (issue 13 item 8): runs (and their node traces) older than the retention
 * period are deleted by the scheduled handler, oldest first, at most PURGE_BATCH runs per pass
 * per tick — a backlog drains over the following minutes instead of one long tick. The period
 * is the workflow's `retention_days`, else ARCRUN_RETENTION_DAYS, else 30 days. Node outputs
 * stored in R2 (big-outputs.ts) go by the same periods, in batches of the same size.
 */
import type { Services } from "../env";
import type { CronIndexEntry } from "./cron-index";
import { purgeOutputs } from "./big-outputs";

export const DEFAULT_RETENTION_DAYS = 30;
export const PURGE_BATCH = 500;
const DAY_MS = 24 * 60 * 60 * 1000;
/** D1 binds at most 100 parameters; the global pass names the workflows it must leave to their own pass */
const MAX_EXCEPT = 90;

export interface RetentionResult {
  deleted: number;
  /** R2 objects of big node outputs */
  outputs_deleted: number;
}

export async function applyRetention(services: Services, index: CronIndexEntry[], now: number, batch = PURGE_BATCH): Promise<RetentionResult> {
  const globalDays = services.retentionDays ?? DEFAULT_RETENTION_DAYS;
  const cutoff = (days: number) => new Date(now - days * DAY_MS).toISOString();
  const own = index.filter((e) => e.retention_days !== undefined);
  let deleted = 0;
  // workflows with their own period: that period
  for (const entry of own) deleted += await services.runs.purge({ before: cutoff(entry.retention_days!), workflow: entry.name, limit: batch });
  // everyone else: the global period; a workflow keeping runs longer is left out of this pass
  const longer = own.filter((e) => e.retention_days! > globalDays).map((e) => e.name).slice(0, MAX_EXCEPT);
  deleted += await services.runs.purge({ before: cutoff(globalDays), except: longer, limit: batch });
  const days = new Map(own.map((e) => [e.name, e.retention_days!]));
  const outputs_deleted = services.outputs ? await purgeOutputs(services.outputs, (workflow) => cutoff(days.get(workflow) ?? globalDays), batch) : 0;
  return { deleted, outputs_deleted };
}
