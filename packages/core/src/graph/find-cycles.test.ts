import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { findCycle, findCycles } from "./find-cycles";
import { edges } from "./test-edges";

describe("findCycles", () => {
  //          ┌──► b ──┐
  //  input ──┤        ├──► d
  //          └──► c ──┘
  test("a diamond has no cycle", () => {
    assert.deepEqual(findCycles(edges("input>b", "input>c", "b>d", "c>d")), []);
    assert.equal(findCycle(edges("input>b", "input>c", "b>d", "c>d")), undefined);
  });

  //  input ──► a ──► b ──► c
  //            ▲           │
  //            └───────────┘
  test("names the path of a cycle, closed on its first node", () => {
    assert.deepEqual(findCycles(edges("input>a", "a>b", "b>c", "c>a")), [["a", "b", "c", "a"]]);
  });

  //  a ──► a
  test("a self-loop is a cycle of one node", () => {
    assert.deepEqual(findCycles(edges("input>a", "a>a")), [["a", "a"]]);
  });

  //  input ──► a ◄──► b        input ──► c ──► d ──► e ──► c
  test("reports each independent cycle", () => {
    const cycles = findCycles(edges("input>a", "a>b", "b>a", "input>c", "c>d", "d>e", "e>c"));
    assert.equal(cycles.length, 2);
    assert.deepEqual(cycles.map((c) => c.join(">")).sort(), ["a>b>a", "c>d>e>c"]);
  });

  //  a ──► b ──► c ──► a
  //        │           ▲
  //        └──► d ─────┘      one strongly connected part, reported once, by its shortest loop through a
  test("one tangle of loops is reported once", () => {
    assert.deepEqual(findCycles(edges("a>b", "b>c", "c>a", "b>d", "d>a")), [["a", "b", "c", "a"]]);
  });

  test("a long chain does not overflow the stack", () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => `n${i}>n${i + 1}`);
    assert.deepEqual(findCycles(edges(...chain)), []);
    assert.equal(findCycles(edges(...chain, "n20000>n0"))[0].length, 20_002);
  });
});
