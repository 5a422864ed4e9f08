import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { issuesOf } from "./test-resolver";

const summary = async (yaml: string) => (await issuesOf(yaml)).map((i) => [i.code, i.node, i.line, i.column]);

describe("node names", () => {
  //  input ─► check ─► ghost          ghost: used in flow, no config
  test("a node in flow without config", async () => {
    const issues = await issuesOf(`name: t
flow:
  - "input >> ON_SUCCESS >> check >> ON_SUCCESS >> ghost"
config:
  check: {component: code}
`);
    assert.deepEqual(issues.map((i) => [i.code, i.node, i.line, i.column]), [["node_without_config", "ghost", 3, 52]]);
    assert.match(issues[0].message, /node "ghost" is used in flow but has no config entry/);
    assert.match(issues[0].hint!, /ghost:\n    component: code/);
  });

  //  input ─► check        spare: configured, not in flow
  test("a config entry never used in flow", async () => {
    assert.deepEqual(await summary(`name: t
flow:
  - "input >> ON_SUCCESS >> check"
config:
  check: {component: code}
  spare: {component: code}
`), [["config_without_flow", "spare", 6, 3]]);
  });

  //  input ─► chek            (config has check)
  test("a near-miss in flow is a typo with did-you-mean, and the intended node is not called unused", async () => {
    const issues = await issuesOf(`name: t
flow:
  - "(input)-[:ON_SUCCESS]->(chek)"
config:
  check: {component: code}
`);
    assert.deepEqual(issues.map((i) => [i.code, i.node, i.line, i.column]), [["unknown_node", "chek", 3, 30]]);
    assert.equal(issues[0].message, 'unknown node "chek" in flow — did you mean check?');
  });

  //  input ─► a ─► b ─► c      (short names: b is not "a typo of a")
  test("short names are not guessed as typos of each other", async () => {
    assert.deepEqual((await summary(`name: t
flow:
  - "input >> ON_SUCCESS >> a >> ON_SUCCESS >> b"
config:
  a: {component: code}
`)).map((x) => x[0]), ["node_without_config"]);
  });

  //  input ─► a
  test("input must not have a config entry", async () => {
    const issues = await issuesOf(`name: t
flow:
  - "input >> ON_SUCCESS >> a"
config:
  input: {component: code}
  a: {component: code}
`);
    assert.deepEqual(issues.map((i) => [i.code, i.node, i.line]), [["reserved_name", "input", 5]]);
    assert.match(issues[0].hint!, /remove config.input/);
  });

  //  input ─► credential
  test("credential cannot name a node", async () => {
    const codes = (await issuesOf(`name: t
flow:
  - "input >> ON_SUCCESS >> credential"
config:
  credential: {component: code}
`)).map((i) => i.code);
    assert.deepEqual(codes, ["reserved_name"]);
  });

  //  input ─► Check
  test("a node name must be lowercase letters, digits and _", async () => {
    const issues = await issuesOf(`name: t
flow:
  - "input >> ON_SUCCESS >> Check"
config:
  Check: {component: code}
`);
    assert.deepEqual(issues.map((i) => [i.code, i.line]), [["invalid_node_name", 5]]);
    assert.match(issues[0].hint!, /e\.g\. check/);
  });
});

describe("node names that are members of every JavaScript object", () => {
  test("constructor and __proto__ are reserved, in config and in flow, with their line", async () => {
    const issues = await issuesOf(`name: t
flow:
  - input >> ON_SUCCESS >> constructor
  - constructor >> ON_SUCCESS >> __proto__
config:
  constructor: {component: code}
  __proto__: {component: code}
`);
    const reserved = issues.filter((i) => i.code === "reserved_name");
    assert.deepEqual(reserved.map((i) => [i.node, i.line]), [["constructor", 6], ["__proto__", 7]]);
    assert.match(reserved[0].message, /reserved/);
  });
});
