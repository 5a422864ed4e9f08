export { successors, predecessors, nodesOf, type GraphEdge } from "./adjacency";
export { reachable } from "./reachable";
export { ancestors } from "./ancestors";
export { findCycles, findCycle } from "./find-cycles";
export { topologicalOrder } from "./topological-order";
