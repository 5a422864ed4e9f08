/**
 * The run's `result`.
 *
 * Rule: the result is made of the *terminal* nodes (nodes with no outgoing edges) that
 * succeeded.
 * - exactly one succeeded → its `data`, as is;
 * - several succeeded     → an object keyed by node name, `{node: data}`, in topological order;
 * - none succeeded        → `null`.
 * So an if/else whose two branches end in different nodes yields the data of whichever
 * branch ran, and a fan-out yields every leaf by name. Failed and skipped terminals add nothing.
 */
import type { RunPlan } from "./plan";
import type { NodeState } from "./state";

export function runResult(plan: RunPlan, nodes: Record<string, NodeState>): unknown {
  const succeeded = plan.order.filter((n) => nodes[n]?.status === "succeeded" && plan.terminals.includes(n));
  if (succeeded.length === 0) return null;
  if (succeeded.length === 1) return nodes[succeeded[0]].output ?? null;
  return Object.fromEntries(succeeded.map((n) => [n, nodes[n].output ?? null]));
}
