/**
 * The RunHooks contract, seen from what calls the hooks (core's executeWorkflow, the executor's
 * runner): `run(hooks)` runs a workflow of exactly two nodes, `first` then `second`, and resolves
 * to the run record it returns. Hooks are called runStarted → nodeFinished per node → runFinished,
 * each once, and runFinished sees the record the caller gets.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { combineHooks, recordingHooks, type RunHooks } from "../../src/ports/index";
import type { RunRecord } from "../../src/run/schema";

export function describeRunHooks(label: string, run: (hooks: RunHooks) => Promise<RunRecord>): void {
  describe(`RunHooks contract: ${label}`, () => {
    test("runStarted, then nodeFinished once per node, then runFinished with the returned record", async () => {
      const recorder = recordingHooks();
      const record = await run(recorder);
      assert.deepEqual(recorder.events.map((e) => e.hook), ["runStarted", "nodeFinished", "nodeFinished", "runFinished"]);
      const [started, n1, n2, finished] = recorder.events;
      assert.equal(started.hook === "runStarted" && started.run.status, "running");
      assert.equal(started.hook === "runStarted" && started.run.run_id, record.run_id);
      assert.deepEqual([n1, n2].map((e) => e.hook === "nodeFinished" && [e.runId, e.trace.node]), [[record.run_id, "first"], [record.run_id, "second"]]);
      assert.deepEqual(finished.hook === "runFinished" && finished.run, record);
    });

    test("combined hooks are each called, in order", async () => {
      const order: string[] = [];
      const tag = (name: string): RunHooks => ({ runFinished: () => void order.push(name) });
      await run(combineHooks(tag("a"), undefined, tag("b")));
      assert.deepEqual(order, ["a", "b"]);
    });

    test("a failing runFinished hook rejects the run", async () => {
      await assert.rejects(run({ runFinished: () => Promise.reject(new Error("store down")) }), /store down/);
    });
  });
}
