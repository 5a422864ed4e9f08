/**
 * Run state: one plain JSON value (no classes, no functions, no promises) holding everything
 * the scheduler knows, so it can be stored between steps and resumed elsewhere.
 */
import type { NodeError } from "../components/types";
import type { RunStatus } from "./schema";
import type { RunPlan } from "./plan";

export type NodeRunStatus = "pending" | "running" | "succeeded" | "failed" | "skipped";
export type SettledStatus = "succeeded" | "failed" | "skipped";

/** A stored node error: what the run record shows (no retry flags). */
export type TraceError = Pick<NodeError, "code" | "message" | "details">;

export interface NodeState {
  status: NodeRunStatus;
  component: string;
  /** the resolved parameters, credentials redacted; null when the node never ran */
  input: unknown;
  output: unknown;
  error: TraceError | null;
  attempts: number;
  duration_ms: number;
  branch?: string;
  logs?: string[];
}

export interface RunState {
  run_id: string;
  workflow: string;
  workflow_hash?: string;
  trigger?: string;
  started_at: string;
  status: RunStatus;
  input: unknown;
  plan: RunPlan;
  nodes: Record<string, NodeState>;
  error?: TraceError & { node?: string };
  result: unknown;
  duration_ms: number;
}

export interface NewRunState {
  run_id: string;
  workflow: string;
  workflow_hash?: string;
  trigger?: string;
  started_at: string;
  input: unknown;
  plan: RunPlan;
}

export function createRunState(init: NewRunState): RunState {
  const nodes: Record<string, NodeState> = {};
  for (const name of init.plan.order) {
    nodes[name] = { status: "pending", component: init.plan.components[name], input: null, output: null, error: null, attempts: 0, duration_ms: 0 };
  }
  return { ...init, status: "running", nodes, result: null, duration_ms: 0 };
}

export function isSettled(status: NodeRunStatus): status is SettledStatus {
  return status === "succeeded" || status === "failed" || status === "skipped";
}
