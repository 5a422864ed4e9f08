// Retries (429 Retry-After, 5xx, never 4xx), redirects, size cap, non-JSON answers: node failures, never throws.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { mustLoadRecipe } from "./load";
import { runRecipe } from "./run";
import { retryAfterMs } from "./http";
import type { RecipeInput } from "./schema";
import { fakeClock, fakeFetch, json, options } from "./test-helpers";

const TOKEN = "tok_live_0123456789abcdef";

function recipe(extra: Partial<RecipeInput> = {}) {
  return mustLoadRecipe({
    name: "demo",
    version: "1.0.0",
    description: "demo",
    hosts: ["api.example.com", "cdn.example.com"],
    credentials: [{ key: "demo_token", description: "token" }],
    inputs: { type: "object", properties: { text: { type: "string" } } },
    request: { method: "POST", url: "https://api.example.com/send", body: { kind: "json", value: { text: "{{params.text}}" } } },
    auth: { kind: "bearer", credential: "demo_token" },
    response: { output: "result", error_message: "error.message" },
    config_example: { component: "demo" },
    ...extra,
  } as Record<string, unknown>);
}

async function run(answers: Parameters<typeof fakeFetch>[0], extra: Partial<RecipeInput> = {}) {
  const { clock, sleeps } = fakeClock();
  const { fetch, requests } = fakeFetch(answers);
  const result = await runRecipe(recipe(extra), { text: "hi" }, options(fetch, { demo_token: TOKEN }, { clock }));
  return { result, requests, sleeps, outcome: result.outcome };
}

describe("retries", () => {
  test("429 with Retry-After seconds waits that long, then succeeds", async () => {
    const { outcome, requests, sleeps } = await run([json({ error: { message: "slow down" } }, 429, { "retry-after": "7" }), json({ result: 1 })]);
    assert.deepEqual(outcome, { success: true, data: 1 });
    assert.equal(requests.length, 2);
    assert.deepEqual(sleeps, [7000]);
  });

  test("Retry-After as an HTTP date is honoured relative to the clock", async () => {
    const { clock } = fakeClock();
    const date = new Date(clock.now() + 12_000).toUTCString();
    const { sleeps } = await run([json({}, 503, { "retry-after": date }), json({ result: 1 })]);
    assert.deepEqual(sleeps, [12_000]);
    assert.equal(retryAfterMs("Wed, 21 Oct 2015 07:28:00 GMT", Date.UTC(2015, 9, 21, 7, 27, 0)), 60_000);
    assert.equal(retryAfterMs("soon", 0), undefined);
  });

  test("Discord-style retry_after in the body is honoured when there is no header", async () => {
    const { sleeps, outcome } = await run([json({ message: "You are being rate limited.", retry_after: 0.65, global: false }, 429), json({ result: "ok" })], { retry: { retry_after_path: "retry_after" } });
    assert.deepEqual(sleeps, [650]);
    assert.ok(outcome.success);
  });

  test("5xx is retried with doubling backoff up to max_attempts, then fails retryable with the status", async () => {
    const { outcome, requests, sleeps } = await run(() => json({ error: { message: "backend error" } }, 502), { retry: { max_attempts: 3, backoff_ms: 100 } });
    assert.equal(requests.length, 3);
    assert.deepEqual(sleeps, [100, 200]);
    assert.ok(!outcome.success);
    assert.equal(outcome.error.code, "http_error");
    assert.equal(outcome.error.retryable, true);
    assert.deepEqual(outcome.error.details, { status: 502, provider_message: "backend error" });
  });

  test("4xx is not retried", async () => {
    for (const status of [400, 403, 404, 422]) {
      const { outcome, requests, sleeps } = await run([json({ error: { message: "bad" } }, status)]);
      assert.equal(requests.length, 1, String(status));
      assert.deepEqual(sleeps, []);
      assert.ok(!outcome.success && outcome.error.retryable === false);
    }
  });

  test("a Retry-After longer than max_wait_ms fails at once (retryable), naming the wait", async () => {
    const { outcome, requests, sleeps } = await run([json({ error: { message: "quota" } }, 429, { "retry-after": "3600" })]);
    assert.equal(requests.length, 1);
    assert.deepEqual(sleeps, []);
    assert.ok(!outcome.success);
    assert.equal(outcome.error.retryable, true);
    assert.match(outcome.error.message, /429: quota \(asked to wait 3600 s/);
  });

  test("a network error is retried, then reported", async () => {
    const { outcome, requests } = await run(() => { throw new TypeError("connection reset"); }, { retry: { max_attempts: 2 } });
    assert.equal(requests.length, 2);
    assert.ok(!outcome.success && outcome.error.code === "network_error" && outcome.error.retryable === true);
  });
});

describe("answers that are not what the recipe expects", () => {
  test("500 with an HTML page is an http_error with the status and a short text, not a throw", async () => {
    const html = `<html><head><title>Oops</title></head><body><h1>Internal Server Error</h1>${"x".repeat(2000)}</body></html>`;
    const { outcome } = await run(() => new Response(html, { status: 500, headers: { "content-type": "text/html" } }), { retry: { max_attempts: 1 } });
    assert.ok(!outcome.success);
    assert.equal(outcome.error.code, "http_error");
    assert.match(outcome.error.message, /answered 500: text\/html: Oops Internal Server Error x+…$/);
    assert.ok(outcome.error.message.length < 500);
  });

  test("200 with HTML instead of JSON is invalid_response", async () => {
    const { outcome } = await run([new Response("<html>login</html>", { status: 200, headers: { "content-type": "text/html; charset=utf-8" } })]);
    assert.ok(!outcome.success);
    assert.equal(outcome.error.code, "invalid_response");
    assert.match(outcome.error.message, /200 with text\/html, not JSON/);
  });

  test("a body over the size cap is response_too_large, streamed or declared", async () => {
    const big = "x".repeat(2048);
    const streamed = new Response(new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode(big)); c.close(); } }), { status: 200 });
    const one = await run([streamed], { max_response_bytes: 1024 });
    assert.ok(!one.outcome.success && one.outcome.error.code === "response_too_large");
    const declared = await run([new Response(big, { status: 200, headers: { "content-length": "2048" } })], { max_response_bytes: 1024 });
    assert.ok(!declared.outcome.success && declared.outcome.error.code === "response_too_large");
  });

  test("a success without the output path is invalid_response", async () => {
    const { outcome } = await run([json({ other: 1 })]);
    assert.ok(!outcome.success && outcome.error.code === "invalid_response");
  });

  test("parameters that do not match inputs fail before any call", async () => {
    const { fetch, requests } = fakeFetch([]);
    const result = await runRecipe(recipe(), { text: 5 }, options(fetch, { demo_token: TOKEN }));
    assert.equal(requests.length, 0);
    assert.ok(!result.outcome.success);
    assert.equal(result.outcome.error.code, "invalid_input");
    assert.match(result.outcome.error.message, /text:/);
  });
});

