import { test } from "node:test";
import assert from "node:assert/strict";
import { arcrunError } from "../errors";
import { arcrunAnswer, errorAnswer, noEndpoint } from "./answer";

test("a user error answers as itself: its status from the table, its body, nothing to log", () => {
  const answer = errorAnswer(arcrunError("workflow_not_found", 'No workflow "x".', { hint: "acr list" }), "The executor");
  assert.deepEqual(answer, { status: 404, body: { error: { code: "workflow_not_found", message: 'No workflow "x".', hint: "acr list" } }, internal: false });
});

test("a rate_limited error that says when answers retry-after in whole seconds; without it, no header", () => {
  const limited = arcrunAnswer(arcrunError("rate_limited", "Too many registrations.", { details: { limit: 5, retry_after_s: 41.2 } }));
  assert.equal(limited.status, 429);
  assert.deepEqual(limited.headers, { "retry-after": "42" });
  assert.equal(limited.body.error.limit, 5);
  assert.equal(arcrunAnswer(arcrunError("rate_limited", "Too many.")).headers, undefined);
  assert.equal(arcrunAnswer(arcrunError("invalid_json", "no", { details: { retry_after_s: 9 } })).headers, undefined);
});

test("the framework's HTTP error: 413 is payload_too_large, others http_<status>", () => {
  assert.deepEqual(errorAnswer(new Error("x"), "The registry", { status: 413, message: "Payload Too Large" }), {
    status: 413, body: { error: { code: "payload_too_large", message: "Payload Too Large" } }, internal: false,
  });
  assert.deepEqual(errorAnswer(new Error("x"), "The registry", { status: 405, message: "" }).body, { error: { code: "http_405", message: "HTTP 405" } });
});

test("anything else is a 500 internal_error that names the Worker and nothing of the error", () => {
  const secret = "sk-live-do-not-leak";
  for (const err of [new TypeError(`boom ${secret}`), arcrunError("internal_error", `bug ${secret}`), `thrown ${secret}`, undefined]) {
    const answer = errorAnswer(err, "The auth Worker");
    assert.equal(answer.status, 500);
    assert.equal(answer.internal, true);
    assert.equal(answer.body.error.code, "internal_error");
    assert.equal(answer.body.error.message, "The auth Worker hit an unexpected error while handling this request.");
    assert.ok(!JSON.stringify(answer).includes(secret));
  }
});

test("noEndpoint: 404 not_found naming the method and path (not the query) and listing the endpoints", () => {
  const err = noEndpoint("PATCH", "http://x/workflows/a?token=abc", "GET /health, GET /workflows");
  assert.equal(err.status, 404);
  assert.equal(err.message, "No endpoint PATCH /workflows/a.");
  assert.equal(err.hint, "Endpoints: GET /health, GET /workflows.");
});
