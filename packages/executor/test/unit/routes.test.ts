/**
 * Route tests in-process: the executor app over in-memory ports (fast layer, `npm run test:unit`).
 * What needs the real runtime (bindings, bundling, the Worker Loader, sockets) stays in ../*.test.ts.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { recordingHooks } from "@arcrun/core";
import { inMemoryExecutor, json, ORIGIN, yaml } from "./in-memory";

const GREET = `name: greet
flow:
  - "input >> ON_SUCCESS >> hello"
config:
  hello:
    component: code
    input: "{{input}}"
    code: "return 'hello ' + (input.who ?? 'world')"
`;

const BROKEN = `name: greet
flow:
  - "input >> ON_SUCCESS >> hello"
config:
  hello:
    component: cod
    code: "return 1"
`;

describe("workflows CRUD (in-process)", () => {
  test("create 201, update 200 keeping token and created_at, list, get, delete, then 404", async () => {
    const ex = inMemoryExecutor();
    const created = await ex.json("/workflows", { method: "POST", headers: yaml, body: GREET });
    assert.equal(created.status, 201);
    assert.equal(created.body.query_url, `${ORIGIN}/q/greet`);
    assert.match(created.body.webhook_url, new RegExp(`^${ORIGIN}/webhooks/[0-9a-f]{32,}/trigger$`));
    const first = await ex.json("/workflows/greet");
    assert.equal(first.body.created_at, "2026-12-01T12:00:00.000Z", "timestamps come from the injected clock");

    ex.services.clock.advance(60_000);
    const changed = GREET.replace("hello '", "hi '");
    const updated = await ex.json("/workflows", { method: "POST", headers: json, body: JSON.stringify({ yaml: changed }) });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.webhook_url, created.body.webhook_url);
    const got = await ex.json("/workflows/greet");
    assert.equal(got.body.yaml, changed);
    assert.equal(got.body.created_at, "2026-12-01T12:00:00.000Z");
    assert.equal(got.body.updated_at, "2026-12-01T12:01:00.000Z");
    assert.notEqual(got.body.hash, first.body.hash);

    const list = await ex.json("/workflows");
    assert.deepEqual(list.body.workflows.map((w: { name: string }) => w.name), ["greet"]);

    const deleted = await ex.json("/workflows/greet", { method: "DELETE" });
    assert.deepEqual([deleted.status, deleted.body], [200, { name: "greet", deleted: true }]);
    const gone = await ex.json("/workflows/greet");
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error.code, "workflow_not_found");
    assert.equal(await ex.services.workflows.get("greet"), undefined);
  });

  test("an invalid workflow is 422 with its line and node, and nothing is stored", async () => {
    const ex = inMemoryExecutor();
    const { status, body } = await ex.json("/workflows", { method: "POST", headers: yaml, body: BROKEN });
    assert.equal(status, 422);
    assert.equal(body.error.code, "invalid_workflow");
    const issue = body.error.errors.find((e: { node?: string }) => e.node === "hello");
    assert.equal(issue?.line, 6);
    assert.match(JSON.stringify(issue), /code/, "did you mean code");
    assert.deepEqual(await ex.services.workflows.list(), []);
  });
});

describe("execute and runs (in-process)", () => {
  test("POST /execute returns the finished run; the run-finished hook records it for GET /runs", async () => {
    const hooks = recordingHooks();
    const ex = inMemoryExecutor({ hooks });
    const { status, body: run } = await ex.json("/execute", { method: "POST", headers: json, body: JSON.stringify({ workflow: GREET, input: { who: "ada" } }) });
    assert.equal(status, 200);
    assert.equal(run.status, "succeeded");
    assert.equal(run.result, "hello ada");
    assert.equal(run.trigger, "execute");
    assert.equal(run.started_at, "2026-12-01T12:00:00.000Z");
    assert.deepEqual(run.nodes.map((n: { node: string; status: string }) => [n.node, n.status]), [["hello", "succeeded"]]);
    assert.deepEqual(hooks.events.map((e) => e.hook), ["runStarted", "nodeFinished", "runFinished"], "services.hooks see the run");

    await ex.settle();
    const stored = await ex.json(`/runs/${run.run_id}`);
    assert.equal(stored.status, 200);
    assert.deepEqual(stored.body, run);
    const list = await ex.json("/runs?workflow=greet&status=succeeded");
    assert.deepEqual(list.body.runs.map((r: { run_id: string }) => r.run_id), [run.run_id]);
    assert.equal("nodes" in list.body.runs[0], false);
  });

  test("a credential value is redacted from the returned and the recorded run", async () => {
    const ex = inMemoryExecutor({ secrets: { api_token: "tok-5ecret-value" } });
    const wf = `name: leak\nflow:\n  - "input >> ON_SUCCESS >> echo"\nconfig:\n  echo:\n    component: code\n    input: "{{credential.api_token}}"\n    code: "return 'got ' + input"\n`;
    const { body: run } = await ex.json("/execute", { method: "POST", headers: json, body: JSON.stringify({ workflow: wf }) });
    assert.equal(run.status, "succeeded", JSON.stringify(run));
    await ex.settle();
    const stored = await ex.services.runs.get(run.run_id);
    for (const text of [JSON.stringify(run), JSON.stringify(stored)]) assert.ok(!text.includes("tok-5ecret-value"), text);
  });

  test("a webhook answers 202 with a run id; the run is saved running, then finished", async () => {
    const ex = inMemoryExecutor();
    const created = await ex.json("/workflows", { method: "POST", headers: yaml, body: GREET });
    const path = new URL(created.body.webhook_url).pathname;
    const res = await ex.json(path, { method: "POST", headers: json, body: JSON.stringify({ who: "bob" }), auth: false });
    assert.equal(res.status, 202);
    assert.equal((await ex.services.runs.get(res.body.run_id))?.status, "running");
    await ex.settle();
    const run = (await ex.json(`/runs/${res.body.run_id}`)).body;
    assert.deepEqual([run.status, run.result, run.trigger], ["succeeded", "hello bob", "webhook"]);
  });

  test("POST /runs/:id/events/:name: 400 for a bad name or body, 404 unknown run, 409 run_finished, 409 run_not_durable without Workflows", async () => {
    const ex = inMemoryExecutor();
    const post = (path: string, body = "{}", headers: Record<string, string> = json) => ex.json(path, { method: "POST", headers, body });
    await ex.services.runs.save({ run_id: "going", workflow: "w", status: "running", result: null, started_at: "2026-12-01T12:00:00.000Z", duration_ms: 0, nodes: [] });
    await ex.services.runs.save({ run_id: "over", workflow: "w", status: "succeeded", result: 1, started_at: "2026-12-01T12:00:00.000Z", duration_ms: 1, nodes: [] });
    const cases: [string, number, string, string?, Record<string, string>?][] = [
      ["/runs/going/events/Bad-Name", 400, "invalid_event_name"],
      ["/runs/going/events/approval", 400, "invalid_json", "{not json"],
      ["/runs/going/events/approval", 415, "unsupported_media_type", "x", { "content-type": "text/plain" }],
      ["/runs/nope/events/approval", 404, "run_not_found"],
      ["/runs/over/events/approval", 409, "run_finished"],
      ["/runs/going/events/approval", 409, "run_not_durable"],
    ];
    for (const [path, status, code, body, headers] of cases) {
      const res = await post(path, body, headers);
      assert.deepEqual([res.status, res.body.error?.code], [status, code], `${path} ${body ?? ""}`);
      assert.ok(res.body.error.hint, code);
    }
  });

  test("bad query parameters are 400 invalid_query; an unknown run is 404", async () => {
    const ex = inMemoryExecutor();
    const bad = await ex.json("/runs?status=bogus");
    assert.deepEqual([bad.status, bad.body.error.code], [400, "invalid_query"]);
    const missing = await ex.json("/runs/nope");
    assert.deepEqual([missing.status, missing.body.error.code], [404, "run_not_found"]);
  });
});

describe("auth (in-process)", () => {
  test("no key or a wrong key is 401; /health is public", async () => {
    const ex = inMemoryExecutor();
    const none = await ex.json("/workflows", { auth: false });
    assert.deepEqual([none.status, none.body.error.code], [401, "unauthorized"]);
    const wrong = await ex.json("/workflows", { headers: { authorization: "Bearer nope" } });
    assert.equal(wrong.status, 401);
    assert.match(wrong.body.error.message, /wrong/);
    assert.equal((await ex.request("/health", { auth: false })).status, 200);
  });

  test("an executor without ARCRUN_API_KEY refuses with 503 not_configured", async () => {
    const ex = inMemoryExecutor({ apiKey: null });
    const { status, body } = await ex.json("/runs");
    assert.deepEqual([status, body.error.code], [503, "not_configured"]);
  });
});
