/**
 * Running a compiled workflow on behalf of a route. The run's hooks do the side effects: the
 * run log (run-log.ts), the record in the RunStore (run-record.ts, on run finished), then any
 * hooks the services add. Sync triggers (`/execute`, `/q`, named query) return the finished
 * run; the webhook saves the run as `running` first and finishes it in the background (`waitUntil`).
 *
 * With a Workflows binding (services.durable) a background run is a Workflows instance instead
 * (services/durable.ts): `startInBackground` creates it, and the instance runs `runDurable`,
 * one step per node, able to wait (`wait`, `wait_for_event`) and to survive a crash.
 *
 * `on_error: <workflow>`: when a run fails, whatever started it, the named workflow starts in
 * the background (trigger `on_error`) with `{run_id, workflow, failed_node, error}`. One level
 * only: a failing `on_error` run does not start its own handler.
 *
 * Every run has a W3C trace id (RunRequest.traceId: the trigger's `traceparent`, else new);
 * its nodes send `traceparent` on their outbound calls (core's run/trace.ts).
 */
import { v7 as uuidv7 } from "uuid";
import { Redactor, combineHooks, executeWorkflow, newTraceId, runningRecord, type CompiledWorkflow, type DurableSteps, type NodeTrace, type RecordMode, type RunHooks, type RunRecord } from "@arcrun/core";
import { compileOrThrow, compileStored } from "./compiled";
import { offloadTo } from "./big-outputs";
import type { WorkflowStep } from "cloudflare:workers";
import { workflowSteps, type DurableRunParams } from "./durable";
import type { Services } from "../env";
import { logPrefix, runLogHooks } from "./run-log";
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
  /** the run's W3C trace id (from the trigger's `traceparent`); default a new one */
  traceId?: string;
  /** when the run started (ms): a durable run replayed after a restart keeps its first start */
  startedAt?: number;
  /** a durable run: its nodes as Workflows steps (services/durable.ts) */
  durable?: DurableSteps;
  /** a durable run: `work` once, its result stored (a step), e.g. starting the on_error run */
  once?: <T>(name: string, work: () => Promise<T>) => Promise<T>;
}

/** The trigger of a run started by another run's failure (`on_error`). */
export const ON_ERROR_TRIGGER = "on_error";

/**
 * A run id is a UUID version 7 (RFC 9562): its first 48 bits are the time, so ids made one after
 * the other sort together and a new run's key lands at the end of the runs table's primary-key
 * index instead of on a random page of it (the pages a save touches stay few as the table grows).
 * Ids made within one millisecond (workerd's clock stands still during a request) still
 * increase: the library counts up from a random start, and each id keeps 42 fresh random bits,
 * so neighbours are not guessable (and every query is scoped to its tenant anyway).
 */
export function newRunId(): string {
  return uuidv7();
}

/**
 * Runs to completion, stores the record, returns it. Nodes redact their own credentials;
 * the run-wide redactor (every value decrypted in this run) is a second pass over the whole record.
 */
export async function runToCompletion(request: RunRequest, runId = newRunId(), progress = false): Promise<RunRecord> {
  const { services } = request;
  const redactor = new Redactor();
  const startedAt = request.startedAt ?? services.clock.now();
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
    hooks: combineHooks(runLogHooks(redactor), recorder, progress ? waitingRecorder(services) : undefined, services.hooks),
    rerunOf: request.rerunOf,
    seed: request.seed,
    traceId: request.traceId ?? newTraceId(),
    startedAt,
    durable: request.durable,
    ...(services.outputs
      ? { offload: offloadTo(services.outputs, { workflow: request.workflow.name, run_id: runId, started_at: new Date(startedAt).toISOString() }), maxTraceBytes: request.workflow.max_trace_bytes }
      : {}),
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
      console.error(`${logPrefix(run.run_id)} workflow ${run.workflow} failed; its on_error workflow "${handler}" is not stored`);
      return;
    }
    const workflow = await compileStored(stored, services.resolver);
    const input = { run_id: run.run_id, workflow: run.workflow, failed_node: run.error?.node ?? null, error: { code: run.error?.code ?? "failed", message: run.error?.message ?? "" } };
    const start = async () => {
      const { runId, done } = await startInBackground({ workflow, input, trigger: ON_ERROR_TRIGGER, services, traceId: run.trace_id });
      await done;
      return runId;
    };
    // a durable run replayed after a crash must not start its handler twice
    await (request.once ? request.once("on_error", start) : start());
  })().catch((err) => console.error(`${logPrefix(run.run_id)} workflow ${run.workflow}: on_error workflow "${handler}" could not start:`, err));
  if (request.background) request.background(work);
  else await work;
}

/**
 * Saves the run as `running` and returns its id plus the promise that finishes it.
 * An unexpected failure still ends the run `failed` (never `running` forever).
 */
