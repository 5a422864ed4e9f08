import { successors, type GraphEdge } from "./adjacency";

/** Every node reachable from `start` by following edges forward, `start` included. */
export function reachable(edges: readonly GraphEdge[], start: string): Set<string> {
  return walk(successors(edges), start);
}

/** Breadth-first walk over adjacency lists; shared with `ancestors`. */
export function walk(lists: Map<string, string[]>, start: string): Set<string> {
  const seen = new Set<string>([start]);
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of lists.get(node) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}
