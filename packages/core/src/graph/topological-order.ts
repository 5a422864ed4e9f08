import { nodesOf, predecessors, successors, type GraphEdge } from "./adjacency";
import { arcrunError } from "../errors";

/**
 * Nodes ordered so every edge points forward (Kahn's algorithm). Ties keep the order in
 * which nodes first appear (edges first, then `extraNodes`), so the order is stable for a
 * given file. `extraNodes` adds nodes that have no edges. A compiled workflow is acyclic;
 * a cycle here is a bug in the caller, hence an internal error.
 */
export function topologicalOrder(edges: readonly GraphEdge[], extraNodes: Iterable<string> = []): string[] {
  const nodes = nodesOf(edges);
  for (const node of extraNodes) if (!nodes.includes(node)) nodes.push(node);
  const next = successors(edges);
  const previous = predecessors(edges);
  const waiting = new Map(nodes.map((n) => [n, (previous.get(n) ?? []).length]));
  const position = new Map(nodes.map((n, i) => [n, i]));
  const ready = nodes.filter((n) => waiting.get(n) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    const node = ready.shift()!;
    order.push(node);
    for (const to of next.get(node) ?? []) {
      const left = waiting.get(to)! - 1;
      waiting.set(to, left);
      if (left === 0) insertByPosition(ready, to, position);
    }
  }
  if (order.length !== nodes.length) {
    const stuck = nodes.filter((n) => !order.includes(n));
    throw arcrunError("graph_cycle", `topologicalOrder: the graph has a cycle through ${stuck.join(", ")}`, {
      hint: "compileWorkflow rejects cycles; only compiled workflows should reach the scheduler",
    });
  }
  return order;
}

function insertByPosition(queue: string[], node: string, position: Map<string, number>): void {
  const at = queue.findIndex((n) => position.get(n)! > position.get(node)!);
  if (at === -1) queue.push(node);
  else queue.splice(at, 0, node);
}
