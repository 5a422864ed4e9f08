import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { nodesOf, predecessors, successors } from "./adjacency";
import { edges } from "./test-edges";

describe("adjacency", () => {
  //  a ──► b
  //  a ──► c      (a ──► b written twice)
  //  c ──► b
  const graph = edges("a>b", "a>c", "a>b", "c>b");

  test("successors keep edge order and drop repeats", () => {
    assert.deepEqual(Object.fromEntries(successors(graph)), { a: ["b", "c"], c: ["b"] });
  });

  test("predecessors invert the edges", () => {
    assert.deepEqual(Object.fromEntries(predecessors(graph)), { b: ["a", "c"], c: ["a"] });
  });

  test("nodesOf lists each node once, in order of first appearance", () => {
    assert.deepEqual(nodesOf(graph), ["a", "b", "c"]);
  });
});
