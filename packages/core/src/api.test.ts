import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { ComponentPublishSchema, ExecuteRequestSchema, WorkflowPostSchema } from "./api";
import { ApiErrorBodySchema, apiErrorBody, WorkflowIssueSchema } from "./errors";
import { RunRecordSchema, runningRecord } from "./run/schema";

describe("request bodies", () => {
  test("POST /execute: a workflow as YAML text or an object, input optional", () => {
    assert.ok(ExecuteRequestSchema.safeParse({ workflow: "name: x", input: { a: 1 } }).success);
    assert.ok(ExecuteRequestSchema.safeParse({ workflow: { name: "x" } }).success);
    for (const bad of [null, [], "name: x", {}, { workflow: 3 }, { workflow: ["a"] }, { workflow: null }]) {
      assert.equal(ExecuteRequestSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });

  test("POST /workflows as JSON needs yaml text; PUT /components/:name a contract object and wasm text", () => {
    assert.ok(WorkflowPostSchema.safeParse({ yaml: "name: x" }).success);
    assert.equal(WorkflowPostSchema.safeParse({ yaml: { name: "x" } }).success, false);
    assert.ok(ComponentPublishSchema.safeParse({ contract: { name: "x" }, wasm: "AGFzbQ==" }).success);
    assert.equal(ComponentPublishSchema.safeParse({ contract: [], wasm: "AGFzbQ==" }).success, false);
    assert.equal(ComponentPublishSchema.safeParse({ contract: { name: "x" } }).success, false);
  });
});

describe("answers", () => {
  test("the error body: code and message required, hint and details beside them", () => {
    const body = apiErrorBody("run_not_found", "No run", { hint: "acr logs", details: { run: "r1" } });
    assert.deepEqual(body, { error: { code: "run_not_found", message: "No run", hint: "acr logs", run: "r1" } });
    assert.deepEqual(ApiErrorBodySchema.parse(body), body);
    assert.equal(ApiErrorBodySchema.safeParse({ error: { message: "no code" } }).success, false);
  });

  test("a run that just started is a valid run record; a workflow issue needs code and message", () => {
    const run = runningRecord({ run_id: "r1", workflow: "w", started_at: "2026-01-01T00:00:00.000Z", trigger: "webhook" });
    assert.deepEqual(RunRecordSchema.parse(run), run);
    assert.equal(run.status, "running");
    assert.ok(WorkflowIssueSchema.safeParse({ code: "cycle", message: "a → b → a", line: 3 }).success);
    assert.equal(WorkflowIssueSchema.safeParse({ message: "no code" }).success, false);
  });
});
