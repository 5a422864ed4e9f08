import { predecessors, type GraphEdge } from "./adjacency";
import { walk } from "./reachable";

/**
 * Every node upstream of `node` (that has a path into it), `node` itself excluded
 * unless it sits on a cycle. A template may only read an ancestor: anything else has
 * not run yet (or never will) when the node starts.
 */
export function ancestors(edges: readonly GraphEdge[], node: string): Set<string> {
  const lists = predecessors(edges);
  const found = new Set<string>();
  for (const parent of lists.get(node) ?? []) for (const n of walk(lists, parent)) found.add(n);
  return found;
}
