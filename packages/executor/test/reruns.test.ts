/**
 * Runs that outlive their first attempt, in real workerd: a background run records each node
 * as it finishes (an interrupted one keeps its traces and duration), `on_error` starts its
 * handler once (one level), and `POST /runs/:id/rerun` reruns from the start or from a node,
 * pinned to the recorded version or on the current one, reusing the recorded upstream outputs.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { RunRecordSchema } from "@arcrun/core";
import { failInterruptedRuns } from "@arcrun/local/host/interrupted-runs";
import { eventually, jsonHeaders, startExecutor, yamlHeaders, type TestExecutor } from "@arcrun/local/host/test-executor";

let hits = 0;
// /count answers how many times it was called; /never accepts and never answers
const host: Server = createServer((req, res) => {
  if (req.url === "/count") res.end(JSON.stringify({ hits: ++hits }));
});
await new Promise<void>((ok) => host.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;

const chain = (plus: number) => `name: chain
egress: ["127.0.0.1"]
flow:
  - "input >> ON_SUCCESS >> count"
  - "count >> ON_SUCCESS >> add"
config:
  count:
    component: http_request
    url: "${base}/count"
  add:
    component: code
    input: {hits: "{{count.data.body}}", n: "{{input.n}}"}
    code: "return { hits: JSON.parse(input.hits).hits, n: input.n + ${plus} }"
`;

const SLOW = `name: slow
egress: ["127.0.0.1"]
flow:
  - "input >> ON_SUCCESS >> first"
  - "first >> ON_SUCCESS >> wait"
config:
  first:
    component: code
    code: "return 'done'"
  wait:
    component: http_request
    url: "${base}/never"
    limits: {timeout_ms: 60000}
`;

const failing = (name: string, onError: string) => `name: ${name}
on_error: ${onError}
flow: ["input >> ON_SUCCESS >> boom"]
config:
  boom:
    component: code
    code: "throw new Error('kaput in ${name}')"
`;

const HANDLER = `name: handler
flow: ["input >> ON_SUCCESS >> echo"]
config:
  echo:
    component: code
    input: "{{input}}"
    code: "return input"
`;

describe("durable runs: progress, on_error, rerun", () => {
  let ex: TestExecutor;
  const push = async (yaml: string) => {
    const { status, body } = await ex.json("/workflows", { method: "POST", headers: yamlHeaders, body: yaml });
    assert.ok(status === 200 || status === 201, JSON.stringify(body));
    return body;
  };
  const query = async (name: string, input: unknown) =>
    (await ex.json(`/webhooks/named/${name}/query`, { method: "POST", headers: jsonHeaders, body: JSON.stringify(input) })).body;
  const rerun = (id: string, body?: unknown) =>
    ex.json(`/runs/${id}/rerun`, { method: "POST", headers: jsonHeaders, body: body === undefined ? "" : JSON.stringify(body) });
  const saved = (id: string) => eventually(async () => ((await ex.json(`/runs/${id}`)).status === 200 ? true : undefined), `run ${id} saved`);

  before(async () => {
    ex = await startExecutor();
  });
  after(async () => {
    await ex.stop();
    host.closeAllConnections();
    host.close();
  });

  test("a background run records each node as it finishes; interrupted, it keeps them and a real duration", async () => {
    const { webhook_url } = await push(SLOW);
    const hook = await ex.fetch(new URL(webhook_url).pathname, { method: "POST", auth: false });
    assert.equal(hook.status, 202);
    const { run_id } = (await hook.json()) as { run_id: string };
    const running = await eventually(async () => {
      const { body } = await ex.json(`/runs/${run_id}`);
      return body.status === "running" && body.nodes.length === 1 ? body : undefined;
    }, "the first node recorded while the run goes on");
    assert.equal(running.nodes[0].node, "first");
    assert.equal(running.nodes[0].output, "done");
    assert.ok(running.duration_ms > 0, `duration so far: ${running.duration_ms}`);

    // what the dev server does on its next start (workerd was killed mid-run)
    assert.equal(await failInterruptedRuns(await ex.mf.getD1Database("ARCRUN_DB")), 1);
    const { body: cut } = await ex.json(`/runs/${run_id}`);
    assert.equal(cut.status, "failed");
    assert.equal(cut.error.code, "interrupted");
    assert.deepEqual(cut.nodes.map((n: { node: string }) => n.node), ["first"]);
    assert.ok(cut.duration_ms >= running.duration_ms);
    assert.ok(RunRecordSchema.safeParse(cut).success);
  });

  test("on_error: a failed run starts its handler with {run_id, workflow, failed_node, error}, once, one level deep", async () => {
    await push(HANDLER);
    await push(failing("bad_handler", "handler"));
    await push(failing("fails", "bad_handler"));
    const failed = await query("fails", {});
    assert.equal(failed.status, "failed");
    // fails → bad_handler (fails too) → not handler: an on_error run does not start its own handler
    const handled = await eventually(async () => {
      const { body } = await ex.json("/runs?workflow=bad_handler");
      return body.runs.find((r: { status: string }) => r.status !== "running");
    }, "the on_error run to finish");
    assert.equal(handled.trigger, "on_error");
    assert.equal(handled.status, "failed");
    const { body: record } = await ex.json(`/runs/${handled.run_id}`);
    assert.deepEqual(record.input, { run_id: failed.run_id, workflow: "fails", failed_node: "boom", error: { code: failed.error.code, message: failed.error.message } });
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await ex.json("/runs?workflow=handler")).body.runs.length, 0, "no second level");

    // a manual run (/execute) that fails also starts it
    const manual = (await ex.json("/execute", { method: "POST", headers: jsonHeaders, body: JSON.stringify({ workflow: failing("inline", "handler"), input: {} }) })).body;
    const echoed = await eventually(async () => {
      const { body } = await ex.json("/runs?workflow=handler");
      return body.runs.find((r: { status: string }) => r.status === "succeeded");
    }, "the handler run");
    assert.equal(echoed.result.run_id, manual.run_id);
    assert.equal(echoed.result.failed_node, "boom");
  });

  test("rerun from the start, and from a node reusing upstream outputs, pinned and current after an edit", async () => {
    await push(chain(1));
    const first = await query("chain", { n: 10 });
    assert.equal(first.status, "succeeded", JSON.stringify(first.error));
    assert.deepEqual(first.result, { hits: hits, n: 11 });
    const hitsBefore = hits;
    await saved(first.run_id);

    const again = await rerun(first.run_id);
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body.rerun_of, first.run_id);
    assert.equal(again.body.trigger, "rerun");
    assert.deepEqual(again.body.result, { hits: hitsBefore + 1, n: 11 }, "from the start: count ran again on the same input");

    await push(chain(100)); // the workflow is edited after the run
    const pinned = await rerun(first.run_id, { from: "add" });
    assert.equal(pinned.status, 200, JSON.stringify(pinned.body));
    assert.deepEqual(pinned.body.result, { hits: hitsBefore, n: 11 }, "pinned: the recorded version, count's recorded output reused");
    assert.equal(hits, hitsBefore + 1, "count did not run again");
    assert.equal(pinned.body.workflow_hash, first.workflow_hash);

    const current = await rerun(first.run_id, { from: "add", version: "current" });
    assert.equal(current.status, 200, JSON.stringify(current.body));
    assert.deepEqual(current.body.result, { hits: hitsBefore, n: 110 }, "current: the edited add, count reused");
    assert.notEqual(current.body.workflow_hash, first.workflow_hash);
    await saved(current.body.run_id);
    assert.equal((await ex.json(`/runs/${current.body.run_id}`)).body.rerun_of, first.run_id);
  });

  test("bad reruns: unknown run 404, unknown node 422 naming the nodes, a version not stored 404 with a hint", async () => {
    assert.equal((await rerun("nope")).body.error.code, "run_not_found");
    const run = await query("chain", { n: 1 });
    await saved(run.run_id);
    const unknown = await rerun(run.run_id, { from: "ad" });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.error.code, "rerun_unknown_node");
    assert.match(unknown.body.error.hint, /count, add/);
    const badBody = await rerun(run.run_id, { version: "latest" });
    assert.equal(badBody.status, 400);
    // /execute runs are never stored as a version: the pinned rerun has nothing to run
    const inline = (await ex.json("/execute", { method: "POST", headers: jsonHeaders, body: JSON.stringify({ workflow: HANDLER.replace("name: handler", "name: inline_only"), input: { a: 1 } }) })).body;
    await saved(inline.run_id);
    const gone = await rerun(inline.run_id);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error.code, "workflow_version_not_found");
    assert.match(gone.body.error.hint, /current/);
  });
});
