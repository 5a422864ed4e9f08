/**
 * `set` with a JSONata expression inside workerd (issue 12 § 5): the interpreter runs in the
 * engine (no eval, no Function constructor, both refused in a Worker), a bad expression is a
 * 422 invalid_workflow naming the node at push time, a runtime error fails the node with its code.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { jsonHeaders, startExecutor, yamlHeaders, type TestExecutor } from "@arcrun/local/host/test-executor";

const SHAPE = `name: shape
flow:
  - "input >> ON_SUCCESS >> totals"
config:
  totals:
    component: set
    input: "{{input}}"
    expression: '{"total": $sum(items.(price * qty)), "who": $uppercase(name)}'
`;

describe("set with JSONata in workerd", () => {
  let ex: TestExecutor;
  before(async () => {
    ex = await startExecutor();
  });
  after(() => ex.stop());

  test("the expression is evaluated in the Worker; ?return=result answers its data", async () => {
    const stored = await ex.json("/workflows", { method: "POST", headers: yamlHeaders, body: SHAPE });
    assert.equal(stored.status, 201, JSON.stringify(stored.body));
    const input = { name: "ada", items: [{ price: 2, qty: 3 }, { price: 5, qty: 1 }] };
    const { status, body } = await ex.json("/webhooks/named/shape/query?return=result", { method: "POST", headers: jsonHeaders, body: JSON.stringify(input) });
    assert.equal(status, 200, JSON.stringify(body));
    assert.deepEqual(body, { total: 11, who: "ADA" });
  });

  test("a bad expression is refused at push time; a runtime error fails the node with expression_error", async () => {
    const bad = await ex.json("/workflows", { method: "POST", headers: yamlHeaders, body: SHAPE.replace("name: shape", "name: bad").replace("$sum(items.(price * qty))", "$sum(items.(price * qty)") });
    assert.equal(bad.status, 422, JSON.stringify(bad.body));
    assert.equal(bad.body.error.code, "invalid_workflow");
    const [issue] = bad.body.error.errors;
    assert.equal(issue?.code, "invalid_expression", JSON.stringify(bad.body));
    assert.equal(issue.node, "totals");
    assert.equal(typeof issue.line, "number");
    assert.ok(issue.hint);
    const failing = SHAPE.replace("name: shape", "name: failing").replace(/expression: .*/, `expression: '"a" + 1'`);
    const run = await ex.json("/execute", { method: "POST", headers: jsonHeaders, body: JSON.stringify({ workflow: failing, input: {} }) });
    assert.equal(run.body.status, "failed", JSON.stringify(run.body));
    assert.equal(run.body.nodes[0].error.code, "expression_error");
  });
});
