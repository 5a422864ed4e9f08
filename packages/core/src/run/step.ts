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
  const nodes = { ...state.nodes };
  let duration_ms = state.duration_ms;
  if (event.type === "node_finished") {
    const current = nodes[event.node];
    if (!current || current.status !== "running") {
      throw new Error(`scheduler: node "${event.node}" finished but was ${current ? current.status : "unknown"}`);
    }
    nodes[event.node] = { ...current, ...event.outcome };
    duration_ms = Math.max(duration_ms, event.elapsed_ms);
  }
  const effects: RunEffect[] = [];
  // One pass in topological order suffices: a node's sources are decided before it is visited.
  for (const name of state.plan.order) {
    if (nodes[name].status !== "pending") continue;
    const edges = state.plan.incoming[name];
    if (!edges.every((e) => sourceStatus(nodes, e.from) !== "open")) continue;
    if (edges.some((e) => edgeFires(e, nodes))) {
      nodes[name] = { ...nodes[name], status: "running" };
      effects.push({ type: "run_node", node: name });
    } else {
      nodes[name] = { ...nodes[name], status: "skipped" };
      effects.push({ type: "node_skipped", node: name });
    }
  }
  const next: RunState = { ...state, nodes, duration_ms };
  if (Object.values(nodes).some((n) => !isSettled(n.status))) return { state: next, effects };

  const routed = new Set(state.plan.failureRouted);
  const unhandled = state.plan.order.find((n) => nodes[n].status === "failed" && !routed.has(n));
  const finished: RunState = { ...next, status: unhandled ? "failed" : "succeeded", result: runResult(state.plan, nodes) };
  if (unhandled) {
    const error = nodes[unhandled].error ?? { code: "failed", message: "node failed" };
    finished.error = { node: unhandled, code: error.code, message: `node "${unhandled}" failed: ${error.message}` };
  }
  return { state: finished, effects: [...effects, { type: "run_finished" }] };
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
