/**
 * The RunStore contract, run against every implementation. `make` is called once per test and
 * must return an empty store.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { RunStore } from "../../src/ports/index";
import type { NodeTrace, RunRecord } from "../../src/run/schema";

const trace = (node: string, extra: Partial<NodeTrace> = {}): NodeTrace => ({
  node,
  component: "code",
  status: "succeeded",
  input: { n: 1 },
  output: { ok: true, list: [1, "two", null] },
  error: null,
  attempts: 1,
  duration_ms: 2.5,
  ...extra,
});

export function runRecord(runId: string, extra: Partial<RunRecord> = {}): RunRecord {
  return {
    run_id: runId,
    workflow: "flow_a",
    workflow_hash: "sha-1",
    status: "succeeded",
    result: { answer: 42 },
    started_at: "2026-12-01T10:00:00.000Z",
    duration_ms: 12,
    trigger: "execute",
    nodes: [trace("first"), trace("second", { status: "failed", output: null, error: { code: "boom", message: "it broke" }, attempts: 3, logs: ["a line", "another"] }), trace("third", { status: "skipped", input: null, output: null, attempts: 0, duration_ms: 0 })],
    ...extra,
  };
}

export function describeRunStore(label: string, make: () => Promise<RunStore> | RunStore): void {
  describe(`RunStore contract: ${label}`, () => {
    test("an unknown run is undefined; an empty store lists nothing", async () => {
      const store = await make();
      assert.equal(await store.get("nope"), undefined);
      assert.deepEqual(await store.list({}), []);
    });

    test("a saved run comes back as saved, node traces in order", async () => {
      const store = await make();
      const run = runRecord("r1", { status: "failed", error: { code: "boom", message: "it broke", node: "second" } });
      run.nodes[0].branch = "ON_TRUE";
      await store.save(run);
      assert.deepEqual(await store.get("r1"), run);
    });

    test("optional fields left out stay out; a null result stays null", async () => {
      const store = await make();
      const run: RunRecord = { run_id: "r2", workflow: "flow_a", status: "running", result: null, started_at: "2026-12-01T10:00:00.000Z", duration_ms: 0, nodes: [] };
      await store.save(run);
      assert.deepEqual(await store.get("r2"), run);
    });

    test("saving again (running → finished) replaces the run and adds its nodes", async () => {
      const store = await make();
      const finished = runRecord("r3");
      await store.save({ ...finished, status: "running", result: null, duration_ms: 0, nodes: [] });
      assert.equal((await store.get("r3"))!.status, "running");
      await store.save(finished);
      assert.deepEqual(await store.get("r3"), finished);
      assert.equal((await store.list({})).length, 1);
    });

    test("list: newest first (then by id), without nodes, filtered by workflow and status, limited", async () => {
      const store = await make();
      await store.save(runRecord("r-old", { started_at: "2026-12-01T09:00:00.000Z" }));
      await store.save(runRecord("r-new", { started_at: "2026-12-01T11:00:00.000Z", status: "failed", error: { code: "x", message: "y" } }));
      await store.save(runRecord("r-mid-b", { started_at: "2026-12-01T10:00:00.000Z", workflow: "flow_b" }));
      await store.save(runRecord("r-mid-a", { started_at: "2026-12-01T10:00:00.000Z" }));
      const all = await store.list({});
      assert.deepEqual(all.map((r) => r.run_id), ["r-new", "r-mid-b", "r-mid-a", "r-old"]);
      assert.ok(all.every((r) => !("nodes" in r)), "list leaves node traces out");
      const { nodes: _n, ...summary } = runRecord("r-old", { started_at: "2026-12-01T09:00:00.000Z" });
      assert.deepEqual(all[3], summary);
      assert.deepEqual((await store.list({ workflow: "flow_b" })).map((r) => r.run_id), ["r-mid-b"]);
      assert.deepEqual((await store.list({ status: "failed" })).map((r) => r.run_id), ["r-new"]);
      assert.deepEqual((await store.list({ workflow: "flow_a", status: "succeeded" })).map((r) => r.run_id), ["r-mid-a", "r-old"]);
      assert.deepEqual((await store.list({ limit: 2 })).map((r) => r.run_id), ["r-new", "r-mid-b"]);
    });

    test("a run with many nodes keeps every trace", async () => {
      const store = await make();
      const nodes = Array.from({ length: 25 }, (_, i) => trace(`n${i}`, { output: { i } }));
      await store.save(runRecord("r-big", { nodes }));
      assert.deepEqual((await store.get("r-big"))!.nodes, nodes);
    });
  });
}
