import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { issuesOf } from "./test-resolver";

describe("graph shape", () => {
  //  input ─► a ─► b ─► c
  //           ▲         │
  //           └─────────┘
  test("a cycle names its path and points at its first edge", async () => {
    const issues = await issuesOf(`name: t
flow:
  - "input >> ON_SUCCESS >> a"
  - "a >> ON_SUCCESS >> b >> ON_SUCCESS >> c"
  - "(c)-[:ON_FAILURE]->(a)"
config:
  a: {component: code}
  b: {component: code}
  c: {component: code}
`);
    assert.deepEqual(issues.map((i) => [i.code, i.node, i.line, i.column]), [["cycle", "a", 4, 6]]);
    assert.equal(issues[0].message, "cycle: a → b → c → a");
  });

  //  input ─► a ⟲ (self-loop)      input ─► b ◄─► c
  test("every cycle is reported, including a self-loop", async () => {
    const issues = await issuesOf(`name: t
flow:
  - "input >> ON_SUCCESS >> a >> ON_FAILURE >> a"
  - "input >> ON_SUCCESS >> b >> ON_SUCCESS >> c >> ON_SUCCESS >> b"
config:
  a: {component: code}
  b: {component: code}
  c: {component: code}
`);
    assert.deepEqual(issues.map((i) => i.message), ["cycle: a → a", "cycle: b → c → b"]);
  });

  //  input ─► a          x ─► y      (x, y: an island nothing leads to)
  test("nodes unreachable from input", async () => {
    const issues = await issuesOf(`name: t
flow:
  - "input >> ON_SUCCESS >> a"
  - "x >> ON_SUCCESS >> y"
config:
  a: {component: code}
  x: {component: code}
  y: {component: code}
`);
    assert.deepEqual(issues.map((i) => [i.code, i.node, i.line, i.column]), [["unreachable", "x", 4, 6], ["unreachable", "y", 4, 25]]);
    assert.match(issues[0].message, /node "x" can never run/);
    assert.match(issues[0].hint!, /input >> ON_SUCCESS >> x/);
  });

  //  a ─► b        (no edge leaves input at all)
  test("no edge from input: every node is unreachable and the hint says to start at input", async () => {
    const issues = await issuesOf(`name: t
flow:
  - "a >> ON_SUCCESS >> b"
config:
  a: {component: code}
  b: {component: code}
`);
    assert.deepEqual(issues.map((i) => [i.code, i.node]), [["unreachable", "a"], ["unreachable", "b"]]);
    assert.match(issues[0].hint!, /no edge starts at input: add one, e\.g\. - "input >> ON_SUCCESS >> a"/);
  });

  //  input ─► a ─► input
  test("an edge back into input is refused", async () => {
    const issues = await issuesOf(`name: t
flow:
  - "input >> ON_SUCCESS >> a >> ON_FAILURE >> input"
config:
  a: {component: code}
`);
    assert.deepEqual(issues.map((i) => [i.code, i.column]), [["cycle", 6], ["edge_into_input", 48]]);
  });

  //  input ─► chek ─► b       (typo: chek means check; b is still reachable through it)
  test("a typo in flow does not also make the nodes behind it unreachable", async () => {
    const codes = (await issuesOf(`name: t
flow:
  - "input >> ON_SUCCESS >> chek >> ON_SUCCESS >> b"
config:
  check: {component: code}
  b: {component: code}
`)).map((i) => i.code);
    assert.deepEqual(codes, ["unknown_node"]);
  });

  //  input ─► a ─► b ─► a      with a schema error in b: the cycle is still found
  test("a schema error in one node does not hide a cycle", async () => {
    const codes = (await issuesOf(`name: t
flow:
  - "input >> ON_SUCCESS >> a >> ON_SUCCESS >> b >> ON_SUCCESS >> a"
config:
  a: {component: code}
  b: {component: code, limits: {retries: many}}
`)).map((i) => i.code);
    assert.deepEqual(codes, ["cycle", "schema"]);
  });
});
