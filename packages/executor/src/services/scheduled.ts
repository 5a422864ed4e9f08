/**
 * The Worker's `scheduled` handler, woken once a minute by the `* * * * *` cron trigger (and
 * locally by the dev server): starts every cron trigger due in that minute as a background run
 * with trigger `cron` and its `scheduled_time`, each claimed first on its (workflow, trigger,
 * minute) key in the ClaimStore, so a second wake-up for the same minute starts nothing.
 * Then housekeeping: retention (services/retention.ts) and expired claims.
 * Minutes the handler was not woken for (a stopped dev server) are not replayed.
 */
import { CRON_DEDUPE_TTL_SECONDS, dueTriggers } from "@arcrun/core";
import type { Services } from "../env";
import { compileStored } from "./compiled";
import { readCronIndex, rebuildCronIndex, type CronIndexEntry } from "./cron-index";
import { applyRetention } from "./retention";
import { newRunId, startInBackground } from "./runner";
import { logPrefix } from "./run-log";

export interface TickOptions {
  /** the minute woken for (the event's scheduledTime), milliseconds */
  scheduledTime: number;
  /** where run work goes (the event's waitUntil) */
  background: (work: Promise<unknown>) => void;
}

export interface TickResult {
  started: { workflow: string; trigger_index: number; run_id: string; scheduled_time: string }[];
  /** already started by an earlier wake-up for this minute */
  duplicates: { workflow: string; trigger_index: number; run_id: string }[];
  /** triggers or workflows that could not be started, with why */
  skipped: { workflow: string; trigger_index: number; reason: string }[];
}

export async function runDueCronTriggers(services: Services, options: TickOptions, index?: CronIndexEntry[]): Promise<TickResult> {
  index ??= (await readCronIndex(services.schedule)) ?? (await rebuildCronIndex(services));
  const { due, invalid } = dueTriggers(index, options.scheduledTime);
  const result: TickResult = { started: [], duplicates: [], skipped: invalid.map((i) => ({ workflow: i.workflow, trigger_index: i.trigger_index, reason: i.message })) };
  for (const d of due) {
    const runId = newRunId();
    const claim = await services.claims.claim(d.dedupe_key, runId, CRON_DEDUPE_TTL_SECONDS);
    if (!claim.claimed) {
      result.duplicates.push({ workflow: d.workflow, trigger_index: d.trigger_index, run_id: claim.runId });
      continue;
    }
    try {
      const stored = await services.workflows.get(d.workflow);
      if (!stored) throw new Error("the workflow was deleted");
      const workflow = await compileStored(stored, services.resolver);
      const { done } = await startInBackground({ workflow, input: d.input, trigger: "cron", scheduled_time: d.scheduled_time, runId, services });
      options.background(done);
      result.started.push({ workflow: d.workflow, trigger_index: d.trigger_index, run_id: runId, scheduled_time: d.scheduled_time });
    } catch (error) {
      await services.claims.release(d.dedupe_key, runId);
      const reason = error instanceof Error ? error.message : String(error);
      console.error(`${logPrefix(runId)} cron ${d.workflow}[${d.trigger_index}] at ${d.scheduled_time} not started: ${reason}`);
      result.skipped.push({ workflow: d.workflow, trigger_index: d.trigger_index, reason });
    }
  }
  for (const i of invalid) console.error(`cron ${i.workflow}[${i.trigger_index}] cannot be scheduled: ${i.message}`);
  return result;
}

/** The whole tick: cron runs first, then housekeeping (which never stops the runs). */
export async function onScheduled(services: Services, options: TickOptions): Promise<TickResult & { retention_deleted: number }> {
  const index = (await readCronIndex(services.schedule)) ?? (await rebuildCronIndex(services));
  const result = await runDueCronTriggers(services, options, index);
  let retention_deleted = 0;
  try {
    retention_deleted = (await applyRetention(services, index, services.clock.now())).deleted;
    await (services.claims as { sweep?: () => Promise<number> }).sweep?.();
  } catch (error) {
    console.error("scheduled housekeeping failed (retried next minute):", error);
  }
  if (result.started.length || result.duplicates.length || retention_deleted) {
    console.log(`scheduled ${new Date(options.scheduledTime).toISOString()}: started ${result.started.length}, duplicates ${result.duplicates.length}, old runs deleted ${retention_deleted}`);
  }
  return { ...result, retention_deleted };
}
