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

    test("list filters by trigger and time range, pages after a run, and count ignores paging", async () => {
      const store = await make();
      for (let i = 0; i < 7; i++) {
        await store.save(runRecord(`p${i}`, { started_at: `2026-12-01T1${i}:00:00.000Z`, trigger: i % 2 ? "cron" : "webhook" }));
      }
      await store.save(runRecord("p-same", { started_at: "2026-12-01T13:00:00.000Z", trigger: "cron" }));
      assert.deepEqual((await store.list({ trigger: "cron" })).map((r) => r.run_id), ["p5", "p3", "p-same", "p1"]);
      assert.deepEqual((await store.list({ since: "2026-12-01T12:00:00.000Z", until: "2026-12-01T14:00:00.000Z" })).map((r) => r.run_id), ["p3", "p-same", "p2"]);
      assert.equal(await store.count({ trigger: "cron", limit: 1 }), 4);
      assert.equal(await store.count({}), 8);
      // keyset pages of 3 visit every run once, in order (p3 and p-same share a start time)
      const seen: string[] = [];
      let after: { started_at: string; run_id: string } | undefined;
      for (;;) {
        const page = await store.list({ limit: 3, after });
        seen.push(...page.map((r) => r.run_id));
        if (page.length < 3) break;
        after = page[page.length - 1];
      }
      assert.deepEqual(seen, ["p6", "p5", "p4", "p3", "p-same", "p2", "p1", "p0"]);
    });

    test("purge deletes the oldest runs before a time, in batches, by workflow or all but some", async () => {
      const store = await make();
      await store.save(runRecord("a-old", { started_at: "2026-10-01T00:00:00.000Z", nodes: [trace("n1")] }));
      await store.save(runRecord("a-older", { started_at: "2026-09-01T00:00:00.000Z" }));
      await store.save(runRecord("b-old", { started_at: "2026-10-01T00:00:00.000Z", workflow: "flow_b" }));
      await store.save(runRecord("a-new", { started_at: "2026-12-01T00:00:00.000Z" }));
      assert.equal(await store.purge({ before: "2026-11-01T00:00:00.000Z", except: ["flow_b"], limit: 1 }), 1);
      assert.equal(await store.get("a-older"), undefined, "oldest first");
      assert.equal(await store.purge({ before: "2026-11-01T00:00:00.000Z", except: ["flow_b"], limit: 10 }), 1);
      assert.equal(await store.get("a-old"), undefined);
      assert.ok(await store.get("b-old"), "an excepted workflow is kept");
      assert.equal(await store.purge({ before: "2026-11-01T00:00:00.000Z", workflow: "flow_b", limit: 10 }), 1);
      assert.deepEqual((await store.list({})).map((r) => r.run_id), ["a-new"]);
    });

    test("a run with many nodes keeps every trace", async () => {
      const store = await make();
      const nodes = Array.from({ length: 25 }, (_, i) => trace(`n${i}`, { output: { i } }));
      await store.save(runRecord("r-big", { nodes }));
      assert.deepEqual((await store.get("r-big"))!.nodes, nodes);
    });

    test("a running run waits and goes on; waiting is a status of its own; a finished run is left alone", async () => {
      const store = await make();
      const running: RunRecord = { run_id: "w1", workflow: "flow_a", status: "running", result: null, started_at: "2026-12-01T10:00:00.000Z", duration_ms: 0, nodes: [] };
      await store.save(running);
      const waiting = { node: "approval", kind: "event" as const, until: "2026-12-03T10:00:00.000Z", event: "approval" };
      await store.setWaiting("w1", waiting);
      assert.deepEqual(await store.get("w1"), { ...running, status: "waiting", waiting });
      assert.deepEqual((await store.list({ status: "waiting" })).map((r) => r.run_id), ["w1"]);
      assert.deepEqual(await store.list({ status: "running" }), []);
      assert.equal(await store.count({ status: "waiting" }), 1);
      await store.setWaiting("w1", undefined);
      assert.deepEqual(await store.get("w1"), running);
      await store.setWaiting("w1", waiting);
      await store.save({ ...running, status: "succeeded", result: 1 });
      assert.deepEqual(await store.get("w1"), { ...running, status: "succeeded", result: 1 });
      await store.setWaiting("w1", waiting);
      assert.equal((await store.get("w1"))!.status, "succeeded");
      await store.setWaiting("nope", waiting); // an unknown run: nothing happens
    });
  });
}
