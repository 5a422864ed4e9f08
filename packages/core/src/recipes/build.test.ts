// Auth placements and body kinds, seen from the wire.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { mustLoadRecipe } from "./load";
import { runRecipe } from "./run";
import type { RecipeInput } from "./schema";
import { fakeFetch, json, options } from "./test-helpers";

function recipe(extra: Partial<RecipeInput>) {
  return mustLoadRecipe({
    name: "demo", version: "1.0.0", description: "d", hosts: ["api.example.com", "files.example.com"],
    credentials: [{ key: "api_key", description: "k" }, { key: "api_secret", description: "s" }],
    inputs: { type: "object", properties: { name: { type: "string" }, tags: { type: "array" }, note: { type: "string" } } },
    request: { method: "POST", url: "https://api.example.com/things" },
    config_example: { component: "demo" },
    ...extra,
  } as Record<string, unknown>);
}

const CREDS = { api_key: "key-0123456789", api_secret: "secret-9876543210" };

async function send(extra: Partial<RecipeInput>, params: Record<string, unknown> = {}, answers = [json({ ok: 1 })]) {
  const { fetch, requests } = fakeFetch(answers);
  const result = await runRecipe(recipe(extra), params, options(fetch, CREDS));
  return { result, requests, request: requests[0] };
}

describe("auth placements", () => {
  test("named header with prefix", async () => {
    const { request, result } = await send({ auth: { kind: "header", credential: "api_key", name: "X-Api-Key", prefix: "Key " } });
    assert.equal(request.headers.get("x-api-key"), "Key key-0123456789");
    assert.deepEqual(result.secrets, { api_key: CREDS.api_key });
  });

  test("query parameter", async () => {
    const { request } = await send({ auth: { kind: "query", credential: "api_key", name: "key" }, request: { method: "GET", url: "https://api.example.com/things", query: { q: "{{params.name}}" } } }, { name: "a b&c" });
    assert.equal(request.url.search, "?q=a+b%26c&key=key-0123456789");
  });

  test("HTTP basic with username and password credentials (RFC 7617)", async () => {
    const { request, result } = await send({ auth: { kind: "basic", username: "api_key", password: "api_secret" } });
    assert.equal(request.headers.get("authorization"), `Basic ${Buffer.from("key-0123456789:secret-9876543210").toString("base64")}`);
    assert.ok(result.secrets["api_key.basic"], "the encoded pair is reported too");
  });

  test("a recipe header cannot override the auth header", async () => {
    const { request } = await send({ auth: { kind: "bearer", credential: "api_key" }, request: { method: "GET", url: "https://api.example.com/x", headers: { Authorization: "Bearer {{params.name}}" } } }, { name: "forged" });
    assert.equal(request.headers.get("authorization"), "Bearer key-0123456789");
  });

  test("a named auth header is dropped when a redirect leaves the origin", async () => {
    const { requests } = await send({ auth: { kind: "header", credential: "api_key", name: "x-api-key" } }, {}, [
      new Response(null, { status: 308, headers: { location: "https://files.example.com/things" } }),
      json({ ok: 1 }),
    ]);
    assert.equal(requests[0].headers.get("x-api-key"), CREDS.api_key);
    assert.equal(requests[1].headers.get("x-api-key"), null);
  });
});

describe("path-segment values (a credential in the path, Telegram's /bot<token>/)", () => {
  const pathRecipe = () =>
    recipe({ auth: { kind: "path", credential: "api_key" }, request: { method: "GET", url: "https://api.example.com/bot{{credential.api_key}}/x/{{params.name}}" } });
  const build = async (key: string, name = "n") => {
    const { fetch, requests } = fakeFetch([json({ ok: 1 })]);
    const result = await runRecipe(pathRecipe(), { name }, options(fetch, { ...CREDS, api_key: key }));
    return { result, url: requests[0]?.url as URL | undefined, sent: requests.length };
  };

  test("`:` and `@` stay literal: legal in a segment (RFC 3986 pchar), as Telegram documents the token", async () => {
    const { url, result } = await build("123456:ABC-def_9", "user@example.com");
    assert.equal(url!.pathname, "/bot123456:ABC-def_9/x/user@example.com");
    assert.equal(url!.host, "api.example.com");
    assert.deepEqual(result.secrets, { api_key: "123456:ABC-def_9" });
  });

  test("`/`, `?`, `#`, `%` and `\\` are escaped: a value cannot add a segment, a query or a fragment, or change the host", async () => {
    const { url } = await build("1:a/../../evil?x=1#f", "a%2Fb\\c d");
    assert.equal(url!.host, "api.example.com");
    assert.equal(url!.pathname, "/bot1:a%2F..%2F..%2Fevil%3Fx%3D1%23f/x/a%252Fb%5Cc%20d");
    assert.equal(url!.search, "");
    assert.equal(url!.hash, "");
    const hostLike = await build("@evil.example:443", "x");
    assert.equal(hostLike.url!.host, "api.example.com", "an @ in the path is not userinfo");
    assert.equal(hostLike.url!.pathname, "/bot@evil.example:443/x/x");
  });

  test("a value that is `.` or `..` is refused before any call", async () => {
    const { sent, result } = await build("k", "..");
    assert.equal(sent, 0);
    assert.ok(!result.outcome.success && result.outcome.error.code === "invalid_input");
  });
});

