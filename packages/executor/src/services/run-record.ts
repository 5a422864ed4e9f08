/**
 * Recording a run in the RunStore, as a run-finished hook: the finished record passes the
 * run's redactor (every credential value decrypted in the run) and is saved — awaited, or,
 * with `background` (the route's `waitUntil`), queued in the isolate's recording queue
 * (record-queue.ts), which saves many runs in one D1 batch after the responses: the request
 * pays no D1 round trip. Registry statistics and traces hang off the same hooks (Services.hooks).
 * The workflow's `record:` decides which finished runs are saved: `all` (default), `failures`
 * (failed runs only — n8n's "save successful executions: off") or `none`.
 *
 * With `progress` (background runs: webhook), each finished node is also written as it
 * finishes (one small D1 write per node, queued in order and never blocking the next node),
 * so a run cut off by a crash keeps its traces and its duration up to the last node
 * (packages/local/src/host/interrupted-runs.ts). Sync runs keep one write per run.
 */
import type { Clock, RecordMode, Redactor, RunHooks, RunRecord, RunStore } from "@arcrun/core";
import { recordQueueFor } from "./record-queue";

export interface RecordOptions {
  runs: RunStore;
  redactor: Redactor;
  /** when given, the save is queued and runs in the background (record-queue.ts); a failure is logged, never thrown */
  background?: (work: Promise<unknown>) => void;
  /** the workflow's `record:` (default all) */
  mode?: RecordMode;
  /** fields the trigger adds to the record (a cron run's scheduled_time) */
  annotate?: Partial<Pick<RunRecord, "scheduled_time">>;
  /** record each finished node as it finishes (needs the clock for the duration so far) */
  progress?: { clock: Clock };
}

export interface RunRecorder extends RunHooks {
  /** the redacted record saved by runFinished (what the route returns) */
  readonly recorded?: RunRecord;
}

/** Whether a finished run is saved under the workflow's `record:` mode. */
export function shouldRecord(mode: RecordMode | undefined, run: Pick<RunRecord, "status">): boolean {
  return mode === "none" ? false : mode === "failures" ? run.status === "failed" : true;
}

export function runRecorder({ runs, redactor, background, mode, annotate, progress }: RecordOptions): RunRecorder {
  let startedMs = 0;
  let seq = 0;
  let written: Promise<void> = Promise.resolve();
  const recorder: { recorded?: RunRecord } & RunHooks = {
    runStarted(run) {
      startedMs = Date.parse(run.started_at);
    },
    nodeFinished(runId, trace) {
      if (!progress) return;
      const at = seq++;
      const clean = redactor.value(trace);
      const elapsed = Math.max(0, progress.clock.now() - startedMs);
      written = written.then(() =>
        runs.saveNode(runId, at, clean, elapsed).catch((err) => console.error(`run ${runId}: node ${trace.node} could not be recorded:`, err)),
      );
    },
    async runFinished(run) {
      await written;
      const clean = redactor.value(annotate ? { ...run, ...annotate } : run);
      recorder.recorded = clean;
      if (!shouldRecord(mode, clean)) return;
      if (!background) return void (await runs.save(clean));
      const flush = recordQueueFor(runs).add(clean);
      if (flush) background(flush);
    },
  };
  return recorder;
}
