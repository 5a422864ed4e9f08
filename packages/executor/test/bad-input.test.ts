/**
 * Issue 10 items 8–10 against the real Worker in workerd: input that used to be a 500 is a
 * specific 4xx (an alias bomb 422 with its line, input nested too deep 400 `input_too_deep`
 * before any run starts), a literal parameter the component's input_schema refuses is a 422
 * at push and execute, and keys named like JavaScript properties survive a run, its response
 * and the record read back from D1.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { MAX_INPUT_DEPTH } from "@arcrun/core";
import { eventually, jsonHeaders, startExecutor, yamlHeaders, type TestExecutor } from "@arcrun/local/host/test-executor";

const ECHO = `name: echo
flow:
  - "input >> ON_SUCCESS >> js"
config:
  js:
    component: code
    input: "{{input}}"
    code: "return input"
`;

const ALIAS_BOMB = `name: bomb
flow:
  - "input >> ON_SUCCESS >> js"
config:
  js: {component: code, code: "return 1"}
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
`;

const SHOUTING = `name: shouting
flow:
  - "input >> ON_SUCCESS >> loud"
config:
  loud:
    component: text_case
    text: "{{input.name}}"
    case: shouting
`;

const OWN_KEYS = `name: own_keys
flow:
  - "input >> ON_SUCCESS >> check"
  - "check >> ON_SUCCESS >> js"
config:
  check:
    component: validate_json
    schema:
      type: object
      required: [constructor, "__proto__"]
      properties:
        "__proto__": {type: object, required: [admin]}
        constructor: {type: string}
        toString: {type: number}
    data: "{{input}}"
  js:
    component: code
    input: {whole: "{{check.data}}", ctor: "{{input.constructor}}", proto: "{{input.__proto__}}"}
    code: "return { keys: Object.keys(input.whole), ctor: input.ctor, admin: input.proto.admin, has: input.whole.hasOwnProperty }"
`;

/** `[[[…]]]` nested `levels` deep, as text (the test process never builds the value itself). */
const nestedText = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;

