/**
 * Relations: every edge uses ON_SUCCESS, ON_FAILURE, ALWAYS, or a branch label that the
 * source node's component says it can emit (`if` → ON_TRUE/ON_FALSE, `switch` → its cases).
 * `input` emits only the base relations.
 */
import type { WorkflowIssue } from "../errors";
import { suggest } from "./suggest";
import type { LocatedEdge } from "./read-flow";
import { BASE_RELATIONS, nodeParams, type NodeConfig } from "./schema";
import type { NodeComponent, WorkflowView } from "./workflow-view";

export function checkRelations(edges: readonly LocatedEdge[], view: WorkflowView, components: Map<string, NodeComponent>): WorkflowIssue[] {
  const issues: WorkflowIssue[] = [];
  const base: readonly string[] = BASE_RELATIONS;
  for (const edge of edges) {
    if (base.includes(edge.relation)) continue;
    const emits = relationsOf(edge.from, view, components);
    if (emits?.includes(edge.relation)) continue;
    const suggestion = suggest(edge.relation, emits ?? base);
    // When the source's component is unknown its branch labels are too: only flag obvious typos.
    if (!emits && !suggestion) continue;
    const source = components.get(edge.from);
    const who = edge.from === "input" ? "input" : `${edge.from}${source ? ` (${source.name})` : ""}`;
    issues.push({
      code: "unknown_relation",
      node: edge.from,
      message: `unknown relation "${edge.relation}" in ${edge.from} → ${edge.to}${suggestion ? ` — did you mean ${suggestion}?` : ""}`,
      hint: `${who} can emit: ${(emits ?? base).join(", ")}`,
      ...edge.relationAt,
    });
  }
  return issues;
}

/** The relations a node can emit, or undefined when its component is not known. */
function relationsOf(node: string, view: WorkflowView, components: Map<string, NodeComponent>): string[] | undefined {
  if (node === "input") return [...BASE_RELATIONS];
  const component = components.get(node)?.component;
  const config = view.nodes.get(node);
  if (!component || !config) return undefined;
  let branches: string[] = [];
  try {
    branches = component.branches?.(nodeParams(config as NodeConfig)) ?? [];
  } catch {
    // A malformed config (e.g. switch without cases) is the component's own input error, reported when it runs.
  }
  return [...BASE_RELATIONS, ...branches];
}
