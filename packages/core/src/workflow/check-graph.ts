/**
 * Graph shape: no edge into `input`, no cycles (named as a path), and every node reachable
 * from `input`. Runs on the edges with flow typos corrected, so one typo does not also
 * make everything behind it "unreachable".
 */
import type { WorkflowIssue } from "../errors";
import { findCycles } from "../graph/find-cycles";
import { reachable } from "../graph/reachable";
import type { LocatedEdge } from "./read-flow";
import type { WorkflowView } from "./workflow-view";

export function checkGraph(edges: readonly LocatedEdge[], view: WorkflowView): WorkflowIssue[] {
  const issues: WorkflowIssue[] = [];

  for (const edge of edges.filter((e) => e.to === "input")) {
    issues.push({ code: "edge_into_input", node: edge.from, message: `edge ${edge.from} → input: input is where a run starts, nothing can lead into it`, hint: "point the edge at another node; to run again, trigger a new run", ...edge.toAt });
  }

  for (const cycle of findCycles(edges)) {
    const first = edges.find((e) => e.from === cycle[0] && e.to === cycle[1]);
    issues.push({
      code: "cycle",
      node: cycle[0],
      message: `cycle: ${cycle.join(" → ")}`,
      hint: "a workflow must not loop back: remove or redirect one of these edges (use limits.retries to try a node again)",
      ...first?.fromAt,
    });
  }

  const reached = reachable(edges, "input");
  const startsFromInput = edges.some((e) => e.from === "input");
  const firstNode = edges.find((e) => e.from !== "input")?.from;
  const reported = new Set<string>();
  for (const edge of edges) {
    for (const [name, at] of [[edge.from, edge.fromAt], [edge.to, edge.toAt]] as const) {
      if (reached.has(name) || reported.has(name) || !view.nodes.has(name)) continue;
      reported.add(name);
      issues.push({
        code: "unreachable",
        node: name,
        message: `node "${name}" can never run: no path leads to it from input`,
        hint: startsFromInput
          ? `connect it from input or from a node that runs, e.g. - "input >> ON_SUCCESS >> ${name}", or remove it`
          : `no edge starts at input: add one, e.g. - "input >> ON_SUCCESS >> ${firstNode ?? name}"`,
        ...at,
      });
    }
  }
  return issues;
}