describe("bad input is a 4xx, never a 500", () => {
  let ex: TestExecutor;
  let webhookPath: string;
  before(async () => {
    ex = await startExecutor();
    const stored = await ex.json("/workflows", { method: "POST", headers: yamlHeaders, body: ECHO });
    assert.equal(stored.status, 201, JSON.stringify(stored.body));
    webhookPath = new URL(stored.body.webhook_url).pathname;
  });
  after(() => ex.stop());

  test("a YAML alias bomb is 422 invalid_workflow with its line, on push and on /execute", async () => {
    const pushed = await ex.json("/workflows", { method: "POST", headers: yamlHeaders, body: ALIAS_BOMB });
    assert.equal(pushed.status, 422, JSON.stringify(pushed.body));
    assert.equal(pushed.body.error.code, "invalid_workflow");
    assert.equal(pushed.body.error.errors[0].code, "yaml_aliases");
    assert.equal(pushed.body.error.errors[0].line, 8);
    const executed = await ex.json("/execute", { method: "POST", headers: jsonHeaders, body: JSON.stringify({ workflow: ALIAS_BOMB }) });
    assert.equal(executed.status, 422, JSON.stringify(executed.body));
    assert.equal(executed.body.error.errors[0].line, 8);
  });

  test(`input nested deeper than ${MAX_INPUT_DEPTH} levels is 400 input_too_deep on /execute, the named query and the webhook; no run starts`, async () => {
    const runsBefore = (await ex.json("/runs?limit=500")).body.runs.length;
    const deep = nestedText(10_000);
    const answers = [
      await ex.json("/execute", { method: "POST", headers: jsonHeaders, body: `{"workflow": ${JSON.stringify(ECHO)}, "input": ${deep}}` }),
      await ex.json("/webhooks/named/echo/query", { method: "POST", headers: jsonHeaders, body: deep }),
      await ex.json(webhookPath, { method: "POST", headers: jsonHeaders, body: deep, auth: false }),
      await ex.json("/execute", { method: "POST", headers: jsonHeaders, body: `{"workflow": ${nestedText(10_000)}}` }),
    ];
    for (const [i, { status, body }] of answers.entries()) {
      assert.equal(status, 400, `#${i}: ${JSON.stringify(body).slice(0, 300)}`);
      assert.equal(body.error.code, "input_too_deep");
      assert.equal(body.error.limit, MAX_INPUT_DEPTH);
      assert.match(body.error.message, new RegExp(`more than ${MAX_INPUT_DEPTH} levels`));
    }
    assert.equal((await ex.json("/runs?limit=500")).body.runs.length, runsBefore, "nothing was run or recorded");
  });

  test(`input exactly ${MAX_INPUT_DEPTH} levels deep runs`, async () => {
    const { status, body } = await ex.json("/webhooks/named/echo/query", { method: "POST", headers: jsonHeaders, body: nestedText(MAX_INPUT_DEPTH) });
    assert.equal(status, 200, JSON.stringify(body).slice(0, 300));
    assert.equal(body.status, "succeeded", JSON.stringify(body.error));
  });

  test("a literal parameter the component's input_schema refuses is 422 on push and /execute, with line, column and node", async () => {
    for (const [path, init] of [
      ["/workflows", { method: "POST", headers: yamlHeaders, body: SHOUTING }],
      ["/execute", { method: "POST", headers: jsonHeaders, body: JSON.stringify({ workflow: SHOUTING, input: { name: "ada" } }) }],
    ] as const) {
      const { status, body } = await ex.json(path, init);
      assert.equal(status, 422, `${path}: ${JSON.stringify(body)}`);
      assert.equal(body.error.code, "invalid_workflow");
      assert.equal(body.error.errors.length, 1, JSON.stringify(body.error.errors));
      const [issue] = body.error.errors;
      assert.deepEqual([issue.code, issue.node, issue.line, issue.column], ["invalid_input", "loud", 8, 11]);
      assert.match(issue.message, /case: value does not match any of \["upper","lower"/);
    }
    assert.equal((await ex.json("/workflows/shouting")).status, 404, "the refused workflow was not stored");
  });

  test("keys named like JavaScript properties survive validate_json, the code node, the response and the stored run", async () => {
    const stored = await ex.json("/workflows", { method: "POST", headers: yamlHeaders, body: OWN_KEYS });
    assert.equal(stored.status, 201, JSON.stringify(stored.body));
    const input = '{"__proto__": {"admin": true}, "constructor": "c-value", "toString": 2, "hasOwnProperty": "h"}';
    const { status, body } = await ex.json("/webhooks/named/own_keys/query", { method: "POST", headers: jsonHeaders, body: input });
    assert.equal(status, 200);
    assert.equal(body.status, "succeeded", JSON.stringify(body.nodes));
    const expected = { keys: ["__proto__", "constructor", "toString", "hasOwnProperty"], ctor: "c-value", admin: true, has: "h" };
    assert.deepEqual(body.result, expected);
    const check = body.nodes.find((n: { node: string }) => n.node === "check");
    assert.deepEqual(check.output, JSON.parse(input));
    const record = await eventually(async () => {
      const r = await ex.json(`/runs/${body.run_id}`);
      return r.status === 200 ? r.body : undefined;
    }, "the stored run");
    assert.deepEqual(record.result, expected);
    assert.deepEqual(Object.keys(record.nodes.find((n: { node: string }) => n.node === "check").output), expected.keys);

    const query = await ex.json("/q/echo?__proto__=p&constructor=c&toString=1&toString=2");
    assert.equal(query.status, 200, JSON.stringify(query.body));
    assert.equal(JSON.stringify(query.body.result), '{"__proto__":"p","constructor":"c","toString":["1","2"]}');

    const refused = await ex.json("/webhooks/named/own_keys/query", { method: "POST", headers: jsonHeaders, body: '{"constructor": 1, "toString": "x"}' });
    assert.equal(refused.body.status, "failed");
    const details = refused.body.nodes.find((n: { node: string }) => n.node === "check").error.details;
    assert.deepEqual(details.map((d: { path: string }) => d.path).sort(), ["/__proto__", "/constructor", "/toString"]);
  });
});
