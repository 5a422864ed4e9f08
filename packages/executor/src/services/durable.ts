/**
 * Durable background runs (issue 13 item 4): webhook and cron runs (and on_error runs) are
 * Cloudflare Workflows instances of RunsWorkflow (durable/workflow.ts), one instance per run,
 * its id the run id. Inside, each node is one `step.do` (retried by the step with the node's
 * `retries` / `backoff_ms`), `wait` a `step.sleep` and `wait_for_event` a `step.waitForEvent`:
 * after a crash the instance is replayed and every finished node returns its stored result
 * instead of running again (core's DurableSteps, run/execute.ts).
 *
 * Locally Miniflare's Workflows simulator keeps the instances under the state folder but does
 * not wake them after workerd restarts; the dev server sends each unfinished run's instance
 * RESUME_EVENT at start (packages/local/src/host/interrupted-runs.ts), and the simulator replays
 * it from its stored steps. On Cloudflare the platform resumes instances by itself.
 */
import type { WorkflowStep, WorkflowStepConfig } from "cloudflare:workers";
import { DEFAULT_MAX_TRACE_BYTES, jsonBytesOver, type DurableSteps, type NodeRunResult, type NodeTrace, type ResolvedLimits, type RunRecord } from "@arcrun/core";
import { offloadTo, type BlobStore } from "./big-outputs";

/** What an instance is created with: everything the run needs, the workflow by name and hash. */
export interface DurableRunParams {
  run_id: string;
  workflow: string;
  workflow_hash: string;
  trigger: string;
  input: unknown;
  /** ISO: when the run was started (its record says so, and a resumed run keeps it) */
  started_at: string;
  scheduled_time?: string;
  rerun_of?: string;
  seed?: Record<string, NodeTrace>;
  trace_id?: string;
  /**
   * A shared deployment: the tenant whose run this is. Only the id travels (the platform stores
   * params); the instance resolves the tenant again and runs on its scoped bindings.
   */
  tenant_id?: string;
}

/** The event the dev server sends an unfinished instance after a restart (user events are [a-z0-9_]: never this). */
export const RESUME_EVENT = "arcrun-resume";

/** Instance statuses of an instance that has not finished (Workflows' InstanceStatus names). */
export const UNFINISHED_STATUSES = ["queued", "running", "waiting", "paused", "waitingForPause"];

export interface DurableRuns {
  start(params: DurableRunParams): Promise<void>;
  /** delivers an event to the run's instance; false when the run has none (it did not run durably) */
  sendEvent(runId: string, type: string, payload: unknown): Promise<boolean>;
}

export function workflowsDurableRuns(binding: Workflow<DurableRunParams>, tenantId?: string): DurableRuns {
  return {
    async start(params) {
      await binding.create({ id: params.run_id, params: tenantId ? { ...params, tenant_id: tenantId } : params });
    },
    async sendEvent(runId, type, payload) {
      let instance: WorkflowInstance;
      try {
        instance = await binding.get(runId);
      } catch {
        return false;
      }
      await instance.sendEvent({ type, payload });
      return true;
    },
  };
}

/** A step's result after a retryable failed attempt: thrown so the step retries. */
class AttemptFailed extends Error {
  override name = "AttemptFailed";
}

/** How long a step may take beyond the node's own time limit (the node enforces that itself). */
const STEP_MARGIN_MS = 60_000;

/** The Workflows step as used here: stored values are JSON (workers-types' Serializable cannot see that). */
interface JsonStep {
  do(name: string, config: WorkflowStepConfig, work: (ctx?: { attempt?: number }) => Promise<unknown>): Promise<unknown>;
  do(name: string, work: () => Promise<unknown>): Promise<unknown>;
  sleep(name: string, ms: number): Promise<void>;
  waitForEvent(name: string, options: { type: string; timeout: number }): Promise<{ payload: unknown }>;
}

/** `work` once, as a step: after a replay its stored result comes back instead. */
export function onceStep(workflowStep: WorkflowStep): <T>(name: string, work: () => Promise<T>) => Promise<T> {
  const step = workflowStep as unknown as JsonStep;
  return (name, work) => step.do(name, work) as Promise<never>;
}

/**
 * Big outputs of a durable run: stored in R2 inside the node's step, so the step keeps only the
 * reference (a step's stored result is at most 1 MiB on Cloudflare) and a replay reads it back.
 */
export interface StepOutputs {
  store: BlobStore;
  run: Pick<RunRecord, "workflow" | "started_at" | "run_id">;
  /** the workflow's max_trace_bytes (default 64 KiB) */
  maxBytes?: number;
}

/** Core's DurableSteps over a Workflows step: one step per node, named after it. */
export function workflowSteps(workflowStep: WorkflowStep, outputs?: StepOutputs): DurableSteps {
  const step = workflowStep as unknown as JsonStep;
  const offload = outputs ? offloadTo(outputs.store, outputs.run) : undefined;
  return {
    node(name: string, limits: ResolvedLimits, attempt: (number: number, last: boolean) => Promise<NodeRunResult>) {
      const config: WorkflowStepConfig = {
        retries: { limit: limits.retries, delay: limits.backoff_ms, backoff: "exponential" },
        timeout: limits.timeout_ms + STEP_MARGIN_MS,
      };
      const stored = step.do(`node ${name}`, config, async (ctx) => {
        const number = ctx?.attempt ?? 1;
        const result = await attempt(number, number > limits.retries);
        if (result.retry) throw new AttemptFailed(`node "${name}" attempt ${number}: ${result.error?.code}: ${result.error?.message}`);
        if (offload && result.status === "succeeded" && result.output !== null) {
          const bytes = jsonBytesOver(result.output, outputs?.maxBytes ?? DEFAULT_MAX_TRACE_BYTES);
          if (bytes !== undefined) return { ...result, output: null, output_ref: await offload(name, result.output, bytes) };
        }
        // a plain JSON value: what the step stores
        return JSON.parse(JSON.stringify(result)) as NodeRunResult;
      }) as Promise<NodeRunResult>;
      return stored.then(async (result) => {
        if (!result.output_ref || !outputs) return result;
        const object = await outputs.store.get(result.output_ref.key);
        if (!object) throw new Error(`node "${name}": its stored output ${result.output_ref.key} is gone`);
        return { ...result, output: JSON.parse(await object.text()) as unknown };
      });
    },
    sleep(node, ms) {
      return step.sleep(`wait ${node}`, ms);
    },
    async waitForEvent(node, event, timeoutMs) {
      try {
        const got = await step.waitForEvent(`event ${node}`, { type: event, timeout: timeoutMs });
        return { payload: got.payload };
      } catch (error) {
        if (isTimeout(error)) return undefined;
        throw error;
      }
    },
  };
}

function isTimeout(error: unknown): boolean {
  const e = error as { name?: string; message?: string } | undefined;
  return /timeout/i.test(e?.name ?? "") || /timed out/i.test(e?.message ?? "");
}
