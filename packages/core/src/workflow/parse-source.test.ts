import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { issuesOf } from "./test-resolver";

describe("YAML that would exhaust the parser", () => {
  test("an alias bomb is an issue with its line, not an exception", async () => {
    const bomb = `name: lol
flow:
  - "input >> ON_SUCCESS >> a"
config:
  a: {component: code}
x: &x ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
y: &y [*x, *x, *x, *x, *x, *x, *x, *x, *x]
z: &z [*y, *y, *y, *y, *y, *y, *y, *y, *y]
w: &w [*z, *z, *z, *z, *z, *z, *z, *z, *z]
`;
    const issues = await issuesOf(bomb);
    assert.equal(issues.length, 1, JSON.stringify(issues));
    assert.equal(issues[0].code, "yaml_aliases");
    assert.match(issues[0].message, /Excessive alias count/);
    assert.equal(issues[0].line, 8);
    assert.equal(issues[0].file, "test.yaml");
  });

  test("a few aliases are fine", async () => {
    const issues = await issuesOf(`name: ok
flow:
  - "input >> ON_SUCCESS >> a"
config:
  a: &code {component: code}
  b: *code
flow_extra: &x [1]
`);
    assert.ok(!issues.some((i) => i.code === "yaml_aliases"), JSON.stringify(issues));
  });
});
