import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { CloudflareApiError, cloudflareApi, cloudflareKvStore } from "./cloudflare-api";

const envelope = (result: unknown, extra: Record<string, unknown> = {}) => Response.json({ success: true, errors: [], messages: [], result, ...extra });
const refusal = (status: number, code: number, message: string, headers: Record<string, string> = {}) =>
  Response.json({ success: false, errors: [{ code, message }], messages: [], result: null }, { status, headers });

function stub(answers: (Response | Error)[]) {
  const calls: { url: string; auth: string | null; method: string }[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(input), auth: new Headers(init?.headers).get("authorization"), method: init?.method ?? "GET" });
    const next = answers.shift();
    if (!next) throw new Error("no more answers");
    if (next instanceof Error) throw next;
    return next;
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

describe("the Cloudflare REST client", () => {
  test("sends the token as a bearer to the configured base; reads the envelope's result", async () => {
    const { fetch, calls } = stub([envelope({ id: "abc", status: "active" })]);
    const api = cloudflareApi({ token: "tok-1", baseUrl: "http://127.0.0.1:9/client/v4/", fetch });
    assert.deepEqual(await api.verifyToken(), { id: "abc", status: "active" });
    assert.deepEqual(calls, [{ url: "http://127.0.0.1:9/client/v4/user/tokens/verify", auth: "Bearer tok-1", method: "GET" }]);
  });

  test("a value is the raw body; a missing key (404, code 10009) is null; keys pages carry the cursor", async () => {
    const { fetch, calls } = stub([new Response('{"v":1}'), refusal(404, 10009, "get: 'key not found'"), envelope([{ name: "cred:a" }], { result_info: { count: 1, cursor: "next" } }), envelope([], { result_info: { count: 0, cursor: "" } })]);
    const api = cloudflareApi({ token: "t", fetch });
    assert.equal(await api.getValue("acc", "ns", "cred:a b"), '{"v":1}');
    assert.equal(calls[0].url, "https://api.cloudflare.com/client/v4/accounts/acc/storage/kv/namespaces/ns/values/cred%3Aa%20b");
    assert.equal(await api.getValue("acc", "ns", "gone"), null);
    assert.deepEqual(await api.listKeys("acc", "ns", { prefix: "cred:" }), { names: ["cred:a"], cursor: "next" });
    assert.ok(calls[2].url.endsWith("/keys?prefix=cred%3A"));
    assert.deepEqual(await api.listKeys("acc", "ns", { cursor: "next" }), { names: [], cursor: undefined });
  });

  test("429 and 5xx are retried with backoff, then a retryable error; 403 is not retried", async () => {
    const { fetch, calls } = stub([refusal(429, 971, "slow down", { "retry-after": "0" }), refusal(503, 10013, "down"), envelope({ id: "ns", title: "t" })]);
    const api = cloudflareApi({ token: "t", fetch, backoffMs: 1 });
    assert.deepEqual(await api.getNamespace("a", "ns"), { id: "ns", title: "t" });
    assert.equal(calls.length, 3);

    const down = stub([refusal(502, 0, "bad gateway"), refusal(502, 0, "bad gateway"), refusal(502, 0, "bad gateway")]);
    const failing = cloudflareApi({ token: "secret-token", fetch: down.fetch, backoffMs: 1 });
    const error = await failing.getValue("a", "ns", "k").catch((e) => e);
    assert.ok(error instanceof CloudflareApiError);
    assert.equal(error.retryable, true);
    assert.equal(error.status, 502);
    assert.ok(!error.message.includes("secret-token"));

    const denied = stub([refusal(403, 10000, "Authentication error")]);
    const refused = await cloudflareApi({ token: "t", fetch: denied.fetch }).listKeys("a", "ns").catch((e) => e);
    assert.equal(refused.retryable, false);
    assert.equal(refused.cfCode, 10000);
    assert.equal(denied.calls.length, 1);
  });

  test("no answer at all (network error) is retried, then a retryable error with status 0", async () => {
    const { fetch } = stub([new Error("ECONNREFUSED"), new Error("ECONNREFUSED"), new Error("ECONNREFUSED")]);
    const error = await cloudflareApi({ token: "t", fetch, backoffMs: 1 }).verifyToken().catch((e) => e);
    assert.equal(error.status, 0);
    assert.equal(error.retryable, true);
  });

  test("putValue sends the raw value; deleteValue; the KV store port pages through keys", async () => {
    const { fetch, calls } = stub([envelope({}), envelope({}), envelope([{ name: "cred:b" }], { result_info: { count: 1, cursor: "c2" } }), envelope([{ name: "cred:a" }], { result_info: { count: 1, cursor: "" } })]);
    const api = cloudflareApi({ token: "w", baseUrl: "http://x/client/v4", fetch });
    const store = cloudflareKvStore(api, "acc", "ns");
    await store.put("cred:a", '{"sealed":1}');
    assert.equal(calls[0].method, "PUT");
    assert.equal(calls[0].url, "http://x/client/v4/accounts/acc/storage/kv/namespaces/ns/values/cred%3Aa");
    await store.delete("cred:a");
    assert.equal(calls[1].method, "DELETE");
    assert.deepEqual(await store.keys("cred:"), ["cred:a", "cred:b"]);
    assert.ok(calls[3].url.includes("cursor=c2"));
  });
});
