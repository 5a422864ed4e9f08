import { nodesOf, successors, type GraphEdge } from "./adjacency";

/**
 * One cycle per strongly connected component that has one (Tarjan's algorithm), each
 * written as a closed path: `["a", "b", "c", "a"]`. A self-loop is `["a", "a"]`.
 * Several independent cycles are all reported, so a user fixes them in one go.
 */
export function findCycles(edges: readonly GraphEdge[]): string[][] {
  const next = successors(edges);
  const cycles: string[][] = [];
  for (const component of stronglyConnected(nodesOf(edges), next)) {
    const members = new Set(component);
    const start = component[0];
    if (component.length === 1 && !(next.get(start) ?? []).includes(start)) continue;
    cycles.push(cycleWithin(start, members, next));
  }
  return cycles;
}

/** The first cycle found, or undefined when the graph is acyclic. */
export function findCycle(edges: readonly GraphEdge[]): string[] | undefined {
  return findCycles(edges)[0];
}

/** A shortest closed path from `start` back to itself inside one strongly connected component. */
function cycleWithin(start: string, members: Set<string>, next: Map<string, string[]>): string[] {
  const parent = new Map<string, string>();
  const queue = [start];
  const seen = new Set([start]);
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const to of next.get(node) ?? []) {
      if (!members.has(to)) continue;
      if (to === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(parent.get(path[0])!);
        return [...path, start];
      }
      if (!seen.has(to)) {
        seen.add(to);
        parent.set(to, node);
        queue.push(to);
      }
    }
  }
  return [start, start]; // unreachable for a real component; keeps the type honest
}

/** Tarjan's strongly connected components, iterative so deep graphs cannot overflow the stack. Members keep discovery order. */
function stronglyConnected(nodes: string[], next: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result: string[][] = [];
  let counter = 0;

  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { node: string; child: number }[] = [{ node: root, child: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const children = next.get(frame.node) ?? [];
      if (frame.child < children.length) {
        const to = children[frame.child++];
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, child: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.unshift(member);
        } while (member !== frame.node);
        result.push(component);
      }
    }
  }
  return result;
}
