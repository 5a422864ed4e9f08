/**
 * Reads every `flow` line into edges, each knowing where its parts are written. Malformed
 * lines become `flow_syntax` issues; the good lines still produce edges so the graph checks
 * run on everything that could be read. Repeated edges are kept once.
 */
import type { WorkflowIssue } from "../errors";
import { FLOW_FORMS_HINT, parseFlowLine } from "./flow-syntax";
import type { Edge } from "./schema";
import type { Position, SourceLocator } from "./source-locator";

/** An edge plus the position of each of its three parts (for precise issues). */
export interface LocatedEdge extends Edge {
  fromAt: Position;
  relationAt: Position;
  toAt: Position;
}

export function readFlow(data: unknown, locate: SourceLocator): { edges: LocatedEdge[]; issues: WorkflowIssue[] } {
  const flow = data && typeof data === "object" ? (data as { flow?: unknown }).flow : undefined;
  const edges: LocatedEdge[] = [];
  const issues: WorkflowIssue[] = [];
  if (!Array.isArray(flow)) return { edges, issues }; // the schema check reports it
  const seen = new Set<string>();
  flow.forEach((line, index) => {
    if (typeof line !== "string") return; // the schema check reports it
    const path = ["flow", index];
    const parsed = parseFlowLine(line);
    if (!parsed.ok) {
      issues.push({ code: "flow_syntax", message: `flow line "${line}": ${parsed.message}`, hint: FLOW_FORMS_HINT, ...locate.inString(path, parsed.offset) });
      return;
    }
    for (const edge of parsed.edges) {
      const key = `${edge.from}\u0000${edge.relation}\u0000${edge.to}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const fromAt = locate.inString(path, edge.fromOffset);
      edges.push({
        from: edge.from,
        relation: edge.relation,
        to: edge.to,
        ...fromAt,
        fromAt,
        relationAt: locate.inString(path, edge.relationOffset),
        toAt: locate.inString(path, edge.toOffset),
      });
    }
  });
  return { edges, issues };
}

/** The public edge shape, without the per-part positions. */
export function plainEdge({ from, relation, to, line, column }: LocatedEdge): Edge {
  return line === undefined ? { from, relation, to } : { from, relation, to, line, column };
}
