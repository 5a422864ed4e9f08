import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { reachable } from "./reachable";
import { edges } from "./test-edges";

describe("reachable", () => {
  //  input ──► a ──► b        x ──► y   (island)
  test("follows edges forward and includes the start", () => {
    const graph = edges("input>a", "a>b", "x>y");
    assert.deepEqual([...reachable(graph, "input")].sort(), ["a", "b", "input"]);
  });

  //  input ──► a ──► b
  //            ▲     │
  //            └─────┘
  test("terminates on a cycle", () => {
    assert.deepEqual([...reachable(edges("input>a", "a>b", "b>a"), "input")].sort(), ["a", "b", "input"]);
  });

  //  a ──► b   (no edge leaves input)
  test("a start with no edges reaches only itself", () => {
    assert.deepEqual([...reachable(edges("a>b"), "input")], ["input"]);
  });
});
