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
    if (done) {
      const { node: _node, ...reused } = done;
      nodes[name] = { ...reused, component: init.plan.components[name] };
    } else nodes[name] = { status: "pending", component: init.plan.components[name], input: null, output: null, error: null, attempts: 0, duration_ms: 0 };
  }
  // built field by field: spreads with several sources (and deletes) take V8's slow paths, and this runs for every run
  const state: RunState = { run_id: init.run_id, workflow: init.workflow, started_at: init.started_at, input: init.input, plan: init.plan, status: "running", nodes, result: null, duration_ms: 0 };
  // plain JSON: no key holds undefined
  if (init.workflow_hash !== undefined) state.workflow_hash = init.workflow_hash;
  if (init.trigger !== undefined) state.trigger = init.trigger;
  if (init.rerun_of) state.rerun_of = init.rerun_of;
  if (init.trace_id) state.trace_id = init.trace_id;
  return state;
}

export function isSettled(status: NodeRunStatus): status is SettledStatus {
  return status === "succeeded" || status === "failed" || status === "skipped";
}
