/**
 * The static shape of a run, derived once from a compiled workflow: plain JSON, so it can be
 * stored with the run state and the scheduler can resume anywhere.
 */
import type { CompiledWorkflow } from "../workflow/schema";

/** The trigger payload pseudo-node: it succeeds at once with the payload as data. */
export const INPUT_NODE = "input";

export interface PlanEdge {
  from: string;
  relation: string;
  to: string;
}

export interface RunPlan {
  /** every node of the workflow (not `input`) in topological order; ties keep declaration order */
  order: string[];
  /** node → component name */
  components: Record<string, string>;
  /** node → its incoming edges, in the order the workflow lists them */
  incoming: Record<string, PlanEdge[]>;
  /** nodes with an outgoing ON_FAILURE or ALWAYS edge: their failure is handled by the graph */
  failureRouted: string[];
  /** nodes with no outgoing edges: their outputs make the run's result (see result.ts) */
  terminals: string[];
}

/** Plans by compiled workflow: a stored workflow is compiled once per isolate and run many times. */
const plans = new WeakMap<CompiledWorkflow, RunPlan>();

/** The plan of a workflow (shared and frozen: the scheduler only reads it). */
export function planRun(workflow: CompiledWorkflow): RunPlan {
  let plan = plans.get(workflow);
  if (!plan) plans.set(workflow, (plan = deepFreeze(derivePlan(workflow))));
  return plan;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

function derivePlan(workflow: CompiledWorkflow): RunPlan {
  const names = Object.keys(workflow.nodes);
  const incoming: Record<string, PlanEdge[]> = Object.fromEntries(names.map((n) => [n, []]));
  const outgoing = new Map<string, PlanEdge[]>();
  for (const { from, relation, to } of workflow.edges) {
    if (!(to in incoming)) continue; // edges into `input` or unknown nodes: the compiler rejects them
    const edge = { from, relation, to };
    incoming[to].push(edge);
    outgoing.set(from, [...(outgoing.get(from) ?? []), edge]);
  }
  return {
    order: topologicalOrder(names, incoming),
    components: Object.fromEntries(names.map((n) => [n, workflow.nodes[n].component])),
    incoming,
    failureRouted: names.filter((n) => (outgoing.get(n) ?? []).some((e) => e.relation === "ON_FAILURE" || e.relation === "ALWAYS")),
    terminals: names.filter((n) => (outgoing.get(n) ?? []).length === 0),
  };
}

/**
 * Kahn's algorithm, always taking the earliest-declared ready node so the order is stable.
 * Nodes on a cycle (the compiler rejects cycles) are appended in declaration order so that
 * every node still appears exactly once.
 */
function topologicalOrder(names: string[], incoming: Record<string, PlanEdge[]>): string[] {
  const remaining = new Map(names.map((n) => [n, new Set(incoming[n].map((e) => e.from).filter((f) => f in incoming && f !== n))]));
  const order: string[] = [];
  while (remaining.size > 0) {
    const next = names.find((n) => remaining.get(n)?.size === 0);
    if (next === undefined) break;
    order.push(next);
    remaining.delete(next);
    for (const deps of remaining.values()) deps.delete(next);
  }
  return [...order, ...names.filter((n) => remaining.has(n))];
}
