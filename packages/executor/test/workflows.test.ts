/**
 * Storing workflows through the real Worker: create (201) / update (200, same token), list,
 * get, delete, and 422 with line numbers — a rejected post changes nothing stored.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { jsonHeaders, startExecutor, yamlHeaders, type TestExecutor } from "@arcrun/local/host/test-executor";

const GREET = `name: greet
description: Say hello
flow:
  - "input >> ON_SUCCESS >> hello"
config:
  hello:
    component: code
    input: "{{input}}"
    code: "return 'hello ' + (input.who ?? 'world')"
`;

const BROKEN_GREET = `name: greet
flow:
  - "input >> ON_SUCCESS >> hello"
  - "hello >> ON_SUCCESS >> helo_typo"
config:
  hello:
    component: cod
    code: "return 1"
`;

describe("workflows", () => {
  let ex: TestExecutor;
  before(async () => {
    ex = await startExecutor();
  });
  after(() => ex.stop());

  test("POST /workflows with a YAML body creates it: 201 with its URLs", async () => {
    const { status, body } = await ex.json("/workflows", { method: "POST", headers: yamlHeaders, body: GREET });
    assert.equal(status, 201);
    assert.equal(body.name, "greet");
    assert.equal(body.query_url, `${ex.url}/q/greet`);
    const token = /\/webhooks\/([0-9a-f]+)\/trigger$/.exec(body.webhook_url)?.[1];
    assert.ok(token && token.length >= 32, `token of at least 128 bits: ${body.webhook_url}`);
  });

  test("re-posting (as JSON {yaml}) updates it: 200, same webhook URL, new content", async () => {
    const before = await ex.json("/workflows/greet");
    const changed = GREET.replace("Say hello", "Say hello again");
    const { status, body } = await ex.json("/workflows", { method: "POST", headers: jsonHeaders, body: JSON.stringify({ yaml: changed }) });
    assert.equal(status, 200);
    assert.equal(body.webhook_url, before.body.webhook_url);
    const after = await ex.json("/workflows/greet");
    assert.equal(after.body.yaml, changed);
    assert.notEqual(after.body.hash, before.body.hash);
    assert.equal(after.body.created_at, before.body.created_at);
  });

  test("text/plain and application/yaml are YAML too", async () => {
    for (const type of ["text/plain", "application/yaml"]) {
      const { status } = await ex.json("/workflows", { method: "POST", headers: { "content-type": type }, body: GREET.replace("name: greet", "name: greet_plain") });
      assert.ok(status === 201 || status === 200, `${type}: ${status}`);
    }
  });

  test("an invalid workflow is 422 with every problem's line, node and hint", async () => {
    const { status, body } = await ex.json("/workflows", { method: "POST", headers: yamlHeaders, body: BROKEN_GREET });
    assert.equal(status, 422);
    assert.equal(body.error.code, "invalid_workflow");
    assert.ok(body.error.errors.length >= 2, JSON.stringify(body.error.errors));
    for (const issue of body.error.errors) {
      assert.equal(typeof issue.line, "number", JSON.stringify(issue));
      assert.equal(typeof issue.message, "string");
    }
    const unknownComponent = body.error.errors.find((e: { node?: string; message: string }) => e.node === "hello");
    assert.ok(unknownComponent, "the unknown component names its node");
    assert.equal(unknownComponent.line, 7);
    assert.match(JSON.stringify(unknownComponent), /code/, "did you mean code");
  });

  test("a rejected re-post leaves the stored workflow intact", async () => {
    const before = await ex.json("/workflows/greet");
    const { status } = await ex.json("/workflows", { method: "POST", headers: yamlHeaders, body: BROKEN_GREET });
    assert.equal(status, 422);
    const after = await ex.json("/workflows/greet");
    assert.deepEqual(after.body, before.body);
    const run = await ex.json("/q/greet?who=ada");
    assert.equal(run.body.result, "hello ada");
  });

  test("YAML syntax errors are 422 with a line", async () => {
    const { status, body } = await ex.json("/workflows", { method: "POST", headers: yamlHeaders, body: "name: x\nflow: [\n  config: {" });
    assert.equal(status, 422);
    assert.equal(typeof body.error.errors[0].line, "number");
  });

  test("GET /workflows lists them with their URLs", async () => {
    const { status, body } = await ex.json("/workflows");
    assert.equal(status, 200);
    const names = body.workflows.map((w: { name: string }) => w.name);
    assert.ok(names.includes("greet"));
    const greet = body.workflows.find((w: { name: string }) => w.name === "greet");
    assert.match(greet.webhook_url, /\/webhooks\/[0-9a-f]{32,}\/trigger$/);
    assert.match(greet.hash, /^[0-9a-f]{64}$/);
  });

  test("DELETE removes the workflow and its webhook", async () => {
    const created = await ex.json("/workflows", { method: "POST", headers: yamlHeaders, body: GREET.replace("name: greet", "name: doomed") });
    assert.equal(created.status, 201);
    const del = await ex.json("/workflows/doomed", { method: "DELETE" });
    assert.equal(del.status, 200);
    assert.deepEqual(del.body, { name: "doomed", deleted: true });
    assert.equal((await ex.json("/workflows/doomed")).status, 404);
    assert.equal((await ex.json("/workflows/doomed", { method: "DELETE" })).status, 404);
    const hook = await ex.json(new URL(created.body.webhook_url).pathname, { method: "POST", auth: false });
    assert.equal(hook.status, 404);
  });

  test("an empty body or a JSON body without yaml is 400 with a hint", async () => {
    const empty = await ex.json("/workflows", { method: "POST", headers: yamlHeaders, body: "" });
    assert.equal(empty.status, 400);
    assert.ok(empty.body.error.hint);
    const noYaml = await ex.json("/workflows", { method: "POST", headers: jsonHeaders, body: '{"name": "x"}' });
    assert.equal(noYaml.status, 400);
    assert.equal(noYaml.body.error.code, "invalid_request");
    const badJson = await ex.json("/workflows", { method: "POST", headers: jsonHeaders, body: "{yaml:" });
    assert.equal(badJson.status, 400);
    assert.equal(badJson.body.error.code, "invalid_json");
  });
});
