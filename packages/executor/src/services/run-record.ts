/**
 * Recording a run in the RunStore, as a run-finished hook: the finished record passes the
 * run's redactor (every credential value decrypted in the run) and is saved — awaited, or
 * handed to `background` (the route's `waitUntil`) so the response does not wait for the D1
 * write. Registry statistics and traces hang off the same hooks (Services.hooks).
 * The workflow's `record:` decides which finished runs are saved: `all` (default), `failures`
 * (failed runs only — n8n's "save successful executions: off") or `none`.
 */
import type { RecordMode, Redactor, RunHooks, RunRecord, RunStore } from "@arcrun/core";

export interface RecordOptions {
  runs: RunStore;
  redactor: Redactor;
  /** when given, the save runs in the background; a failure is logged, never thrown */
  background?: (work: Promise<unknown>) => void;
  /** the workflow's `record:` (default all) */
  mode?: RecordMode;
  /** fields the trigger adds to the record (a cron run's scheduled_time) */
  annotate?: Partial<Pick<RunRecord, "scheduled_time">>;
}

export interface RunRecorder extends RunHooks {
  /** the redacted record saved by runFinished (what the route returns) */
  readonly recorded?: RunRecord;
}

/** Whether a finished run is saved under the workflow's `record:` mode. */
export function shouldRecord(mode: RecordMode | undefined, run: Pick<RunRecord, "status">): boolean {
  return mode === "none" ? false : mode === "failures" ? run.status === "failed" : true;
}

export function runRecorder({ runs, redactor, background, mode, annotate }: RecordOptions): RunRecorder {
  const recorder: { recorded?: RunRecord } & RunHooks = {
    async runFinished(run) {
      const clean = redactor.value(annotate ? { ...run, ...annotate } : run);
      recorder.recorded = clean;
      if (!shouldRecord(mode, clean)) return;
      const saved = runs.save(clean);
      if (!background) await saved;
      else background(saved.catch((err) => console.error(`run ${run.run_id} (${run.workflow}) could not be saved:`, err)));
    },
  };
  return recorder;
}
