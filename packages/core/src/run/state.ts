/**
 * Run state: one plain JSON value (no classes, no functions, no promises) holding everything
 * the scheduler knows, so it can be stored between steps and resumed elsewhere.
 */
import type { NodeTrace, RunRecord } from "./schema";
import type { RunPlan } from "./plan";

export type NodeRunStatus = "pending" | "running" | "succeeded" | "failed" | "skipped";
export type SettledStatus = "succeeded" | "failed" | "skipped";

/** A stored node error: what the run record shows (no retry flags). */
export type { TraceError } from "./schema";

/** A node's trace (run/schema.ts) while the run goes on: it may still be pending or running. */
export type NodeState = Omit<NodeTrace, "node" | "status"> & { status: NodeRunStatus };

/** The run record (run/schema.ts) plus what the scheduler needs: the input, the plan, nodes by name. */
export type RunState = Omit<RunRecord, "nodes"> & {
  input: unknown;
  plan: RunPlan;
  nodes: Record<string, NodeState>;
};

export type NewRunState = Pick<RunState, "run_id" | "workflow" | "workflow_hash" | "trigger" | "started_at" | "input" | "plan" | "rerun_of" | "trace_id">;

/**
 * `seed`: nodes already settled by an earlier run (a rerun from a node), taken as they were
 * recorded; the scheduler never runs them again and reads their outputs as usual.
 */
export function createRunState(init: NewRunState, seed: Record<string, NodeTrace> = {}): RunState {
  const nodes: Record<string, NodeState> = {};
  for (const name of init.plan.order) {
    const done = Object.hasOwn(seed, name) ? seed[name] : undefined;
    nodes[name] = done
      ? { ...done, component: init.plan.components[name] }
      : { status: "pending", component: init.plan.components[name], input: null, output: null, error: null, attempts: 0, duration_ms: 0 };
    if (done) delete (nodes[name] as { node?: string }).node;
  }
  const { rerun_of, trace_id, ...rest } = init;
  return { ...rest, ...(rerun_of ? { rerun_of } : {}), ...(trace_id ? { trace_id } : {}), status: "running", nodes, result: null, duration_ms: 0 };
}

export function isSettled(status: NodeRunStatus): status is SettledStatus {
  return status === "succeeded" || status === "failed" || status === "skipped";
}
