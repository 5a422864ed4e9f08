/** The run log: every line names the run, and a node's lines name the node (DESIGN § Run guarantees); credentials never appear. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Redactor } from "@arcrun/core";
import { logPrefix, runLogHooks } from "../../src/services/run-log";

test("node log lines, node failures and run failures all start with [run <id>] (and [node <name>])", async () => {
  const lines: string[] = [];
  const redactor = new Redactor();
  redactor.add("token", "sk-secret-123");
  const hooks = runLogHooks(redactor, (l) => lines.push(l));
  await hooks.nodeFinished?.("r1", { node: "call", component: "http_request", status: "failed", input: null, output: null, error: { code: "http_error", message: "401 for sk-secret-123" }, attempts: 1, duration_ms: 3, logs: ["calling with sk-secret-123"] });
  await hooks.runFinished?.({ run_id: "r1", workflow: "w", status: "failed", result: null, error: { node: "call", code: "http_error", message: "boom" }, started_at: "2026-12-01T00:00:00.000Z", duration_ms: 4, nodes: [] });
  assert.equal(lines.length, 3);
  assert.ok(lines.slice(0, 2).every((l) => l.startsWith(`${logPrefix("r1", "call")} `)), lines.join("\n"));
  assert.ok(lines[2].startsWith(`${logPrefix("r1")} `));
  assert.ok(lines.every((l) => !l.includes("sk-secret-123")));
});
