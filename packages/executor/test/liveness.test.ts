// One slow node must not stop the server (issue 10 § 5). Local workerd serves every request on
// one thread (DESIGN § Runtime facts), so a synchronous node holds /health for as long as it
// works. The defaults keep that short: a counted work budget per node (limits.cpu_ms, 100 ms)
// and a turn of the event loop between nodes. Here runaway code and WASM nodes burn their whole
// budgets, several runs at once, while /health is polled every 100 ms: every answer must come
// within 1 s (the one wall-clock threshold in the tests, because the issue asks for exactly it),
// and a small workflow must finish while the runaways are still running.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import binaryen from "binaryen";
import { meterModule } from "@arcrun/local/build/meter.mjs";
import { eventually, jsonHeaders, startExecutor, yamlHeaders, type TestExecutor } from "@arcrun/local/host/test-executor";

const LIVENESS_MS = 1000;
const POLL_EVERY_MS = 100;

/** A metered WASI command that loops forever: only its fuel stops it. */
function endlessModule(): Uint8Array {
  const wat = `(module (memory (export "memory") 1 4) (func (export "_start") (loop $l (br $l))))`;
  return meterModule(binaryen.parseText(wat).emitBinary(), { maxPages: 4 });
}

// input ─┬─► code_a ─► wasm_a ─► code_b ─► wasm_b     four runaways one after the other,
//        └─► wasm_c                                   and one beside them
const RUNAWAY = `name: runaway
flow:
  - "input >> ON_SUCCESS >> code_a"
  - "code_a >> ALWAYS >> wasm_a"
  - "wasm_a >> ALWAYS >> code_b"
  - "code_b >> ALWAYS >> wasm_b"
  - "input >> ON_SUCCESS >> wasm_c"
config:
  code_a: {component: code, code: "while (true) {}"}
  wasm_a: {component: endless, x: 1}
  code_b: {component: code, code: "let n = 0; for (;;) { n = (n * 31 + 7) % 1000003 }"}
  wasm_b: {component: endless, x: 2}
  wasm_c: {component: endless, x: 3}
`;

const SMALL = `name: small
flow: ["input >> ON_SUCCESS >> add"]
config:
  add: {component: code, input: "{{input}}", code: "return input.a + input.b"}
`;

describe("one slow node does not stop the server", () => {
  let ex: TestExecutor;
  let hookPath = "";
  before(async () => {
    ex = await startExecutor();
    const published = await ex.json("/components/endless", {
      method: "PUT",
      headers: jsonHeaders,
      body: JSON.stringify({
        contract: { name: "endless", version: "1.0.0", description: "loops forever", input_schema: { type: "object" } },
        wasm: Buffer.from(endlessModule()).toString("base64"),
      }),
    });
    assert.equal(published.status, 201, JSON.stringify(published.body));
    const stored = await ex.json("/workflows", { method: "POST", headers: yamlHeaders, body: RUNAWAY });
    assert.equal(stored.status, 201, JSON.stringify(stored.body));
    hookPath = new URL(stored.body.webhook_url).pathname;
    // warm up: the executor isolate, QuickJS and the loader isolate exist before the clock starts
    const warm = await ex.json("/execute", { method: "POST", headers: jsonHeaders, body: JSON.stringify({ workflow: SMALL, input: { a: 1, b: 1 } }) });
    assert.equal(warm.body.result, 2, JSON.stringify(warm.body));
  });
  after(() => ex?.stop());

  test("/health answers within 1 s and a small workflow finishes while runaway code and WASM nodes burn their budgets", async () => {
    const latencies: number[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const sent = performance.now();
        const res = await ex.fetch("/health", { auth: false, signal: AbortSignal.timeout(30_000) });
        assert.equal(res.status, 200);
        await res.arrayBuffer();
        latencies.push(performance.now() - sent);
        await new Promise((r) => setTimeout(r, POLL_EVERY_MS));
      }
    })();

    // three webhooks (the issue's "3 such webhooks") and one synchronous /execute of the same runaways
    const hooks = await Promise.all([1, 2, 3].map(() => ex.json(hookPath, { method: "POST", auth: false })));
    for (const hook of hooks) assert.equal(hook.status, 202, JSON.stringify(hook.body));
    const executed = ex.json("/execute", { method: "POST", headers: jsonHeaders, body: JSON.stringify({ workflow: RUNAWAY, input: {} }) });

    await new Promise((r) => setTimeout(r, 300));
    const small = await ex.json("/execute", { method: "POST", headers: jsonHeaders, body: JSON.stringify({ workflow: SMALL, input: { a: 2, b: 3 } }) });
    assert.equal(small.body.status, "succeeded", JSON.stringify(small.body));
    assert.equal(small.body.result, 5);
    const runStatus = async (id: string) => (await ex.json(`/runs/${id}`)).body.status;
    const stillRunning = (await Promise.all(hooks.map((h) => runStatus(h.body.run_id)))).filter((s) => s === "running").length;
    assert.ok(stillRunning > 0, "the small workflow finished while runaway runs were still working, not after them");

    const runs = [
      (await executed).body,
      ...(await Promise.all(hooks.map((h) => eventually(async () => {
        const r = await ex.json(`/runs/${h.body.run_id}`);
        return r.body.status === "running" ? undefined : r.body;
      }, "a runaway webhook run to end", 400)))),
    ];
    polling = false;
    await poller;

    for (const run of runs) {
      assert.equal(run.status, "failed");
      for (const node of run.nodes) {
        assert.equal(node.status, "failed", `${node.node}: ${JSON.stringify(node)}`);
        assert.equal(node.error.code, "timeout", `${node.node}: ${JSON.stringify(node.error)}`);
        assert.match(node.error.message, /work budget|the clock/, `${node.node} burnt its budget`);
      }
    }
    const worst = Math.max(...latencies);
    console.log(`/health: ${latencies.length} polls, worst ${worst.toFixed(0)} ms, while 4 runs of 5 runaway nodes took ${Math.max(...runs.map((r) => r.duration_ms))} ms`);
    assert.ok(latencies.length >= 5, `polled /health ${latencies.length} times while the runaways ran`);
    assert.ok(worst < LIVENESS_MS, `/health answered within ${LIVENESS_MS} ms every time; worst ${worst.toFixed(0)} ms of ${latencies.length} polls`);
  });

  test("a workflow over the size cap is a 422 invalid_workflow / workflow_too_large naming the limit, stored or executed", async () => {
    const nodes = 1001;
    const flow = Array.from({ length: nodes }, (_, i) => `  - "${i ? `n${i - 1}` : "input"} >> ON_SUCCESS >> n${i}"`).join("\n");
    const config = Array.from({ length: nodes }, (_, i) => `  n${i}: {component: code, code: "return ${i}"}`).join("\n");
    const yaml = `name: too_big\nflow:\n${flow}\nconfig:\n${config}\n`;
    for (const send of [
      () => ex.json("/workflows", { method: "POST", headers: yamlHeaders, body: yaml }),
      () => ex.json("/execute", { method: "POST", headers: jsonHeaders, body: JSON.stringify({ workflow: yaml, input: {} }) }),
    ]) {
      const { status, body } = await send();
      assert.equal(status, 422, JSON.stringify(body).slice(0, 300));
      assert.equal(body.error.code, "invalid_workflow");
      assert.equal(body.error.errors.length, 1);
      assert.equal(body.error.errors[0].code, "workflow_too_large");
      assert.match(body.error.message, /1001 nodes in config; the limit is 1000 \(nodes\)/);
    }
    assert.equal((await ex.json("/workflows/too_big")).status, 404, "nothing stored");
  });
});
