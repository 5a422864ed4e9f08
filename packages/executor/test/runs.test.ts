/**
 * Running workflows through every trigger of the real Worker and reading the runs back:
 * POST /execute, webhook (202 then finished in the background), GET /q, named query,
 * GET /runs filters, GET /runs/:id traces. Every run returned has the one run shape.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { RunRecordSchema } from "@arcrun/core";
import { eventually, jsonHeaders, startExecutor, yamlHeaders, type TestExecutor } from "@arcrun/local/host/test-executor";

const ROUTE = `name: route
flow:
  - "input >> ON_SUCCESS >> shape"
  - "(shape)-[:ON_SUCCESS]->(adult)"
  - "(adult)-[:ON_TRUE]->(welcome)"
  - "(adult)-[:ON_FALSE]->(refuse)"
  - "welcome >> ON_SUCCESS >> done"
  - "refuse >> ON_SUCCESS >> done"
config:
  shape:
    component: code
    input: "{{input}}"
    code: "return { name: String(input.name), age: Number(input.age) }"
  adult:
    component: if
    condition: {value: "{{shape.data.age}}", op: gte, to: 18}
  welcome:
    component: code
    input: "{{shape.data}}"
    code: "return 'welcome ' + input.name"
  refuse:
    component: code
    input: "{{shape.data}}"
    code: "return 'sorry ' + input.name"
  done:
    component: merge
    mode: first
`;

const FAILING = `name: failing
flow: ["input >> ON_SUCCESS >> boom"]
config:
  boom:
    component: code
    code: "throw new Error('kaput')"
`;

function assertRunShape(run: unknown) {
  const parsed = RunRecordSchema.safeParse(run);
  assert.ok(parsed.success, `run shape: ${JSON.stringify(parsed.error?.issues)}`);
}

describe("runs", () => {
  let ex: TestExecutor;
  let webhookPath = "";
  before(async () => {
    ex = await startExecutor();
    for (const yaml of [ROUTE, FAILING]) {
      const { status, body } = await ex.json("/workflows", { method: "POST", headers: yamlHeaders, body: yaml });
      assert.equal(status, 201, JSON.stringify(body));
      if (body.name === "route") webhookPath = new URL(body.webhook_url).pathname;
    }
  });
  after(() => ex.stop());

  test("POST /execute runs inline YAML and returns the finished run", async () => {
    const { status, body } = await ex.json("/execute", { method: "POST", headers: jsonHeaders, body: JSON.stringify({ workflow: ROUTE, input: { name: "ada", age: 36 } }) });
    assert.equal(status, 200);
    assertRunShape(body);
    assert.equal(body.status, "succeeded");
    assert.equal(body.result, "welcome ada");
    assert.equal(body.trigger, "execute");
    assert.deepEqual(body.nodes.map((n: { node: string; status: string }) => `${n.node}:${n.status}`), ["shape:succeeded", "adult:succeeded", "welcome:succeeded", "refuse:skipped", "done:succeeded"]);
    // the run is saved in the background (waitUntil) right after the answer
    const stored = await eventually(async () => {
      const r = await ex.json(`/runs/${body.run_id}`);
      return r.status === 200 ? r.body : undefined;
    }, "the run to be saved");
    assert.deepEqual(stored, body, "GET /runs/:id returns the same record");
  });

  test("POST /execute accepts the workflow as an object", async () => {
    const workflow = { name: "inline", flow: ["input >> ON_SUCCESS >> twice"], config: { twice: { component: "code", input: "{{input.n}}", code: "return input * 2" } } };
    const { status, body } = await ex.json("/execute", { method: "POST", headers: jsonHeaders, body: JSON.stringify({ workflow, input: { n: 21 } }) });
    assert.equal(status, 200);
    assert.equal(body.result, 42);
  });

  test("POST /execute with an invalid workflow is 422", async () => {
    const { status, body } = await ex.json("/execute", { method: "POST", headers: jsonHeaders, body: JSON.stringify({ workflow: "name: x\nflow: ['input >> ON_SUCCESS >> y']\nconfig: {}\n" }) });
    assert.equal(status, 422);
    assert.equal(body.error.code, "invalid_workflow");
    assert.ok(body.error.errors[0].line);
  });

  test("a node failure is a failed run (200, status failed), not an HTTP error", async () => {
    const { status, body } = await ex.json("/webhooks/named/failing/query", { method: "POST", headers: jsonHeaders, body: "{}" });
    assert.equal(status, 200);
    assertRunShape(body);
    assert.equal(body.status, "failed");
    assert.equal(body.error.node, "boom");
    assert.match(body.error.message, /kaput/);
    assert.equal(body.nodes[0].status, "failed");
  });

  test("an endless loop ends as a timeout and the executor keeps serving", async () => {
    const workflow = `name: spin\nflow: ["input >> ON_SUCCESS >> spin"]\nconfig:\n  spin:\n    component: code\n    code: "while (true) {}"\n    limits: {timeout_ms: 200}\n`;
    const { body } = await ex.json("/execute", { method: "POST", headers: jsonHeaders, body: JSON.stringify({ workflow }) });
    assert.equal(body.status, "failed");
    assert.equal(body.nodes[0].error.code, "timeout");
    assert.equal((await ex.json("/health", { auth: false })).status, 200);
  });

  test("GET /q/:name takes the query string as input", async () => {
    const { status, body } = await ex.json("/q/route?name=tim&age=9");
    assert.equal(status, 200);
    assertRunShape(body);
    assert.equal(body.result, "sorry tim");
    assert.deepEqual(body.nodes[0].input.input, { name: "tim", age: "9" }, "query values arrive as strings");
    assert.equal(body.trigger, "query");
  });

  test("POST /webhooks/named/:name/query takes the JSON body as input", async () => {
    const { status, body } = await ex.json("/webhooks/named/route/query", { method: "POST", headers: jsonHeaders, body: JSON.stringify({ name: "eve", age: 20 }) });
    assert.equal(status, 200);
    assert.equal(body.result, "welcome eve");
  });

  test("the webhook needs no key, answers 202 {run_id}, and the run finishes in the background", async () => {
    const { status, body } = await ex.json(webhookPath, { method: "POST", auth: false, headers: jsonHeaders, body: JSON.stringify({ name: "bob", age: 50 }) });
    assert.equal(status, 202);
    assert.deepEqual(Object.keys(body), ["run_id"]);
    const run = await eventually(async () => {
      const r = await ex.json(`/runs/${body.run_id}`);
      return r.status === 200 && r.body.status !== "running" ? r.body : undefined;
    }, "the webhook run to finish");
    assertRunShape(run);
    assert.equal(run.status, "succeeded");
    assert.equal(run.result, "welcome bob");
    assert.equal(run.trigger, "webhook");
    for (const node of run.nodes) {
      for (const key of ["node", "component", "status", "input", "output", "error", "attempts", "duration_ms"]) assert.ok(key in node, `${node.node} has ${key}`);
    }
  });

  test("the webhook answers 202 before a long synchronous node holds the isolate", async () => {
    const spin = `name: spin_hook\nflow: ["input >> ON_SUCCESS >> spin"]\nconfig:\n  spin:\n    component: code\n    code: "while (true) {}"\n    limits: {timeout_ms: 1500, cpu_ms: 1500}\n`;
    const stored = await ex.json("/workflows", { method: "POST", headers: yamlHeaders, body: spin });
    const sent = performance.now();
    const hook = await ex.json(new URL(stored.body.webhook_url).pathname, { method: "POST", auth: false });
    const answeredAfter = performance.now() - sent;
    assert.equal(hook.status, 202);
    const run = await eventually(async () => {
      const r = await ex.json(`/runs/${hook.body.run_id}`);
      return r.body.status !== "running" ? r.body : undefined;
    }, "the spinning run to time out");
    assert.equal(run.nodes[0].error.code, "timeout");
    // relative, not a threshold: the answer came before the loop it started had finished
    assert.ok(answeredAfter < run.duration_ms, `202 after ${answeredAfter} ms, loop ran ${run.duration_ms} ms`);
  });

  test("the webhook rejects malformed JSON with 400 and starts no run", async () => {
    const webhookRuns = async () => (await ex.json("/runs?workflow=route&limit=500")).body.runs.filter((r: { trigger: string }) => r.trigger === "webhook").length;
    const before = await webhookRuns();
    const { status, body } = await ex.json(webhookPath, { method: "POST", auth: false, headers: jsonHeaders, body: "{nope" });
    assert.equal(status, 400);
    assert.equal(body.error.code, "invalid_json");
    assert.equal(await webhookRuns(), before);
  });

  test("GET /runs filters by workflow and status, newest first, limited", async () => {
    for (let i = 0; i < 3; i++) await ex.json(`/q/route?name=n${i}&age=30`);
    const expected = 8; // runs of `route` and `failing` started by the tests above
    const all = await eventually(async () => {
      const r = await ex.json("/runs?limit=500");
      return r.body.runs.filter((run: { workflow: string }) => run.workflow === "route" || run.workflow === "failing").length >= expected ? r : undefined;
    }, "the runs to be saved");
    assert.equal(all.status, 200);
    assert.ok(all.body.runs.length >= 6);
    assert.ok(all.body.runs.every((r: object) => !("nodes" in r)), "list entries carry no traces");
    const starts = all.body.runs.map((r: { started_at: string }) => r.started_at);
    assert.deepEqual(starts, [...starts].sort().reverse(), "newest first");

    const route = await ex.json("/runs?workflow=route");
    assert.ok(route.body.runs.length >= 5);
    assert.ok(route.body.runs.every((r: { workflow: string }) => r.workflow === "route"));

    const failed = await ex.json("/runs?status=failed");
    assert.ok(failed.body.runs.length >= 1);
    assert.ok(failed.body.runs.every((r: { status: string }) => r.status === "failed"));

    const failedRoute = await ex.json("/runs?workflow=route&status=failed");
    assert.deepEqual(failedRoute.body.runs, []);

    const two = await ex.json("/runs?workflow=route&limit=2");
    assert.equal(two.body.runs.length, 2);
    assert.deepEqual(two.body.runs, route.body.runs.slice(0, 2));
  });
});
