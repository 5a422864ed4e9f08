/**
 * Health, auth and the error shape, against the real Worker in workerd:
 * public endpoints, 401 without/with a wrong key, 503 when no key is configured,
 * 404 for unknown routes and runs, 413 over 1 MiB, 400 for malformed JSON.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { jsonHeaders, startExecutor, TEST_API_KEY, type TestExecutor } from "@arcrun/local/host/test-executor";

/** POST on a fresh connection; `body` as an array is sent chunked (no content-length). */
function oneShot(ex: TestExecutor, path: string, body: string | string[], headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(ex.url + path, { method: "POST", agent: false, headers: { "content-type": "application/json", authorization: `Bearer ${TEST_API_KEY}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) }));
    });
    // the server may hang up once it has answered; what matters is the answer
    req.on("error", (err) => (req.writableEnded ? undefined : reject(err)));
    for (const chunk of Array.isArray(body) ? body : [body]) req.write(chunk);
    req.end();
  });
}

describe("executor access and errors", () => {
  let ex: TestExecutor;
  before(async () => {
    ex = await startExecutor();
  });
  after(() => ex.stop());

  test("GET /health is public and reports the version", async () => {
    const { status, body } = await ex.json("/health", { auth: false });
    assert.equal(status, 200);
    assert.equal(body.ok, true);
    assert.match(body.version, /^\d+\.\d+\.\d+/);
  });

  test("authenticated endpoints answer 401 with a hint without a key", async () => {
    for (const [method, path] of [["GET", "/workflows"], ["GET", "/runs"], ["POST", "/execute"], ["GET", "/q/x"], ["POST", "/webhooks/named/x/query"], ["DELETE", "/workflows/x"]]) {
      const { status, body } = await ex.json(path, { method, auth: false });
      assert.equal(status, 401, `${method} ${path}`);
      assert.equal(body.error.code, "unauthorized");
      assert.match(body.error.hint, /Authorization: Bearer/);
    }
  });

  test("a wrong key is refused the same way, and a lowercase scheme is accepted", async () => {
    const wrong = await ex.json("/workflows", { headers: { authorization: "Bearer nope" } });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error.message, "The API key is wrong.");
    const prefix = await ex.json("/workflows", { headers: { authorization: "Bearer test-key-0123456789abcde" } });
    assert.equal(prefix.status, 401);
    const ok = await ex.json("/workflows", { headers: { authorization: "bearer test-key-0123456789abcdef" } });
    assert.equal(ok.status, 200);
  });

  test("unknown routes are 404 in the error shape", async () => {
    const { status, body } = await ex.json("/nope");
    assert.equal(status, 404);
    assert.equal(body.error.code, "not_found");
    assert.match(body.error.hint, /GET \/health/);
  });

  test("an unknown run is 404", async () => {
    const { status, body } = await ex.json("/runs/does-not-exist");
    assert.equal(status, 404);
    assert.equal(body.error.code, "run_not_found");
  });

  test("an empty run list works on a fresh database (migrations applied lazily)", async () => {
    const { status, body } = await ex.json("/runs");
    assert.equal(status, 200);
    assert.deepEqual(body, { runs: [], total: 0 });
  });

  test("bad run-list filters are 400, not 500", async () => {
    for (const q of ["status=done", "limit=0", "limit=abc", "limit=100000"]) {
      const { status, body } = await ex.json(`/runs?${q}`);
      assert.equal(status, 400, q);
      assert.equal(body.error.code, "invalid_query");
      assert.ok(body.error.hint);
    }
  });

  // Over-limit bodies go on their own connection: the Worker answers 413 without reading the
  // rest, and the server then drops that connection (a pooled one would fail the next test).
  test("a body over 1 MiB is 413", async () => {
    const big = JSON.stringify({ workflow: "x", input: { blob: "a".repeat(1024 * 1024) } });
    const { status, body } = await oneShot(ex, "/execute", big, { "content-length": String(Buffer.byteLength(big)) });
    assert.equal(status, 413);
    assert.equal(body.error.code, "payload_too_large");
  });

  // The refused rest is read and dropped (up to 16 MiB): a client still sending sees the 413,
  // not a reset. Without the drain, most of these ended in ECONNRESET.
  test("a body of several MiB on a pooled connection answers 413 every time, never a reset", async () => {
    const big = JSON.stringify({ workflow: "x", input: { blob: "a".repeat(7 * 1024 * 1024) } });
    for (let i = 0; i < 10; i++) {
      const { status, body } = await ex.json("/execute", { method: "POST", headers: jsonHeaders, body: big });
      assert.equal(status, 413, `attempt ${i}`);
      assert.equal(body.error.code, "payload_too_large");
    }
    assert.equal((await ex.json("/health")).status, 200, "the connection pool still works");
  });

  test("a streamed body over 1 MiB (no content-length) is 413 too", async () => {
    const { status, body } = await oneShot(ex, "/webhooks/named/x/query", Array.from({ length: 20 }, () => "a".repeat(64 * 1024)));
    assert.equal(status, 413);
    assert.equal(body.error.code, "payload_too_large");
  });

  test("malformed JSON is 400 invalid_json quoting the parser", async () => {
    const { status, body } = await ex.json("/execute", { method: "POST", headers: jsonHeaders, body: '{"workflow": ' });
    assert.equal(status, 400);
    assert.equal(body.error.code, "invalid_json");
    assert.match(body.error.message, /not valid JSON: .+/);
  });

  test("a JSON body without a workflow is 400 with a hint", async () => {
    const { status, body } = await ex.json("/execute", { method: "POST", headers: jsonHeaders, body: '{"input": {}}' });
    assert.equal(status, 400);
    assert.equal(body.error.code, "invalid_request");
    assert.ok(body.error.hint);
    assert.equal(body.error.field, "workflow", "the body names the field core's ExecuteRequestSchema refused");
    // a body of the wrong type, at any depth, is still a 400, never a 500
    for (const bad of ["[]", "null", "42", '{"workflow": ["a"]}', '{"workflow": null}']) {
      const answer = await ex.json("/execute", { method: "POST", headers: jsonHeaders, body: bad });
      assert.equal(answer.status, 400, bad);
      assert.equal(answer.body.error.code, "invalid_request", bad);
    }
  });

  test("a wrong content type is 415 with a hint", async () => {
    const res = await ex.json("/workflows", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "a=b" });
    assert.equal(res.status, 415);
    assert.equal(res.body.error.code, "unsupported_media_type");
    assert.match(res.body.error.hint, /text\/yaml/);
    const exec = await ex.json("/execute", { method: "POST", headers: { "content-type": "text/yaml" }, body: "name: x" });
    assert.equal(exec.status, 415);
  });

  test("unknown workflows are 404 on every route that names one", async () => {
    for (const [method, path] of [["GET", "/workflows/ghost"], ["DELETE", "/workflows/ghost"], ["GET", "/q/ghost"], ["POST", "/webhooks/named/ghost/query"]]) {
      const { status, body } = await ex.json(path, { method });
      assert.equal(status, 404, `${method} ${path}`);
      assert.equal(body.error.code, "workflow_not_found");
    }
  });

  test("names and tokens no workflow can have are 404, however long", async () => {
    for (const path of [`/workflows/${"x".repeat(600)}`, "/workflows/Bad%20Name", `/q/${"y".repeat(2000)}`]) {
      const { status, body } = await ex.json(path);
      assert.equal(status, 404, path.slice(0, 40));
      assert.equal(body.error.code, "workflow_not_found");
    }
    const hook = await ex.json(`/webhooks/${"f".repeat(1000)}/trigger`, { method: "POST", auth: false });
    assert.equal(hook.status, 404);
  });

  test("an unknown webhook token is 404 without a key", async () => {
    const { status, body } = await ex.json(`/webhooks/${"0123abcd".repeat(8)}/trigger`, { method: "POST", auth: false });
    assert.equal(status, 404);
    assert.equal(body.error.code, "webhook_not_found");
  });
});

describe("executor without ARCRUN_API_KEY", () => {
  let ex: TestExecutor;
  before(async () => {
    ex = await startExecutor({ apiKey: null });
  });
  after(() => ex.stop());

  test("refuses authenticated endpoints with not_configured, never open", async () => {
    const { status, body } = await ex.json("/workflows", { headers: { authorization: "Bearer anything" } });
    assert.equal(status, 503);
    assert.equal(body.error.code, "not_configured");
    assert.match(body.error.hint, /ARCRUN_API_KEY/);
  });

  test("still answers /health", async () => {
    const { status } = await ex.json("/health", { auth: false });
    assert.equal(status, 200);
  });
});
