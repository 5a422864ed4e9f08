/**
 * Adjacency lists built from a flat edge list. The graph is data (`Edge[]`); every
 * algorithm in this folder is a pure function over it and starts here.
 */

/** The part of an edge the graph algorithms need. */
export interface GraphEdge {
  from: string;
  to: string;
}

/** node → nodes it points at, in edge order, without duplicates. */
export function successors(edges: readonly GraphEdge[]): Map<string, string[]> {
  return buildLists(edges, (e) => [e.from, e.to]);
}

/** node → nodes pointing at it, in edge order, without duplicates. */
export function predecessors(edges: readonly GraphEdge[]): Map<string, string[]> {
  return buildLists(edges, (e) => [e.to, e.from]);
}

/** Every node named by an edge, in order of first appearance. */
export function nodesOf(edges: readonly GraphEdge[]): string[] {
  const seen = new Set<string>();
  for (const { from, to } of edges) {
    seen.add(from);
    seen.add(to);
  }
  return [...seen];
}

function buildLists(edges: readonly GraphEdge[], pick: (e: GraphEdge) => [string, string]): Map<string, string[]> {
  const lists = new Map<string, string[]>();
  for (const edge of edges) {
    const [key, other] = pick(edge);
    const list = lists.get(key);
    if (!list) lists.set(key, [other]);
    else if (!list.includes(other)) list.push(other);
  }
  return lists;
}
