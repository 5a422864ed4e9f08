/**
 * Durable runs in real workerd with Miniflare's Workflows simulator (issue 13 items 4, 5, 8, 9):
 * a webhook run is a Workflows instance whose nodes are steps (a retryable failure retried by
 * the step), `wait` and `wait_for_event` make the run `waiting` and go on after the time or the
 * event (`POST /runs/:id/events/:name`; its bad inputs answer 400 / 404 / 409), an event that
 * does not come fails the node with `event_timeout`; a sync trigger cannot wait; a node output
 * over max_trace_bytes lives in R2 (`output_ref`, `?full=1`, deleted by retention); every
 * outbound call carries the run's `traceparent`. The kill -9 resume test is in
 * packages/cli/test/dev-supervise.test.ts (it needs the supervised dev server).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { RunRecordSchema } from "@arcrun/core";
import { eventually, jsonHeaders, startExecutor, yamlHeaders, type TestExecutor } from "@arcrun/local/host/test-executor";

// /flaky fails twice then answers; /seen records the headers of every request
let flaky = 0;
const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
const host: Server = createServer((req, res) => {
  seen.push({ url: req.url ?? "", headers: req.headers });
  if (req.url === "/flaky") {
    flaky++;
    res.statusCode = flaky <= 2 ? 503 : 200;
    res.end(JSON.stringify({ call: flaky }));
  } else res.end(JSON.stringify({ ok: true }));
});
await new Promise<void>((ok) => host.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;

let ex: TestExecutor;
before(async () => {
  ex = await startExecutor();
});
after(async () => {
  await ex?.stop();
  host.closeAllConnections();
  host.close();
});

async function push(yaml: string): Promise<{ webhook_url: string }> {
  const res = await ex.json("/workflows", { method: "POST", headers: yamlHeaders, body: yaml });
  assert.ok(res.status === 201 || res.status === 200, JSON.stringify(res.body));
  return res.body;
}

async function trigger(webhookUrl: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(webhookUrl, { method: "POST", headers: { ...jsonHeaders, ...headers }, body: JSON.stringify(body) });
  assert.equal(res.status, 202, await res.clone().text());
  return ((await res.json()) as { run_id: string }).run_id;
}

const run = (id: string) => ex.json(`/runs/${id}`).then((r) => r.body);
const until = (id: string, status: string, attempts = 200) =>
  eventually(async () => {
    const r = await run(id);
    return r.status === status ? r : undefined;
  }, `run ${id} ${status}`, attempts);

async function instanceStatus(id: string): Promise<string> {
  const bindings = await ex.mf.getBindings<{ RUNS_WORKFLOW: { get(id: string): Promise<{ status(): Promise<{ status: string }> }> } }>();
  return (await (await bindings.RUNS_WORKFLOW.get(id)).status()).status;
}

describe("durable runs (Workflows)", () => {
  test("a webhook run is a Workflows instance: one step per node, a retryable failure retried by the step", async () => {
    const { webhook_url } = await push(`name: durable_retry
egress: ["127.0.0.1"]
flow: ["input >> ON_SUCCESS >> call", "call >> ON_SUCCESS >> after"]
config:
  call:
    component: http_request
    url: "${base}/flaky"
    limits: {retries: 2, backoff_ms: 20}
  after:
    component: code
    input: "{{call.data.body}}"
    code: "return JSON.parse(input).call"
`);
    flaky = 0;
    const id = await trigger(webhook_url);
    const done = await until(id, "succeeded");
    assert.doesNotThrow(() => RunRecordSchema.parse(done));
    assert.equal(done.result, 3);
    assert.equal(done.nodes.find((n: { node: string }) => n.node === "call").attempts, 3);
    assert.equal(flaky, 3);
    assert.equal(await eventually(async () => ((await instanceStatus(id)) === "complete" ? "complete" : undefined), "instance complete"), "complete");
  });

  test("wait: the run is `waiting` until the time has passed, then goes on", async () => {
    const { webhook_url } = await push(`name: durable_wait
flow: ["input >> ON_SUCCESS >> pause", "pause >> ON_SUCCESS >> after"]
config:
  pause:
    component: wait
    for: "2s"
  after:
    component: code
    code: "return 'awake'"
`);
    const started = Date.now();
    const id = await trigger(webhook_url);
    const waiting = await until(id, "waiting");
    assert.equal(waiting.waiting.node, "pause");
    assert.equal(waiting.waiting.kind, "time");
    assert.ok(Math.abs(Date.parse(waiting.waiting.until) - (started + 2000)) < 1500, waiting.waiting.until);
    const listed = await ex.json(`/runs?workflow=durable_wait&status=waiting`);
    assert.deepEqual(listed.body.runs.map((r: { run_id: string }) => r.run_id), [id]);
    const done = await until(id, "succeeded");
    assert.equal(done.result, "awake");
    assert.equal(done.waiting, undefined);
    assert.ok(Date.now() - started >= 2000);
    assert.ok(done.nodes.find((n: { node: string }) => n.node === "pause").duration_ms >= 1500);
  });

  test("wait_for_event: waiting for approval; the posted body is the node's data; bad events answer 400, 404, 409", async () => {
    const { webhook_url } = await push(`name: durable_approval
flow: ["input >> ON_SUCCESS >> approval", "approval >> ON_SUCCESS >> decide"]
config:
  approval:
    component: wait_for_event
    event: approval
    timeout: "2d"
  decide:
    component: code
    input: "{{approval.data}}"
    code: "return input.approved ? 'ship it by ' + input.by : 'no'"
`);
    const id = await trigger(webhook_url);
    const waiting = await until(id, "waiting");
    assert.deepEqual({ ...waiting.waiting, until: undefined }, { node: "approval", kind: "event", event: "approval", until: undefined });
    assert.ok(Date.parse(waiting.waiting.until) - Date.now() > 47 * 3600 * 1000);

    const bad = await ex.json(`/runs/${id}/events/Not-A-Name`, { method: "POST", headers: jsonHeaders, body: "{}" });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, "invalid_event_name");
    const unknown = await ex.json(`/runs/no-such-run/events/approval`, { method: "POST", headers: jsonHeaders, body: "{}" });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, "run_not_found");

    const sent = await ex.json(`/runs/${id}/events/approval`, { method: "POST", headers: jsonHeaders, body: JSON.stringify({ approved: true, by: "ada" }) });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    const done = await until(id, "succeeded");
    assert.equal(done.result, "ship it by ada");
    assert.deepEqual(done.nodes.find((n: { node: string }) => n.node === "approval").output, { approved: true, by: "ada" });

    const late = await ex.json(`/runs/${id}/events/approval`, { method: "POST", headers: jsonHeaders, body: "{}" });
    assert.equal(late.status, 409);
    assert.equal(late.body.error.code, "run_finished");
    assert.ok(late.body.error.hint);
  });

  test("wait_for_event: no event before the timeout fails the node with event_timeout (an ON_FAILURE route takes it)", async () => {
    const { webhook_url } = await push(`name: durable_timeout
flow: ["input >> ON_SUCCESS >> approval", "approval >> ON_FAILURE >> chase"]
config:
  approval:
    component: wait_for_event
    event: approval
    timeout: "1s"
  chase:
    component: code
    input: "{{approval.error}}"
    code: "return input.code"
`);
    const id = await trigger(webhook_url);
    const done = await until(id, "succeeded");
    const node = done.nodes.find((n: { node: string }) => n.node === "approval");
    assert.equal(node.status, "failed");
    assert.equal(node.error.code, "event_timeout");
    assert.equal(done.result, "event_timeout");
  });

  test("a sync trigger cannot wait: the node fails with wait_not_durable; a wait over 365 days is refused at push", async () => {
    const inline = await ex.json("/execute", {
      method: "POST",
      headers: jsonHeaders,
      body: JSON.stringify({ workflow: { name: "sync_wait", flow: ["input >> ON_SUCCESS >> pause"], config: { pause: { component: "wait", for: "1s" } } }, input: {} }),
    });
    assert.equal(inline.status, 200, JSON.stringify(inline.body));
    assert.equal(inline.body.status, "failed");
    assert.equal(inline.body.nodes[0].error.code, "wait_not_durable");

    const tooLong = await ex.json("/workflows", { method: "POST", headers: yamlHeaders, body: `name: too_long\nflow: ["input >> ON_SUCCESS >> pause"]\nconfig:\n  pause:\n    component: wait\n    for: "400d"\n` });
    assert.equal(tooLong.status, 422);
    assert.equal(tooLong.body.error.code, "invalid_workflow");
    const issue = tooLong.body.error.errors.find((e: { code: string }) => e.code === "invalid_wait");
    assert.ok(issue, JSON.stringify(tooLong.body));
    assert.equal(issue.line, 6);
  });
});

describe("big outputs in R2", () => {
  test("an output over max_trace_bytes is traced by reference, returned whole with ?full=1, read by later nodes, and deleted by retention", async () => {
    const { webhook_url } = await push(`name: big_output
max_trace_bytes: 1024
flow: ["input >> ON_SUCCESS >> big", "big >> ON_SUCCESS >> size"]
config:
  big:
    component: code
    code: "return { text: 'x'.repeat(5000) }"
  size:
    component: code
    input: "{{big.data.text}}"
    code: "return input.length"
`);
    const id = await trigger(webhook_url);
    const done = await until(id, "succeeded");
    assert.equal(done.result, 5000);
    const big = done.nodes.find((n: { node: string }) => n.node === "big");
    assert.equal(big.output, null);
    assert.ok(big.output_ref.key.startsWith(`run-outputs/big_output/`), big.output_ref.key);
    assert.ok(big.output_ref.bytes > 5000);
    assert.equal(done.nodes.find((n: { node: string }) => n.node === "size").output_ref, undefined);
    // the Workflows step stored the reference, not the 5000 characters (a step's result is at most 1 MiB on Cloudflare)
    const bindings = await ex.mf.getBindings<{ RUNS_WORKFLOW: { get(id: string): Promise<{ status(): Promise<{ __LOCAL_DEV_STEP_OUTPUTS: { output: unknown; output_ref?: unknown }[] }> }> } }>();
    const steps = (await (await bindings.RUNS_WORKFLOW.get(id)).status()).__LOCAL_DEV_STEP_OUTPUTS;
    const stored = steps.find((o) => o?.output_ref);
    assert.deepEqual([stored?.output, stored?.output_ref], [null, big.output_ref]);
    assert.ok(steps.every((o) => JSON.stringify(o?.output ?? null).length < 1000), "no step holds the big output");
    const full = await ex.json(`/runs/${id}?full=1`);
    assert.equal(full.body.nodes.find((n: { node: string }) => n.node === "big").output.text.length, 5000);
    assert.doesNotThrow(() => RunRecordSchema.parse(full.body));
    // a rerun from the node after it reuses the stored output as it was
    const rerun = await ex.json(`/runs/${id}/rerun`, { method: "POST", headers: jsonHeaders, body: JSON.stringify({ from: "size" }) });
    assert.equal(rerun.status, 200, JSON.stringify(rerun.body));
    assert.equal(rerun.body.result, 5000);

    // an output 40 days old (past the default 30): retention deletes it with its run, and keeps this one
    const bucket = await ex.mf.getR2Bucket("WASM_BUCKET");
    const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
    const oldKey = `run-outputs/big_output/${old}/old-run/big.json`;
    await bucket.put(oldKey, "{}");
    const db = await ex.mf.getD1Database("ARCRUN_DB");
    await db.prepare("INSERT INTO runs (run_id, workflow, status, started_at, trigger) VALUES ('old-run', 'big_output', 'succeeded', ?, 'webhook')").bind(old).run();
    const worker = await ex.mf.getWorker();
    assert.equal((await worker.scheduled({ scheduledTime: new Date(), cron: "* * * * *" })).outcome, "ok");
    assert.equal(await bucket.head(oldKey), null);
    assert.ok(await bucket.head(big.output_ref.key), "the recent output stays");
    assert.equal((await ex.json("/runs/old-run")).status, 404);
  });
});

describe("tracing", () => {
  test("each run has a W3C trace id (the trigger's traceparent, else new); every outbound call sends it with a span of its node", async () => {
    const { webhook_url } = await push(`name: traced
egress: ["127.0.0.1"]
flow: ["input >> ON_SUCCESS >> one", "one >> ON_SUCCESS >> two"]
config:
  one:
    component: http_request
    url: "${base}/trace/one"
  two:
    component: http_request
    url: "${base}/trace/two"
    headers: {x-test: "yes"}
`);
    const incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const id = await trigger(webhook_url, {}, { traceparent: incoming });
    const done = await until(id, "succeeded");
    assert.equal(done.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
    const calls = seen.filter((s) => s.url.startsWith("/trace/"));
    assert.equal(calls.length, 2);
    const parts = calls.map((c) => String(c.headers.traceparent).split("-"));
    for (const [version, trace, span, flags] of parts) {
      assert.equal(version, "00");
      assert.equal(trace, "4bf92f3577b34da6a3ce929d0e0e4736");
      assert.match(span, /^[0-9a-f]{16}$/);
      assert.notEqual(span, "00f067aa0ba902b7");
      assert.equal(flags, "01");
    }
    assert.notEqual(parts[0][2], parts[1][2], "a span id per node");
    assert.equal(calls[1].headers["x-test"], "yes");

    // no traceparent (or a malformed one): a new trace id
    seen.length = 0;
    const fresh = await ex.json("/webhooks/named/traced/query", { method: "POST", headers: { ...jsonHeaders, traceparent: "garbage" }, body: "{}" });
    assert.match(fresh.body.trace_id, /^[0-9a-f]{32}$/);
    assert.notEqual(fresh.body.trace_id, done.trace_id);
    assert.ok(seen.every((s) => String(s.headers.traceparent).includes(fresh.body.trace_id)));
  });
});
