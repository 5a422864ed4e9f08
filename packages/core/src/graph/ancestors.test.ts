import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ancestors } from "./ancestors";
import { edges } from "./test-edges";

describe("ancestors", () => {
  //          ┌──► b ──┐
  //  input ──┤        ├──► d ──► e
  //          └──► c ──┘
  //  x ──► c
  const diamond = edges("input>b", "input>c", "b>d", "c>d", "d>e", "x>c");

  test("collects every node with a path into the node", () => {
    assert.deepEqual([...ancestors(diamond, "e")].sort(), ["b", "c", "d", "input", "x"]);
  });

  test("does not include siblings or the node itself", () => {
    assert.deepEqual([...ancestors(diamond, "b")], ["input"]);
    assert.equal(ancestors(diamond, "d").has("d"), false);
    assert.equal(ancestors(diamond, "b").has("c"), false);
  });

  test("a root has no ancestors", () => {
    assert.equal(ancestors(diamond, "input").size, 0);
  });

  //  a ──► b ──► a   (cycle)
  test("a node on a cycle is its own ancestor", () => {
    assert.deepEqual([...ancestors(edges("a>b", "b>a"), "a")].sort(), ["a", "b"]);
  });
});
