import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ArcrunError } from "../errors";
import { topologicalOrder } from "./topological-order";
import { edges } from "./test-edges";

describe("topologicalOrder", () => {
  //          ┌──► b ──┐
  //  input ──┤        ├──► d
  //          └──► c ──┘
  test("every edge points forward; ties keep the written order", () => {
    assert.deepEqual(topologicalOrder(edges("input>b", "input>c", "b>d", "c>d")), ["input", "b", "c", "d"]);
  });

  //  input ──► z        (z written first, so it comes before a though a sorts first)
  //  input ──► a ──► m
  test("order follows first appearance, not the alphabet", () => {
    assert.deepEqual(topologicalOrder(edges("input>z", "input>a", "a>m")), ["input", "z", "a", "m"]);
  });

  //  input ──► late ──► join        join waits for late, though join's other parent is ready first
  //  input ──────────► join
  test("a node comes after all of its parents", () => {
    assert.deepEqual(topologicalOrder(edges("input>join", "input>late", "late>join")), ["input", "late", "join"]);
  });

  //  input ──► a     (lonely has no edges)
  test("extra nodes without edges are included", () => {
    assert.deepEqual(topologicalOrder(edges("input>a"), ["a", "lonely"]), ["input", "a", "lonely"]);
  });

  //  a ──► b ──► a
  test("a cycle is an internal error (compile rejects cycles first)", () => {
    assert.throws(() => topologicalOrder(edges("a>b", "b>a")), (e: unknown) => e instanceof ArcrunError && e.kind === "internal" && /a, b/.test(e.message));
  });
});
