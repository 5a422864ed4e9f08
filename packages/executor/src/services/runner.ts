/**
 * Running a compiled workflow on behalf of a route. The run's hooks do the side effects: the
 * run log (run-log.ts), the record in the RunStore (run-record.ts, on run finished), then any
 * hooks the services add. Sync triggers (`/execute`, `/q`, named query) return the finished
 * run; the webhook saves the run as `running` first and finishes it in the background (`waitUntil`).
 */
import { Redactor, combineHooks, executeWorkflow, runningRecord, type CompiledWorkflow, type RecordMode, type RunRecord } from "@arcrun/core";
import type { Services } from "../env";
import { runLogHooks } from "./run-log";
import { runRecorder } from "./run-record";

export interface RunRequest {
  workflow: CompiledWorkflow;
  input: unknown;
  /** what started the run: execute, query, webhook */
  trigger: string;
  services: Services;
  /**
   * When given (the route's `executionCtx.waitUntil`), the finished run is returned at once
   * and saved in the background: the caller does not wait for the D1 write (a network
   * round trip on Cloudflare). `GET /runs/:id` sees the run a moment later.
   */
  background?: (work: Promise<unknown>) => void;
  /**
   * Overrides the workflow's `record:`; a background run is saved as `running` before it
   * starts, so it is always recorded to the end ("all").
   */
  record?: RecordMode;
  /** cron runs: the minute they fired for, recorded on the run */
  scheduled_time?: string;
  /** the id to use (a caller that claimed a key for it first); default a new one */
  runId?: string;
}

export function newRunId(): string {
  return crypto.randomUUID();
}

/**
 * Runs to completion, stores the record, returns it. Nodes redact their own credentials;
 * the run-wide redactor (every value decrypted in this run) is a second pass over the whole record.
 */
export async function runToCompletion(request: RunRequest, runId = newRunId()): Promise<RunRecord> {
  const { services } = request;
  const redactor = new Redactor();
  const recorder = runRecorder({ runs: services.runs, redactor, background: request.background, mode: request.record ?? request.workflow.record, annotate: request.scheduled_time ? { scheduled_time: request.scheduled_time } : undefined });
  const run = await executeWorkflow(request.workflow, {
    resolver: services.resolver,
    input: request.input,
    runId,
    trigger: request.trigger,
    clock: services.clock,
    secrets: services.secretsFor?.(redactor),
    hooks: combineHooks(runLogHooks(redactor), recorder, services.hooks),
  });
  return recorder.recorded ?? redactor.value(run);
}

/**
 * Saves the run as `running` and returns its id plus the promise that finishes it.
 * An unexpected failure still ends the run `failed` (never `running` forever).
 */
export async function startInBackground(request: RunRequest): Promise<{ runId: string; done: Promise<void> }> {
  const { clock } = request.services;
  const runId = request.runId ?? newRunId();
  const started = clock.now();
  const running = runningRecord({
    run_id: runId,
    workflow: request.workflow.name,
    workflow_hash: request.workflow.hash,
    started_at: new Date(started).toISOString(),
    trigger: request.trigger,
    ...(request.scheduled_time ? { scheduled_time: request.scheduled_time } : {}),
  });
  await request.services.runs.save(running);
  // Start on a later turn: synchronous node work (a QuickJS loop) holds the isolate, and the
  // caller's 202 must be on the wire before it does.
  const done = afterResponse().then(() => runToCompletion({ ...request, record: "all" }, runId)).then(
    () => undefined,
    async (err) => {
      console.error(`run ${runId} (${request.workflow.name}) ended with an internal error:`, err);
      const failed: RunRecord = {
        ...running,
        status: "failed",
        error: { code: "internal_error", message: "The executor hit an unexpected error while running this workflow." },
        duration_ms: clock.now() - started,
      };
      await combineHooks(runRecorder({ runs: request.services.runs, redactor: new Redactor() }), request.services.hooks).runFinished?.(failed);
    },
  );
  return { runId, done };
}

/** Resolves after the current response has had a chance to be written. */
function afterResponse(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
