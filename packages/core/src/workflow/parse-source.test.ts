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

  test("maps nested deeper than the input limit are one too_deep issue, before any recursive check", async () => {
    const levels = 300; // under the YAML parser's own stack limit, over ours
    const deep = `${"{a: ".repeat(levels)}1${"}".repeat(levels)}`;
    const issues = await issuesOf(`name: deep\nflow:\n  - "input >> ON_SUCCESS >> a"\nconfig:\n  a: {component: code, x: ${deep}}\n`);
    assert.deepEqual(issues.map((i) => [i.code, i.line]), [["too_deep", 1]]);
    assert.match(issues[0].message, /more than 64 levels/);
    let object: Record<string, unknown> = { v: 1 };
    for (let i = 0; i < 10_000; i++) object = { a: object };
    assert.deepEqual((await issuesOf({ name: "deep", config: object })).map((i) => i.code), ["too_deep"]);
  });
});
