import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { setComponent, STEPS_PER_MS } from "./set";
import { testContext } from "./test-context";
import { compileWorkflow } from "../workflow/compile";
import { fakeResolver } from "../workflow/test-resolver";

const run = (params: Record<string, unknown>, limits = {}) => setComponent.run(params, testContext({ limits }));
const errorOf = async (params: Record<string, unknown>, limits = {}) => {
  const outcome = await run(params, limits);
  return outcome.success ? assert.fail(`expected a failure, got ${JSON.stringify(outcome.data)}`) : outcome.error;
};

describe("set builtin", () => {
  test("value: the templated value is the data; nothing → null", async () => {
    assert.deepEqual(await run({ value: { a: 1 } }), { success: true, data: { a: 1 } });
    assert.deepEqual(await run({}), { success: true, data: null });
  });

  test("expression: JSONata against input, results as plain JSON", async () => {
    const input = { name: "ada", items: [{ price: 2, qty: 3 }, { price: 5, qty: 1 }], tags: ["x", "y"] };
    const expression = '{"total": $sum(items.(price * qty)), "name": $uppercase(name), "tags": tags, "count": $count(tags)}';
    assert.deepEqual(await run({ expression, input }), { success: true, data: { total: 11, name: "ADA", tags: ["x", "y"], count: 2 } });
    // a sequence (JSONata's array with extra fields) comes out as a plain array; no match → null
    assert.deepEqual(await run({ expression: "items.price", input }), { success: true, data: [2, 5] });
    assert.deepEqual(await run({ expression: "nothing.here", input }), { success: true, data: null });
    assert.deepEqual(await run({ expression: "$ * 2", input: 21 }), { success: true, data: 42 });
  });

  test("a runtime error is expression_error with JSONata's code; a runaway is expression_limit", async () => {
    const e = await errorOf({ expression: '"a" + 1' });
    assert.equal(e.code, "expression_error");
    assert.match(e.message, /T2001/);
    assert.equal((await errorOf({ expression: "$nosuch(1)" })).code, "expression_error");
    const loop = await errorOf({ expression: "($f := function($n) { $f($n + 1) }; $f(0))" }, { cpu_ms: 2 });
    assert.equal(loop.code, "expression_limit");
    assert.match(loop.message, new RegExp(`${2 * STEPS_PER_MS} evaluation steps`));
    // the budget is per evaluation: an expression cannot reach it to reset it
    const forged = await errorOf({ expression: '($budget := {"steps": 0, "max": 1e12}; $f := function($n) { $f($n + 1) }; $f(0))' }, { cpu_ms: 2 });
    assert.equal(forged.code, "expression_limit");
  });

  test("both value and expression, or an expression that is not text, is invalid_input", async () => {
    assert.equal((await errorOf({ value: 1, expression: "1" })).code, "invalid_input");
    assert.equal((await errorOf({ expression: 5 })).code, "invalid_input");
  });

  test("an expression that does not parse is an invalid_expression issue at validate time, naming the node", async () => {
    const yaml = `name: t
flow:
  - "input >> ON_SUCCESS >> shape"
config:
  shape:
    component: set
    input: "{{input}}"
    expression: "{ 'a': $sum(items.price }"
`;
    const result = await compileWorkflow(yaml, { resolver: fakeResolver([setComponent]), file: "t.yaml" });
    assert.equal(result.ok, false);
    const issues = result.ok ? [] : result.issues;
    assert.equal(issues.length, 1, JSON.stringify(issues));
    assert.equal(issues[0].code, "invalid_expression");
    assert.equal(issues[0].node, "shape");
    assert.equal(issues[0].line, 8);
    assert.match(issues[0].message, /does not parse: S0\d+ .*at character/);
    assert.ok(issues[0].hint);
    const fine = await compileWorkflow(yaml.replace("$sum(items.price }", "$sum(items.price) }"), { resolver: fakeResolver([setComponent]), file: "t.yaml" });
    assert.equal(fine.ok, true, JSON.stringify(fine));
  });
});