describe("hosts and redirects", () => {
  test("a redirect to a declared host is followed, with the credential kept on the same origin only", async () => {
    const { outcome, requests } = await run([
      new Response(null, { status: 307, headers: { location: "https://api.example.com/v2/send" } }),
      new Response(null, { status: 307, headers: { location: "https://cdn.example.com/send" } }),
      json({ result: "moved" }),
    ]);
    assert.deepEqual(outcome, { success: true, data: "moved" });
    assert.deepEqual(requests.map((r) => r.url.href), ["https://api.example.com/send", "https://api.example.com/v2/send", "https://cdn.example.com/send"]);
    assert.equal(requests[1].headers.get("authorization"), `Bearer ${TOKEN}`);
    assert.equal(requests[2].headers.get("authorization"), null, "dropped when the origin changes");
    assert.equal(requests[2].method, "POST", "307 keeps the method");
  });

  test("a redirect to an undeclared host is refused without calling it", async () => {
    const { outcome, requests } = await run([new Response(null, { status: 302, headers: { location: "https://evil.example/steal" } })]);
    assert.equal(requests.length, 1);
    assert.ok(!outcome.success);
    assert.equal(outcome.error.code, "egress_denied");
    assert.match(outcome.error.message, /redirect to https:\/\/evil\.example refused/);
  });

  test("secrets the provider echoes back (URL-path token included) are redacted from the failure", async () => {
    const telegramLike = mustLoadRecipe({
      name: "echo", version: "1.0.0", description: "d", hosts: ["api.example.com"],
      credentials: [{ key: "bot", description: "t" }], inputs: { type: "object" },
      request: { method: "GET", url: "https://api.example.com/bot{{credential.bot}}/getMe" },
      auth: { kind: "path", credential: "bot" }, response: { error_message: "description" }, config_example: { component: "echo" },
    });
    const { fetch, requests } = fakeFetch((req) => json({ description: `unknown path ${req.url.pathname}` }, 404));
    const result = await runRecipe(telegramLike, {}, options(fetch, { bot: "123:SECRET-TOKEN" }));
    assert.equal(requests[0].url.pathname, "/bot123:SECRET-TOKEN/getMe");
    assert.ok(!result.outcome.success);
    assert.doesNotMatch(JSON.stringify(result.outcome), /SECRET-TOKEN/);
    assert.match(result.outcome.error.message, /\[redacted:bot\]/);
    assert.deepEqual(Object.keys(result.secrets), ["bot"]);
  });
});
