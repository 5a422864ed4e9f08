/**
 * The list of stored workflows that have cron triggers, with those triggers, kept under one
 * key (`cron:index` in KV `WEBHOOKS`) and updated on push and delete: a scheduled tick reads one
 * key and compiles only the workflows due in that minute. When the key is missing (a database
 * from before it existed) the tick rebuilds it from every stored workflow once.
 * Two pushes racing may each write their own view; the next push or delete of either repairs it,
 * and `rebuildCronIndex` recomputes it from scratch.
 */
import { isCronTrigger, type CompiledWorkflow, type CronTrigger, type KeyValueStore, type SchedulableWorkflow } from "@arcrun/core";
import type { Services } from "../env";
import { compileStored } from "./compiled";

export const CRON_INDEX_KEY = "cron:index";

/**
 * One entry: the workflow's triggers by position, non-cron ones as null (positions are the
 * dedupe key's), and its own `retention_days` (services/retention.ts). Workflows with neither
 * are not listed.
 */
export interface CronIndexEntry extends SchedulableWorkflow {
  name: string;
  triggers: (CronTrigger | null)[];
  retention_days?: number;
}

export function cronEntry(workflow: Pick<CompiledWorkflow, "name" | "triggers" | "retention_days">): CronIndexEntry | undefined {
  const triggers = workflow.triggers.map((t) => (isCronTrigger(t) ? t : null));
  if (!triggers.some((t) => t !== null) && workflow.retention_days === undefined) return undefined;
  return { name: workflow.name, triggers, ...(workflow.retention_days !== undefined ? { retention_days: workflow.retention_days } : {}) };
}

export async function readCronIndex(store: KeyValueStore): Promise<CronIndexEntry[] | undefined> {
  const text = await store.get(CRON_INDEX_KEY);
  return text === null ? undefined : (JSON.parse(text) as CronIndexEntry[]);
}

/** After a push (`workflow` given) or a delete (`name` only): the index holds the workflow's cron triggers, or not it. */
export async function updateCronIndex(services: Pick<Services, "schedule" | "workflows" | "resolver">, name: string, workflow?: CompiledWorkflow): Promise<void> {
  const current = (await readCronIndex(services.schedule)) ?? (await rebuildCronIndex(services));
  const entry = workflow ? cronEntry(workflow) : undefined;
  const next = current.filter((e) => e.name !== name);
  if (entry) next.push(entry);
  next.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (JSON.stringify(next) !== JSON.stringify(current)) await services.schedule.put(CRON_INDEX_KEY, JSON.stringify(next));
}

/** Recomputes the index from every stored workflow (a workflow that no longer compiles is left out). */
export async function rebuildCronIndex(services: Pick<Services, "schedule" | "workflows" | "resolver">): Promise<CronIndexEntry[]> {
  const entries: CronIndexEntry[] = [];
  for (const stored of await services.workflows.list()) {
    if (!stored.yaml.includes("cron") && !stored.yaml.includes("retention_days")) continue; // cheap pre-filter
    try {
      const entry = cronEntry(await compileStored(stored, services.resolver));
      if (entry) entries.push(entry);
    } catch {
      // invalid now (a component went away): not scheduled until pushed again
    }
  }
  await services.schedule.put(CRON_INDEX_KEY, JSON.stringify(entries));
  return entries;
}
