/**
 * The scheduler as a pure step function: `step(state, event) → {state, effects}`.
 * No I/O, no clock, no promises: the driver (execute.ts) performs the effects and feeds the
 * outcomes back as events. The input state is never mutated.
 *
 * Semantics (DESIGN § Workflow file):
 * - `input` is settled and succeeded from the start.
 * - An edge fires when its source settled and: ON_SUCCESS ⇐ succeeded; ON_FAILURE ⇐ failed;
 *   ALWAYS ⇐ succeeded or failed; a branch label ⇐ succeeded and emitted that label.
 *   A skipped source fires nothing.
 * - A node is decided once ALL its incoming edges' sources are settled: it runs if at least
 *   one edge fired, otherwise it is skipped (so skips propagate, and diamond joins wait).
 * - The run ends when no node is pending or running. It fails when a node failed that has no
 *   outgoing ON_FAILURE/ALWAYS edge; the first such node in topological order is named.
 */
import { INPUT_NODE, type PlanEdge } from "./plan";
import { isSettled, type NodeState, type RunState } from "./state";
import type { NodeTrace } from "./schema";
import { runResult } from "./result";

/** A node's final outcome, after retries, as the driver reports it. */
export type FinishedNode = Omit<NodeTrace, "node" | "component" | "status"> & { status: "succeeded" | "failed" };

export type RunEvent =
  | { type: "start" }
  | { type: "node_finished"; node: string; outcome: FinishedNode; /** ms since the run started */ elapsed_ms: number };

export type RunEffect =
  | { type: "run_node"; node: string }
  | { type: "node_skipped"; node: string }
  | { type: "run_finished" };

export interface StepResult {
  state: RunState;
  effects: RunEffect[];
}

export function step(state: RunState, event: RunEvent): StepResult {
  if (state.status !== "running") return { state, effects: [] };
  const { plan } = state;
  // Copies made with one spread each and fields set after: a spread with more than one source
  // (`{...a, ...b}`) takes V8's slow generic path, and this runs for every node of every run.
  const nodes: Record<string, NodeState> = { ...state.nodes };
  let duration_ms = state.duration_ms;
  if (event.type === "node_finished") {
    const current = nodes[event.node];
    if (!current || current.status !== "running") {
      throw new Error(`scheduler: node "${event.node}" finished but was ${current ? current.status : "unknown"}`);
    }
    nodes[event.node] = Object.assign({ ...current }, event.outcome);
    duration_ms = Math.max(duration_ms, event.elapsed_ms);
  }
  const effects: RunEffect[] = [];
  let open = false; // a node still pending or running
  // One pass in topological order suffices: a node's sources are decided before it is visited.
  for (const name of plan.order) {
    const node = nodes[name];
    if (node.status !== "pending") {
      if (node.status === "running") open = true;
      continue;
    }
    const decision = decide(plan.incoming[name], nodes);
    if (decision === "open") {
      open = true;
      continue;
    }
    const decided = { ...node };
    if (decision === "run") {
      decided.status = "running";
      open = true;
      effects.push({ type: "run_node", node: name });
    } else {
      decided.status = "skipped";
      effects.push({ type: "node_skipped", node: name });
    }
    nodes[name] = decided;
  }
  const next: RunState = { ...state };
  next.nodes = nodes;
  next.duration_ms = duration_ms;
  if (open) return { state: next, effects };

  const unhandled = plan.order.find((n) => nodes[n].status === "failed" && !plan.failureRouted.includes(n));
  next.status = unhandled ? "failed" : "succeeded";
  next.result = runResult(plan, nodes);
  if (unhandled) {
    const error = nodes[unhandled].error ?? { code: "failed", message: "node failed" };
    next.error = { node: unhandled, code: error.code, message: `node "${unhandled}" failed: ${error.message}` };
  }
  effects.push({ type: "run_finished" });
  return { state: next, effects };
}

/** A pending node once all its sources settled: it runs when at least one edge fired, else it is skipped. */
function decide(edges: readonly PlanEdge[], nodes: Record<string, NodeState>): "open" | "run" | "skip" {
  let fires = false;
  for (const edge of edges) {
    if (sourceStatus(nodes, edge.from) === "open") return "open";
    if (!fires && edgeFires(edge, nodes)) fires = true;
  }
  return fires ? "run" : "skip";
}

/** "open" while a source may still change; `input` is always succeeded. */
function sourceStatus(nodes: Record<string, NodeState>, name: string): "succeeded" | "failed" | "skipped" | "open" {
  if (name === INPUT_NODE && !(name in nodes)) return "succeeded";
  const node = nodes[name];
  if (!node) return "skipped"; // an edge from an unknown node can never fire (the compiler rejects it)
  return isSettled(node.status) ? node.status : "open";
}

export function edgeFires(edge: PlanEdge, nodes: Record<string, NodeState>): boolean {
  const status = sourceStatus(nodes, edge.from);
  switch (edge.relation) {
    case "ON_SUCCESS":
      return status === "succeeded";
    case "ON_FAILURE":
      return status === "failed";
    case "ALWAYS":
      return status === "succeeded" || status === "failed";
    default:
      return status === "succeeded" && nodes[edge.from]?.branch === edge.relation;
  }
}

/** Sources whose edge into `node` fired, once each, in edge order (what `merge` combines). */
export function firedSources(state: RunState, node: string): string[] {
  const seen: string[] = [];
  for (const edge of state.plan.incoming[node] ?? []) {
    if (!seen.includes(edge.from) && edgeFires(edge, state.nodes)) seen.push(edge.from);
  }
  return seen;
}
