/** TEST ONLY: builds edges from "a>b" shorthand so graph tests read like their ASCII drawings. */
import type { GraphEdge } from "./adjacency";

export const edges = (...pairs: string[]): GraphEdge[] =>
  pairs.map((pair) => {
    const [from, to] = pair.split(">");
    return { from, to };
  });
