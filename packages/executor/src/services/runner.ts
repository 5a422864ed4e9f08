/**
 * Running a compiled workflow on behalf of a route. The run's hooks do the side effects: the
 * run log (run-log.ts), the record in the RunStore (run-record.ts, on run finished), then any
 * hooks the services add. Sync triggers (`/execute`, `/q`, named query) return the finished
 * run; the webhook saves the run as `running` first and finishes it in the background (`waitUntil`).
 *
 * `on_error: <workflow>`: when a run fails, whatever started it, the named workflow starts in
 * the background (trigger `on_error`) with `{run_id, workflow, failed_node, error}`. One level
 * only: a failing `on_error` run does not start its own handler.
 */
import { Redactor, combineHooks, executeWorkflow, runningRecord, type CompiledWorkflow, type NodeTrace, type RecordMode, type RunRecord } from "@arcrun/core";
import { compileStored } from "./compiled";
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
  /** a rerun: the run it reruns, and the nodes it reuses as recorded (core's ExecuteOptions.seed) */
  rerunOf?: string;
  seed?: Record<string, NodeTrace>;
}

/** The trigger of a run started by another run's failure (`on_error`). */
export const ON_ERROR_TRIGGER = "on_error";

export function newRunId(): string {
  return crypto.randomUUID();
}

/**
 * Runs to completion, stores the record, returns it. Nodes redact their own credentials;
 * the run-wide redactor (every value decrypted in this run) is a second pass over the whole record.
 */
export async function runToCompletion(request: RunRequest, runId = newRunId(), progress = false): Promise<RunRecord> {
  const { services } = request;
  const redactor = new Redactor();
  const recorder = runRecorder({
    runs: services.runs,
    redactor,
    background: request.background,
    mode: request.record ?? request.workflow.record,
    annotate: request.scheduled_time ? { scheduled_time: request.scheduled_time } : undefined,
    progress: progress ? { clock: services.clock } : undefined,
  });
  const run = await executeWorkflow(request.workflow, {
    resolver: services.resolver,
    input: request.input,
    runId,
    trigger: request.trigger,
    clock: services.clock,
    secrets: services.secretsFor?.(redactor),
    hooks: combineHooks(runLogHooks(redactor), recorder, services.hooks),
    rerunOf: request.rerunOf,
    seed: request.seed,
  });
  const record = recorder.recorded ?? redactor.value(run);
  await handOnError(request, record);
  return record;
}

/** Starts the workflow's `on_error` handler for a failed run (kept alive by `background`, else awaited). */
async function handOnError(request: RunRequest, run: RunRecord): Promise<void> {
  const handler = request.workflow.on_error;
  if (run.status !== "failed" || !handler || request.trigger === ON_ERROR_TRIGGER) return;
  const { services } = request;
  const work = (async () => {
    const stored = await services.workflows.get(handler);
    if (!stored) {
      console.error(`run ${run.run_id} (${run.workflow}) failed; its on_error workflow "${handler}" is not stored`);
      return;
    }
    const workflow = await compileStored(stored, services.resolver);
    const input = { run_id: run.run_id, workflow: run.workflow, failed_node: run.error?.node ?? null, error: { code: run.error?.code ?? "failed", message: run.error?.message ?? "" } };
    const { done } = await startInBackground({ workflow, input, trigger: ON_ERROR_TRIGGER, services });
    await done;
  })().catch((err) => console.error(`run ${run.run_id} (${run.workflow}): on_error workflow "${handler}" could not start:`, err));
  if (request.background) request.background(work);
  else await work;
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
    rerun_of: request.rerunOf,
  });
  await request.services.runs.save(running);
  // Start on a later turn: synchronous node work (a QuickJS loop) holds the isolate, and the
  // caller's 202 must be on the wire before it does.
  const done = afterResponse().then(() => runToCompletion({ ...request, record: "all" }, runId, true)).then(
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
