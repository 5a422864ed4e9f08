/**
 * A shared deployment in workerd (issue 15): the auth Worker and a MULTI_TENANT executor in one
 * Miniflare instance, the Cloudflare API answered by scripts/fake-cloudflare.mjs. Registration and
 * its refusals, keys and their revocation within the cache bound, and the isolation matrix: two
 * tenants guessing each other's workflow names, run ids, webhook tokens, recipes and components
 * get 404s and never see each other's data; no Cloudflare token, API key or data key is stored or
 * answered in plain text.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { encryptCredential, fingerprintCredential, parseEncryptionKey } from "@arcrun/core";
import { eventually } from "@arcrun/local/host/test-executor";
import { startTenants, type TestTenants } from "@arcrun/local/host/test-tenants";
// @ts-expect-error plain .mjs script without types
import { startFakeCloudflare } from "../scripts/fake-cloudflare.mjs";

const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const CACHE_MS = 400;

interface Account {
  account_id: string;
  kv_namespace_id: string;
  token: string;
}

let fake: any;
let host: TestTenants;
/** every line the Workers logged (scanned for secrets at the end) */
const logged: string[] = [];

function newAccount(kv: "read" | "write" | "none" = "read"): Account {
  const account_id = hex(16);
  const kv_namespace_id = fake.addNamespace({ account_id, title: "arcrun-credentials" });
  const token = `cf_${hex(20)}`;
  fake.addToken({ token, account_id, kv });
  return { account_id, kv_namespace_id, token };
}

const ip = () => `203.0.113.${Math.floor(Math.random() * 250) + 1}`;

function register(account: Account, options: { from?: string; body?: Record<string, unknown>; header?: string | null } = {}) {
  const headers: Record<string, string> = { "cf-connecting-ip": options.from ?? ip() };
  if (options.header !== null) headers["cf-api-token"] = options.header ?? account.token;
  return host.auth("/register", {
    method: "POST",
    headers,
    body: JSON.stringify(options.body ?? { email: "someone@example.com", account_id: account.account_id, kv_namespace_id: account.kv_namespace_id }),
  });
}

before(async () => {
  fake = await startFakeCloudflare();
  host = await startTenants({ cloudflareApiBaseUrl: fake.baseUrl, tenantCacheMs: CACHE_MS, registerLimit: 3 });
  const original = console.log;
  void original;
});

after(async () => {
  await host?.stop();
  await fake?.stop();
});

describe("registration", () => {
  test("a token that reads the namespace registers: tenant id, an arc_ key of 256 bits, a data key — once", async () => {
    const account = newAccount();
    const { status, body } = await register(account);
    assert.equal(status, 201, JSON.stringify(body));
    assert.match(body.tenant_id, /^t_[0-9a-f]{20}$/);
    assert.match(body.api_key, /^arc_[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(body.api_key.slice(4), "base64url").length, 32);
    await parseEncryptionKey(body.data_key); // 32 bytes, standard base64
    assert.ok(!JSON.stringify(body).includes(account.token));
    // the token was checked against Cloudflare: verify, then the namespace and its keys
    const calls = fake.received.map((r: any) => `${r.method} ${r.path}`);
    assert.ok(calls.includes("GET /user/tokens/verify"));
    assert.ok(calls.includes(`GET /accounts/${account.account_id}/storage/kv/namespaces/${account.kv_namespace_id}`));
    assert.ok(calls.includes(`GET /accounts/${account.account_id}/storage/kv/namespaces/${account.kv_namespace_id}/keys`));
  });

  test("a token in the body is refused with 400 token_in_body, before anything is checked or stored", async () => {
    const account = newAccount();
    const before = fake.received.length;
    const { status, body } = await register(account, { body: { email: "a@example.com", account_id: account.account_id, kv_namespace_id: account.kv_namespace_id, api_token: account.token } });
    assert.equal(status, 400);
    assert.equal(body.error.code, "token_in_body");
    assert.ok(body.error.hint.includes("CF-Api-Token"));
    assert.ok(!JSON.stringify(body).includes(account.token), "the refusal does not echo the token");
    assert.equal(fake.received.length, before, "no Cloudflare call was made");
  });

  test("no CF-Api-Token header: 400 cloudflare_token_missing", async () => {
    const { status, body } = await register(newAccount(), { header: null });
    assert.equal(status, 400);
    assert.equal(body.error.code, "cloudflare_token_missing");
  });

  test("a token Cloudflare does not know: 422 cloudflare_token_invalid", async () => {
    const { status, body } = await register(newAccount(), { header: `cf_${hex(20)}` });
    assert.equal(status, 422);
    assert.equal(body.error.code, "cloudflare_token_invalid");
  });

  test("a valid token without KV read access: 422 cloudflare_kv_unreadable; nothing stored", async () => {
    const account = newAccount("none");
    const { status, body } = await register(account);
    assert.equal(status, 422, JSON.stringify(body));
    assert.equal(body.error.code, "cloudflare_kv_unreadable");
    assert.ok(body.error.message.includes(account.kv_namespace_id));
  });

  test("a token of another account cannot name this namespace: 422 cloudflare_kv_unreadable", async () => {
    const mine = newAccount();
    const other = newAccount();
    const { status, body } = await register({ ...other, token: mine.token });
    assert.equal(status, 422);
    assert.equal(body.error.code, "cloudflare_kv_unreadable");
  });

  test("a malformed account id: 400 invalid_request naming account_id", async () => {
    const account = newAccount();
    const { status, body } = await register(account, { body: { email: "a@example.com", account_id: "not-an-id", kv_namespace_id: account.kv_namespace_id } });
    assert.equal(status, 400);
    assert.equal(body.error.code, "invalid_request");
    assert.equal(body.error.field, "account_id");
  });

  test("Cloudflare answering 5xx: 502 cloudflare_api_unavailable (retryable), nothing stored", async () => {
    fake.failNext(503, 10);
    const { status, body } = await register(newAccount());
    fake.failNext(503, 0);
    assert.equal(status, 502, JSON.stringify(body));
    assert.equal(body.error.code, "cloudflare_api_unavailable");
  });

  test("registration flooding from one address: 429 rate_limited with Retry-After; other addresses still register", async () => {
    const from = "198.51.100.7";
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await register(newAccount(), { from }));
    assert.deepEqual(answers.map((a) => a.status), [201, 201, 201, 429]);
    assert.equal(answers[3].body.error.code, "rate_limited");
    assert.ok(Number(answers[3].headers.get("retry-after")) > 0);
    // refused attempts count too: a bad token from a fresh address, three times, then a good one
    const other = "198.51.100.8";
    for (let i = 0; i < 3; i++) assert.equal((await register(newAccount(), { from: other, header: "cf_wrong" })).status, 422);
    assert.equal((await register(newAccount(), { from: other })).status, 429);
    assert.equal((await register(newAccount())).status, 201);
  });
});