export async function startInBackground(request: RunRequest): Promise<{ runId: string; done: Promise<void> }> {
  const { clock, durable } = request.services;
  const runId = request.runId ?? newRunId();
  const started = clock.now();
  const traceId = request.traceId ?? newTraceId();
  const running = runningRecord({
    run_id: runId,
    workflow: request.workflow.name,
    workflow_hash: request.workflow.hash,
    started_at: new Date(started).toISOString(),
    trigger: request.trigger,
    ...(request.scheduled_time ? { scheduled_time: request.scheduled_time } : {}),
    rerun_of: request.rerunOf,
    trace_id: traceId,
  });
  await request.services.runs.save(running);
  if (durable) {
    const params: DurableRunParams = {
      run_id: runId, workflow: request.workflow.name, workflow_hash: request.workflow.hash, trigger: request.trigger, input: request.input,
      started_at: running.started_at, trace_id: traceId,
      ...(request.scheduled_time ? { scheduled_time: request.scheduled_time } : {}),
      ...(request.rerunOf ? { rerun_of: request.rerunOf } : {}),
      ...(request.seed && Object.keys(request.seed).length ? { seed: request.seed } : {}),
    };
    try {
      await durable.start(params);
    } catch (err) {
      console.error(`${logPrefix(runId)} workflow ${request.workflow.name}: its Workflows instance could not be created:`, err);
      await failRun(request, running, started);
      throw err;
    }
    return { runId, done: Promise.resolve() };
  }
  // Start on a later turn: synchronous node work (a QuickJS loop) holds the isolate, and the
  // caller's 202 must be on the wire before it does.
  const done = afterResponse().then(() => runToCompletion({ ...request, record: "all", traceId, startedAt: started }, runId, true)).then(
    () => undefined,
    async (err) => {
      console.error(`${logPrefix(runId)} workflow ${request.workflow.name} ended with an internal error:`, err);
      await failRun(request, running, started);
    },
  );
  return { runId, done };
}

/**
 * A durable run, inside its Workflows instance (durable/workflow.ts): the workflow version it
 * was started on (by hash), every node a step. Returns the run's status (the instance's output).
 */
export async function runDurable(services: Services, params: DurableRunParams, durable: { step: WorkflowStep; once: NonNullable<RunRequest["once"]> }): Promise<{ status: string }> {
  const startedAt = Date.parse(params.started_at);
  const running = runningRecord({ run_id: params.run_id, workflow: params.workflow, workflow_hash: params.workflow_hash, trigger: params.trigger, started_at: params.started_at, scheduled_time: params.scheduled_time, rerun_of: params.rerun_of, trace_id: params.trace_id });
  let workflow: CompiledWorkflow;
  try {
    const yaml = await services.workflows.getVersion(params.workflow, params.workflow_hash);
    if (!yaml) throw new Error(`version ${params.workflow_hash.slice(0, 12)} of workflow "${params.workflow}" is not stored`);
    workflow = await compileOrThrow(yaml, services.resolver, params.workflow);
  } catch (err) {
    console.error(`${logPrefix(params.run_id)} workflow ${params.workflow} cannot start:`, err);
    await failRun({ services, workflow: { name: params.workflow } as CompiledWorkflow, input: params.input, trigger: params.trigger }, running, startedAt);
    return { status: "failed" };
  }
  try {
    const record = await runToCompletion({
      workflow, input: params.input, trigger: params.trigger, services, record: "all", scheduled_time: params.scheduled_time,
      rerunOf: params.rerun_of, seed: params.seed, traceId: params.trace_id, startedAt, once: durable.once,
      durable: workflowSteps(durable.step, services.outputs ? { store: services.outputs, run: { workflow: params.workflow, started_at: params.started_at, run_id: params.run_id }, maxBytes: workflow.max_trace_bytes } : undefined),
    }, params.run_id, true);
    return { status: record.status };
  } catch (err) {
    console.error(`${logPrefix(params.run_id)} workflow ${params.workflow} ended with an internal error:`, err);
    await failRun({ services, workflow, input: params.input, trigger: params.trigger }, running, startedAt);
    return { status: "failed" };
  }
}

/** Ends a run that could not run to its end `failed` with internal_error (never `running` forever). */
async function failRun(request: RunRequest, running: RunRecord, started: number): Promise<void> {
  const failed: RunRecord = {
    ...running,
    status: "failed",
    error: { code: "internal_error", message: "The executor hit an unexpected error while running this workflow." },
    duration_ms: Math.max(0, request.services.clock.now() - started),
  };
  await combineHooks(runRecorder({ runs: request.services.runs, redactor: new Redactor() }), request.services.hooks).runFinished?.(failed);
}

/** A durable run's `waiting` status in the RunStore (what it waits for, then running again). */
function waitingRecorder(services: Services): RunHooks {
  return {
    async runWaiting(runId, waiting) {
      await services.runs.setWaiting(runId, waiting).catch((err) => console.error(`${logPrefix(runId)}: its waiting status could not be recorded:`, err));
    },
  };
}

/** Resolves after the current response has had a chance to be written. */
function afterResponse(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
