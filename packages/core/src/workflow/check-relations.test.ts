import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { issuesOf } from "./test-resolver";

describe("relations", () => {
  //  input ─► gate ─ON_TRUE──► yes
  //               └─ON_FALSE─► no
  //  input ─► route ─fast─► quick
  //                └─slow─► later
  test("branch labels of if and switch are accepted from those nodes", async () => {
    const issues = await issuesOf(`name: t
flow:
  - "input >> ON_SUCCESS >> gate >> ON_TRUE >> yes"
  - "(gate)-[:ON_FALSE]->(no)"
  - "input >> ALWAYS >> route >> fast >> quick"
  - "route >> slow >> later"
config:
  gate: {component: if}
  yes: {component: code}
  no: {component: code}
  route: {component: switch, cases: {fast: {}, slow: {}}}
  quick: {component: code}
  later: {component: code}
`);
    assert.deepEqual(issues, []);
  });

  //  input ─ON_SUCESS─► a
  test("a typo of a base relation gets did-you-mean and points at the relation", async () => {
    const issues = await issuesOf(`name: t
flow:
  - "input >> ON_SUCESS >> a"
config:
  a: {component: code}
`);
    assert.deepEqual(issues.map((i) => [i.code, i.node, i.line, i.column]), [["unknown_relation", "input", 3, 15]]);
    assert.equal(issues[0].message, 'unknown relation "ON_SUCESS" in input → a — did you mean ON_SUCCESS?');
    assert.equal(issues[0].hint, "input can emit: ON_SUCCESS, ON_FAILURE, ALWAYS");
  });

  //  input ─ON_TRUE─► a ─ON_TRUE─► b        (neither input nor code emits ON_TRUE)
  test("branch labels are refused from input and from components without branches", async () => {
    const issues = await issuesOf(`name: t
flow:
  - "input >> ON_TRUE >> a"
  - "(a)-[:ON_TRUE]->(b)"
config:
  a: {component: code}
  b: {component: code}
`);
    assert.deepEqual(issues.map((i) => [i.code, i.node, i.line, i.column]), [["unknown_relation", "input", 3, 15], ["unknown_relation", "a", 4, 12]]);
    assert.equal(issues[1].hint, "a (code) can emit: ON_SUCCESS, ON_FAILURE, ALWAYS");
  });

  //  input ─► route ─medium─► x        (cases are fast, slow)
  test("a switch case that is not configured is refused, with its cases listed", async () => {
    const issues = await issuesOf(`name: t
flow:
  - "input >> ON_SUCCESS >> route >> medium >> x"
config:
  route: {component: switch, cases: {fast: {}, slow: {}}}
  x: {component: code}
`);
    assert.deepEqual(issues.map((i) => i.code), ["unknown_relation"]);
    assert.equal(issues[0].hint, "route (switch) can emit: ON_SUCCESS, ON_FAILURE, ALWAYS, fast, slow");
  });

  //  input ─► gate ─ON_TRUEE─► x
  test("did-you-mean covers branch labels", async () => {
    const issues = await issuesOf(`name: t
flow:
  - "input >> ON_SUCCESS >> gate >> ON_TRUEE >> x"
config:
  gate: {component: if}
  x: {component: code}
`);
    assert.match(issues[0].message, /did you mean ON_TRUE\?/);
  });

  //  input ─► mystery ─CUSTOM─► x       (mystery's component is unknown: its labels cannot be judged)
  test("labels from a node whose component is unknown are not second-guessed", async () => {
    const codes = (await issuesOf(`name: t
flow:
  - "input >> ON_SUCCESS >> mystery >> CUSTOM >> x"
config:
  mystery: {component: not_installed_anywhere}
  x: {component: code}
`)).map((i) => i.code);
    assert.deepEqual(codes, ["unknown_component"]);
  });
});