describe("body kinds", () => {
  test("json: absent optional parameters are left out; a whole-value template keeps its type", async () => {
    const { request } = await send({ request: { method: "POST", url: "https://api.example.com/things", body: { kind: "json", value: { name: "{{params.name}}", tags: "{{params.tags}}", note: "{{params.note}}", label: "n: {{params.name}}" } } } }, { name: "x", tags: [1, "two"] });
    assert.deepEqual(JSON.parse(request.body), { name: "x", tags: [1, "two"], label: "n: x" });
  });

  test("json: an absent parameter inside text is an invalid_input, not an empty string", async () => {
    const { result, requests } = await send({ request: { method: "POST", url: "https://api.example.com/things", body: { kind: "json", value: { label: "n: {{params.name}}" } } } });
    assert.equal(requests.length, 0);
    assert.ok(!result.outcome.success && /parameter "name" is needed/.test(result.outcome.error.message));
  });

  test("form: application/x-www-form-urlencoded, lists repeat the key", async () => {
    const { request } = await send({ request: { method: "POST", url: "https://api.example.com/things", body: { kind: "form", fields: { name: "{{params.name}}", tag: "{{params.tags}}", note: "{{params.note}}" } } } }, { name: "é&=", tags: ["a", "b"] });
    assert.equal(request.headers.get("content-type"), "application/x-www-form-urlencoded");
    assert.equal(request.body, "name=%C3%A9%26%3D&tag=a&tag=b");
  });

  test("multipart: text fields and a file part", async () => {
    const { request } = await send({ request: { method: "POST", url: "https://api.example.com/things", body: { kind: "multipart", parts: { name: "{{params.name}}", file: { value: "{{params.note}}", filename: "note.txt", content_type: "text/plain" } } } } }, { name: "x", note: "hello" });
    assert.ok(request.form);
    assert.equal(request.form.get("name"), "x");
    const file = request.form.get("file") as File;
    assert.equal(file.name, "note.txt");
    assert.equal(file.type, "text/plain");
    assert.equal(await file.text(), "hello");
    assert.equal(request.headers.get("content-type"), null, "fetch writes the boundary");
  });

  test("raw with a content type, and the $base64url / $base64 helpers", async () => {
    const raw = await send({ request: { method: "PUT", url: "https://api.example.com/things", body: { kind: "raw", content_type: "text/csv", value: "name\n{{params.name}}" } } }, { name: "x" });
    assert.equal(raw.request.method, "PUT");
    assert.equal(raw.request.headers.get("content-type"), "text/csv");
    assert.equal(raw.request.body, "name\nx");
    const helpers = await send({ request: { method: "POST", url: "https://api.example.com/things", body: { kind: "json", value: { a: { $base64url: "{{params.name}}" }, b: { $base64: "{{params.name}}" } } } } }, { name: "ÿ?>" });
    assert.deepEqual(JSON.parse(helpers.request.body), { a: Buffer.from("ÿ?>").toString("base64url"), b: Buffer.from("ÿ?>").toString("base64") });
  });

  test("$raw_message with text and html is multipart/alternative", async () => {
    const { request } = await send({ request: { method: "POST", url: "https://api.example.com/things", body: { kind: "json", value: { raw: { $raw_message: { from: "a@example.com", to: "b@example.com", subject: "s", text: "plain", html: "<b>rich</b>" } } } } } });
    const message = Buffer.from(JSON.parse(request.body).raw, "base64url").toString("utf8");
    const boundary = /boundary="([^"]+)"/.exec(message)?.[1];
    assert.ok(boundary);
    assert.match(message, /^From: a@example\.com\r\nTo: b@example\.com\r\nSubject: s\r\nMIME-Version: 1\.0\r\n/);
    const parts = message.split(`--${boundary}`);
    assert.equal(parts.length, 4, "two parts and the closing delimiter");
    assert.match(parts[1], /Content-Type: text\/plain/);
    assert.match(parts[2], /Content-Type: text\/html/);
    assert.equal(Buffer.from(parts[2].split("\r\n\r\n")[1].replace(/\r\n/g, ""), "base64").toString(), "<b>rich</b>");
    assert.equal(parts[3], "--\r\n");
  });
});
