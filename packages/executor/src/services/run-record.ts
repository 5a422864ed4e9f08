/**
 * Recording a run in the RunStore, as a run-finished hook: the finished record passes the
 * run's redactor (every credential value decrypted in the run) and is saved — awaited, or
 * handed to `background` (the route's `waitUntil`) so the response does not wait for the D1
 * write. Registry statistics and traces hang off the same hooks (Services.hooks).
 */
import type { Redactor, RunHooks, RunRecord, RunStore } from "@arcrun/core";

export interface RecordOptions {
  runs: RunStore;
  redactor: Redactor;
  /** when given, the save runs in the background; a failure is logged, never thrown */
  background?: (work: Promise<unknown>) => void;
  /** fields the trigger adds to the record (a cron run's scheduled_time) */
  annotate?: Partial<Pick<RunRecord, "scheduled_time">>;
}

export interface RunRecorder extends RunHooks {
  /** the redacted record saved by runFinished (what the route returns) */
  readonly recorded?: RunRecord;
}

export function runRecorder({ runs, redactor, background, annotate }: RecordOptions): RunRecorder {
  const recorder: { recorded?: RunRecord } & RunHooks = {
    async runFinished(run) {
      const clean = redactor.value(annotate ? { ...run, ...annotate } : run);
      recorder.recorded = clean;
      const saved = runs.save(clean);
      if (!background) await saved;
      else background(saved.catch((err) => console.error(`run ${run.run_id} (${run.workflow}) could not be saved:`, err)));
    },
  };
  return recorder;
}
