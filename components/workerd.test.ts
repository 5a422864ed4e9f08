// The bundled components inside the real executor Worker (workerd via Miniflare): compiled
// .wasm modules imported at build time, run in-process through the same WASI host.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import buildComponents from "@arcrun/local/build/components.mjs";
import { jsonHeaders, startExecutor, type TestExecutor } from "@arcrun/local/host/test-executor";

const SIGNUP = `
name: signup
flow:
  - "input >> ON_SUCCESS >> check"
  - "check >> ON_SUCCESS >> shout"
  - "check >> ON_FAILURE >> explain"
config:
  check:
    component: validate_json
    schema:
      type: object
      required: [name, email]
      properties:
        name: {type: string, minLength: 2}
        email: {type: string}
    data: "{{input}}"
  shout:
    component: text_case
    text: "{{check.data.name}}"
    case: upper
  explain:
    component: code
    input: "{{check.error}}"
    code: "return input.details.map((d) => d.path + ' ' + d.message).join('; ')"
`;

describe("bundled components in workerd", () => {
  let ex: TestExecutor;
  before(async () => {
    await buildComponents({ root: fileURLToPath(new URL("..", import.meta.url)), log: () => {} });
    ex = await startExecutor();
  });
  after(() => ex?.stop());

  const execute = (workflow: string, input: unknown) =>
    ex.json("/execute", { method: "POST", headers: jsonHeaders, body: JSON.stringify({ workflow, input }) });

  test("validate_json then text_case run in a workflow", async () => {
    const { status, body } = await execute(SIGNUP, { name: "ada", email: "ada@example.com" });
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.status, "succeeded", JSON.stringify(body));
    assert.equal(body.result, "ADA");
  });

  test("a validation failure carries every violation to the ON_FAILURE branch", async () => {
    const { body } = await execute(SIGNUP, { name: "a", email: 5 });
    const check = body.nodes.find((n: { node: string }) => n.node === "check");
    assert.equal(check.status, "failed");
    assert.equal(check.error.code, "validation_failed");
    assert.deepEqual(check.error.details, [
      { path: "/name", message: "must be at least 2 characters long, got 1" },
      { path: "/email", message: "must be string, got number" },
    ]);
    assert.equal(body.result, "/name must be at least 2 characters long, got 1; /email must be string, got number");
  });

  test("parameters failing input_schema fail the node with invalid_input naming the field", async () => {
    const workflow = `name: bad\nflow: ["input >> ON_SUCCESS >> b"]\nconfig:\n  b:\n    component: base64\n    action: encode\n    text: "{{input.n}}"\n`;
    const { body } = await execute(workflow, { n: 42 });
    assert.equal(body.status, "failed");
    assert.equal(body.nodes[0].error.code, "invalid_input");
    assert.match(body.nodes[0].error.message, /text: value type "number" is invalid/);
  });

  test("a component that runs out of fuel ends as timeout, and the executor serves the next run", async () => {
    const workflow = `name: slow\nflow: ["input >> ON_SUCCESS >> v"]\nconfig:\n  v:\n    component: validate_json\n    schema: {type: array, items: {type: number, minimum: 0}}\n    data: "{{input.list}}"\n    limits: {timeout_ms: 1}\n`;
    const list = Array.from({ length: 20000 }, (_, i) => i);
    const { body } = await execute(workflow, { list });
    assert.equal(body.status, "failed");
    assert.equal(body.nodes[0].error.code, "timeout", JSON.stringify(body.nodes[0].error));
    const next = await execute(SIGNUP, { name: "bob", email: "b@example.com" });
    assert.equal(next.body.result, "BOB");
  });

  test("the C component runs through the same host", async () => {
    const workflow = `name: rev\nflow: ["input >> ON_SUCCESS >> r"]\nconfig:\n  r:\n    component: c_reverse\n    text: "{{input.word}}"\n`;
    const { body } = await execute(workflow, { word: "héllo 😀" });
    assert.equal(body.status, "succeeded", JSON.stringify(body));
    assert.equal(body.result, "😀 olléh");
  });
});
