/**
 * The start-up sweep (interrupted-runs.ts) over fakes: an unfinished durable run's instance is
 * sent the resume event; a run with no instance, or whose instance has finished, ends failed
 * with `interrupted`. (For real, with kill -9: packages/cli/test/dev-supervise.test.ts.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { INTERRUPTED_ERROR, RESUME_EVENT, resumeInterruptedRuns, type WorkflowsLike } from "./interrupted-runs";

test("unfinished durable runs are woken; the others end failed (interrupted)", async () => {
  const rows = new Map([["durable", "running"], ["plain", "running"], ["done-instance", "running"], ["finished", "succeeded"]]);
  const errors = new Map<string, string>();
  const db = {
    prepare(sql: string) {
      return {
        bind(...values: unknown[]) {
          return {
            async all<T>() {
              assert.match(sql, /SELECT run_id FROM runs WHERE status = 'running'/);
              return { results: [...rows].filter(([, s]) => s === "running").map(([run_id]) => ({ run_id })) as T[] };
            },
            async run() {
              const [error, id] = values as [string, string];
              if (rows.get(id) !== "running") return { meta: { changes: 0 } };
              rows.set(id, "failed");
              errors.set(id, error);
              return { meta: { changes: 1 } };
            },
          };
        },
      };
    },
  };
  const sent: [string, string][] = [];
  const workflows: WorkflowsLike = {
    async get(id) {
      if (id !== "durable" && id !== "done-instance") throw new Error("instance.not_found");
      return { status: async () => ({ status: id === "durable" ? "running" : "complete" }), sendEvent: async (e) => void sent.push([id, e.type]) };
    },
  };
  const result = await resumeInterruptedRuns(db, workflows);
  assert.deepEqual(result, { resumed: ["durable"], failed: 2 });
  assert.deepEqual(sent, [["durable", RESUME_EVENT]]);
  assert.deepEqual([...rows], [["durable", "running"], ["plain", "failed"], ["done-instance", "failed"], ["finished", "succeeded"]]);
  assert.deepEqual(JSON.parse(errors.get("plain")!), INTERRUPTED_ERROR);
  // without the binding every such run is interrupted
  rows.set("durable", "running");
  assert.deepEqual(await resumeInterruptedRuns(db), { resumed: [], failed: 1 });
});
