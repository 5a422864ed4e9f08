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

interface Tenant extends Account {
  tenant_id: string;
  api_key: string;
  key_id: string;
  data_key: string;
}

async function newTenant(): Promise<Tenant> {
  const account = newAccount();
  const { status, body } = await register(account);
  assert.equal(status, 201, JSON.stringify(body));
  return { ...account, ...body };
}

/** What `acr creds push` writes into the tenant's own KV: a record sealed with the data key. */
async function pushCredential(t: Tenant, name: string, value: string) {
  const key = await parseEncryptionKey(t.data_key);
  const now = new Date().toISOString();
  const record = { ...(await encryptCredential(key, name, value)), fingerprint: await fingerprintCredential(key, name, value), created_at: now, updated_at: now };
  fake.put(t.account_id, t.kv_namespace_id, `cred:${name}`, JSON.stringify(record));
}

const yaml = { "content-type": "text/yaml" };
const json = { "content-type": "application/json" };

/** A workflow that reads a credential and answers it reversed (a reversed secret is not redacted). */
const secretWorkflow = (name: string) => `name: ${name}
triggers: [webhook, query]
flow: ["input >> ON_SUCCESS >> peek"]
config:
  peek:
    component: code
    input: {s: "{{credential.api_secret}}", who: "{{input.who}}"}
    code: "return {reversed: input.s.split('').reverse().join(''), who: input.who}"
`;

describe("keys", () => {
  test("GET /keys lists ids and times, never a key; POST /keys makes another; a revoked key stops within the cache bound", async () => {
    const t = await newTenant();
    const created = await host.auth("/keys", { method: "POST", key: t.api_key });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.match(created.body.api_key, /^arc_/);
    const list = await host.auth("/keys", { key: t.api_key });
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.keys.map((k: any) => k.key_id).sort(), [t.key_id, created.body.key_id].sort());
    const text = JSON.stringify(list.body);
    assert.ok(!text.includes(t.api_key) && !text.includes(created.body.api_key), "GET /keys never shows a key");
    assert.ok(list.body.keys.some((k: any) => k.last_used_at !== null), "the key in use has a last-used time");

    // the second key works on the executor, then is revoked
    assert.equal((await host.executor("/workflows", { key: created.body.api_key })).status, 200);
    assert.equal((await host.executor("/workflows", { headers: { authorization: `Bearer ${created.body.api_key}` } })).status, 200, "Authorization: Bearer works too");
    const revoked = await host.auth(`/keys/${created.body.key_id}`, { method: "DELETE", key: t.api_key });
    assert.deepEqual(revoked.body, { key_id: created.body.key_id, revoked: true });
    assert.equal((await host.auth("/keys", { key: created.body.api_key })).status, 401, "the auth Worker refuses it at once");
    const started = Date.now();
    const refused = await eventually(async () => {
      const res = await host.executor("/workflows", { key: created.body.api_key });
      return res.status === 401 ? res : undefined;
    }, "the executor to refuse the revoked key");
    const took = Date.now() - started;
    assert.equal(refused.body.error.code, "unauthorized");
    assert.ok(took <= CACHE_MS + 1000, `refused ${took} ms after revocation; the bound is ${CACHE_MS} ms`);
    // the first key still works; a key of another tenant's id cannot be revoked: 404
    assert.equal((await host.executor("/workflows", { key: t.api_key })).status, 200);
    assert.equal((await host.auth(`/keys/${created.body.key_id}`, { method: "DELETE", key: t.api_key })).body.error.code, "key_not_found");
  });

  test("no key, a wrong key, a non-arc key: 401 on the executor and the auth Worker; /health needs none", async () => {
    assert.equal((await host.executor("/health")).status, 200);
    const cases: Record<string, string>[] = [{}, { "x-arcrun-api-key": `arc_${hex(32)}` }, { authorization: "Bearer not-a-key" }];
    for (const headers of cases) {
      const ex = await host.executor("/workflows", { headers });
      assert.equal(ex.status, 401);
      assert.equal(ex.body.error.code, "unauthorized");
      assert.equal((await host.auth("/keys", { headers })).status, 401);
    }
  });

  test("PUT /token replaces the Cloudflare token after checking it; a token in the body is refused", async () => {
    const t = await newTenant();
    const replacement = `cf_${hex(20)}`;
    fake.addToken({ token: replacement, account_id: t.account_id, kv: "read" });
    const inBody = await host.auth("/token", { method: "PUT", key: t.api_key, body: JSON.stringify({ token: replacement }) });
    assert.equal(inBody.body.error.code, "token_in_body");
    const bad = await host.auth("/token", { method: "PUT", key: t.api_key, headers: { "cf-api-token": "cf_unknown" } });
    assert.equal(bad.body.error.code, "cloudflare_token_invalid");
    const ok = await host.auth("/token", { method: "PUT", key: t.api_key, headers: { "cf-api-token": replacement } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.ok(!JSON.stringify(ok.body).includes(replacement));
  });
});

describe("two tenants", () => {
  let a: Tenant;
  let b: Tenant;
  const webhook: Record<string, string> = {};
  let runA: string;

  before(async () => {
    a = await newTenant();
    b = await newTenant();
    await pushCredential(a, "api_secret", "alpha-secret-0123456789");
    await pushCredential(b, "api_secret", "bravo-secret-9876543210");
    for (const t of [a, b]) {
      const pushed = await host.executor("/workflows", { method: "POST", key: t.api_key, headers: yaml, body: secretWorkflow(t === a ? "only_a" : "only_b") });
      assert.equal(pushed.status, 201, JSON.stringify(pushed.body));
      webhook[t.tenant_id] = new URL(pushed.body.webhook_url).pathname;
    }
    // the same name in both tenants: two different workflows
    for (const t of [a, b]) {
      const pushed = await host.executor("/workflows", { method: "POST", key: t.api_key, headers: yaml, body: secretWorkflow("shared_name") });
      assert.equal(pushed.status, 201, JSON.stringify(pushed.body));
    }
    const run = await host.executor("/q/only_a?who=a", { key: a.api_key });
    assert.equal(run.status, 200, JSON.stringify(run.body));
    runA = run.body.run_id;
  });

  test("each tenant's workflow decrypts its own credential from its own KV, through the Cloudflare API", async () => {
    const ra = await host.executor("/q/shared_name?who=a", { key: a.api_key });
    const rb = await host.executor("/q/shared_name?who=b", { key: b.api_key });
    assert.equal(ra.body.result.reversed, [..."alpha-secret-0123456789"].reverse().join(""), JSON.stringify(ra.body));
    assert.equal(rb.body.result.reversed, [..."bravo-secret-9876543210"].reverse().join(""), JSON.stringify(rb.body));
    const reads = fake.received.filter((r: any) => r.path.endsWith("/values/cred%3Aapi_secret") || r.path.endsWith("/values/cred:api_secret"));
    assert.ok(reads.length >= 2, "credentials were read through the KV REST API");
  });

  test("B lists only its own workflows and runs", async () => {
    const wf = await host.executor("/workflows", { key: b.api_key });
    const names = (wf.body.workflows ?? wf.body).map((w: any) => w.name).sort();
    assert.deepEqual(names, ["only_b", "shared_name"]);
    const runs = await host.executor("/runs?limit=500", { key: b.api_key });
    assert.equal(runs.status, 200);
    assert.ok(!runs.body.runs.some((r: any) => r.run_id === runA || r.workflow === "only_a"));
  });

  test("B guessing A's workflow name, run id, webhook token, recipe and component gets 404s", async () => {
    const k = b.api_key;
    const expect404 = async (what: string, res: Promise<{ status: number; body: any }>) => {
      const { status, body } = await res;
      assert.equal(status, 404, `${what}: ${status} ${JSON.stringify(body)}`);
      assert.ok(!JSON.stringify(body).includes("alpha-secret"), what);
    };
    await expect404("GET workflow", host.executor("/workflows/only_a", { key: k }));
    await expect404("DELETE workflow", host.executor("/workflows/only_a", { method: "DELETE", key: k }));
    await expect404("query", host.executor("/q/only_a", { key: k }));
    await expect404("named query", host.executor("/webhooks/named/only_a/query", { method: "POST", key: k, headers: json, body: "{}" }));
    await expect404("GET run", host.executor(`/runs/${runA}`, { key: k }));
    await expect404("rerun", host.executor(`/runs/${runA}/rerun`, { method: "POST", key: k, headers: json, body: "{}" }));
    // a webhook token of A's triggers A's workflow only, whoever sends it; a guessed token finds nothing
    await expect404("guessed webhook", host.executor(`/webhooks/${hex(16)}/trigger`, { method: "POST", headers: json, body: "{}" }));
    // recipes and components: A stores one of each, B cannot see or delete them
    const recipe = (await import("node:fs")).readFileSync(new URL("../recipes/slack_post.yaml", import.meta.url), "utf8").replace("name: slack_post", "name: a_recipe");
    const put = await host.executor("/recipes/a_recipe", { method: "PUT", key: a.api_key, headers: yaml, body: recipe });
    assert.equal(put.status, 201, JSON.stringify(put.body));
    await expect404("GET recipe", host.executor("/recipes/a_recipe", { key: k }));
    await expect404("DELETE recipe", host.executor("/recipes/a_recipe", { method: "DELETE", key: k }));
    assert.ok(!(await host.executor("/recipes", { key: k })).body.recipes.some((r: any) => r.name === "a_recipe"));
    assert.equal((await host.executor("/recipes/a_recipe", { key: a.api_key })).status, 200);
    const { readFileSync } = await import("node:fs");
    const { parse } = await import("yaml");
    const contract = { ...parse(readFileSync(new URL("../components/text_case/contract.yaml", import.meta.url), "utf8")), name: "a_shout" };
    const wasm = readFileSync(new URL("../components/text_case/build/text_case.wasm", import.meta.url)).toString("base64");
    const pub = await host.executor("/components/a_shout", { method: "PUT", key: a.api_key, headers: json, body: JSON.stringify({ contract, wasm }) });
    assert.ok(pub.status === 201 || pub.status === 200, JSON.stringify(pub.body));
    await expect404("GET component", host.executor("/components/a_shout", { key: k }));
    await expect404("DELETE component", host.executor("/components/a_shout", { method: "DELETE", key: k }));
    const listed = await host.executor("/components", { key: k });
    assert.equal(listed.status, 200);
    assert.ok(!JSON.stringify(listed.body).includes("a_shout"), "B's component list does not show A's");
    assert.ok(JSON.stringify((await host.executor("/components", { key: a.api_key })).body).includes("a_shout"));
    assert.equal((await host.executor("/components/a_shout", { key: a.api_key })).status, 200);
    // A runs it (the manifest and the compiled workflow are now cached in the isolate) ...
    const usesShout = `name: uses_shout\ntriggers: [query]\nflow: ["input >> ON_SUCCESS >> n"]\nconfig:\n  n:\n    component: a_shout\n    text: "{{input.text}}"\n    case: upper\n`;
    assert.equal((await host.executor("/workflows", { method: "POST", key: a.api_key, headers: yaml, body: usesShout })).status, 201);
    assert.equal((await host.executor("/q/uses_shout?text=hello", { key: a.api_key })).body.result, "HELLO");
    // ... and B, at once, still cannot use it
    const bWorkflow = await host.executor("/workflows", { method: "POST", key: k, headers: yaml, body: usesShout });
    assert.equal(bWorkflow.status, 422, `B cannot use A's component: ${JSON.stringify(bWorkflow.body)}`);
    // B publishes its own a_shout (another module) and pushes the very same YAML: each runs its own
    const bContract = { ...parse(readFileSync(new URL("../components/c_reverse/contract.yaml", import.meta.url), "utf8")), name: "a_shout" };
    const bWasm = readFileSync(new URL("../components/c_reverse/build/c_reverse.wasm", import.meta.url)).toString("base64");
    const bPub = await host.executor("/components/a_shout", { method: "PUT", key: k, headers: json, body: JSON.stringify({ contract: bContract, wasm: bWasm }) });
    assert.ok(bPub.status === 201 || bPub.status === 200, JSON.stringify(bPub.body));
    const sameYaml = usesShout.replace("    case: upper\n", "");
    for (const t of [a, b]) {
      const pushed = await host.executor("/workflows", { method: "POST", key: t.api_key, headers: yaml, body: sameYaml });
      assert.ok(pushed.status === 200 || pushed.status === 201, JSON.stringify(pushed.body));
    }
    const ra = await host.executor("/q/uses_shout?text=hello", { key: a.api_key });
    const rb = await host.executor("/q/uses_shout?text=hello", { key: k });
    assert.equal(ra.status, 200, JSON.stringify(ra.body));
    assert.equal(rb.status, 200, JSON.stringify(rb.body));
    assert.equal(rb.body.result, "olleh", "B's a_shout is B's module (c_reverse)");
    assert.notEqual(ra.body.result, "olleh", "A's a_shout is still A's module (text_case)");
  });

  test("A's webhook token triggers A's workflow with A's credential; B's key changes nothing about that", async () => {
    const res = await host.executor(webhook[a.tenant_id], { method: "POST", headers: json, body: JSON.stringify({ who: "hook" }) });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const run = await eventually(async () => {
      const r = await host.executor(`/runs/${res.body.run_id}`, { key: a.api_key });
      return r.status === 200 && r.body.status !== "running" ? r : undefined;
    }, "the webhook run");
    assert.equal(run.body.status, "succeeded", JSON.stringify(run.body));
    assert.equal(run.body.nodes.at(-1).output.reversed ?? run.body.result.reversed, [..."alpha-secret-0123456789"].reverse().join(""));
    assert.equal((await host.executor(`/runs/${res.body.run_id}`, { key: b.api_key })).status, 404);
  });

  test("the same Idempotency-Key from two tenants makes two runs; a record sealed with A's data key does not open for B", async () => {
    const idem = `evt-${hex(4)}`;
    const send = (t: Tenant) => host.executor(webhook[t.tenant_id], { method: "POST", headers: { ...json, "idempotency-key": idem }, body: JSON.stringify({ who: "idem" }) });
    const first = await send(a);
    const second = await send(b);
    assert.equal(first.status, 202, JSON.stringify(first.body));
    assert.equal(second.status, 202, JSON.stringify(second.body));
    assert.notEqual(first.body.run_id, second.body.run_id);
    assert.equal((await send(a)).body.run_id, first.body.run_id, "within one tenant the key still dedupes");
    // A's sealed record copied into B's namespace: B's data key cannot open it
    const copied = fake.values(a.account_id, a.kv_namespace_id)["cred:api_secret"];
    fake.put(b.account_id, b.kv_namespace_id, "cred:stolen", copied);
    const thief = secretWorkflow("thief").replace("credential.api_secret", "credential.stolen");
    assert.equal((await host.executor("/workflows", { method: "POST", key: b.api_key, headers: yaml, body: thief })).status, 201);
    const run = await host.executor("/q/thief?who=b", { key: b.api_key });
    const text = JSON.stringify(run.body);
    assert.ok(!text.includes("alpha-secret") && !text.includes([..."alpha-secret-0123456789"].reverse().join("")), text);
    assert.match(text, /credential/);
    assert.notEqual(run.body.status, "succeeded", text);
  });

  test("the executor refuses to write credentials: they live in the tenant's own KV", async () => {
    const res = await host.executor("/credentials/api_secret", { method: "DELETE", key: b.api_key });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, "tenant_credentials_read_only");
    const list = await host.executor("/credentials", { key: a.api_key });
    assert.equal(list.status, 200, JSON.stringify(list.body));
    assert.deepEqual(list.body.credentials.map((c: any) => c.name), ["api_secret"]);
  });

  test("the Cloudflare API answering 429 or 5xx at run time fails the node with a retryable error; nothing else breaks", async () => {
    fake.failNext(503, 20);
    const res = await host.executor("/q/only_b?who=b", { key: b.api_key });
    fake.failNext(503, 0);
    assert.notEqual(res.status, 500, JSON.stringify(res.body));
    const text = JSON.stringify(res.body);
    assert.ok(text.includes("credential_store_unavailable"), text);
    assert.equal((await host.executor("/q/only_b?who=b", { key: b.api_key })).body.result.reversed, [..."bravo-secret-9876543210"].reverse().join(""));
  });

  test("cron: each tenant's cron workflow fires in its own tick, with its own credential and its own runs", async () => {
    for (const t of [a, b]) {
      const cron = secretWorkflow("ticker").replace("triggers: [webhook, query]", 'triggers: [{cron: "*/5 * * * *", input: {who: cron}}]');
      const pushed = await host.executor("/workflows", { method: "POST", key: t.api_key, headers: yaml, body: cron });
      assert.equal(pushed.status, 201, JSON.stringify(pushed.body));
    }
    const worker = await host.mf.getWorker("arcrun-executor");
    await worker.scheduled({ scheduledTime: new Date("2026-12-02T10:05:00Z"), cron: "* * * * *" });
    for (const [t, secret] of [[a, "alpha-secret-0123456789"], [b, "bravo-secret-9876543210"]] as const) {
      const runs = await eventually(async () => {
        const r = await host.executor("/runs?workflow=ticker&trigger=cron", { key: t.api_key });
        return r.body.runs?.length && r.body.runs.every((x: any) => x.status !== "running") ? r.body.runs : undefined;
      }, "the cron run");
      assert.equal(runs.length, 1, JSON.stringify(runs));
      assert.equal(runs[0].scheduled_time, "2026-12-02T10:05:00.000Z");
      const run = await host.executor(`/runs/${runs[0].run_id}`, { key: t.api_key });
      assert.equal(run.body.status, "succeeded", JSON.stringify(run.body));
      assert.equal(run.body.nodes.at(-1).output.reversed, [...secret].reverse().join(""));
    }
  });

  test("nothing stored holds a Cloudflare token, an API key or a data key in plain text", async () => {
    const secrets = [a.token, b.token, a.api_key, b.api_key, a.data_key, b.data_key, "alpha-secret-0123456789", "bravo-secret-9876543210"];
    const dumps: string[] = [];
    for (const [worker, ns] of [["arcrun-auth", "ACCOUNTS_KV"], ["arcrun-executor", "WEBHOOKS"]] as const) {
      const kv = await host.mf.getKVNamespace(ns, worker);
      let cursor: string | undefined;
      do {
        const page = await kv.list({ cursor });
        for (const key of page.keys) dumps.push(`${key.name}=${await kv.get(key.name)}`);
        cursor = page.list_complete ? undefined : page.cursor;
      } while (cursor);
    }
    const db = await host.mf.getD1Database("ARCRUN_DB", "arcrun-executor");
    const rows = await db.prepare("SELECT * FROM runs").all();
    dumps.push(JSON.stringify(rows.results));
    assert.ok(rows.results.length >= 4);
    assert.ok(rows.results.every((r: any) => /^t_[0-9a-f]{20}$/.test(r.tenant_id)), "every run row belongs to a tenant");
    const bucket = await host.mf.getR2Bucket("WASM_BUCKET", "arcrun-executor");
    const objects = await bucket.list();
    assert.ok(objects.objects.every((o) => o.key.startsWith("t/")), "R2 keys are tenant-scoped");
    for (const o of objects.objects) dumps.push(`${o.key}=${await (await bucket.get(o.key))!.text()}`);
    dumps.push(...host.logs);
    assert.ok(host.logs.length > 0, "the Workers' log lines were captured");
    const all = dumps.join("\n");
    assert.ok(all.length > 1000);
    for (const secret of secrets) assert.ok(!all.includes(secret), `a secret (${secret.slice(0, 6)}…) is stored in plain text`);
  });
});

describe("deleting a tenant", () => {
  test("DELETE /tenant removes the tenant, its keys and everything it stored on the executor", async () => {
    const t = await newTenant();
    await pushCredential(t, "api_secret", "charlie-secret-000");
    const pushed = await host.executor("/workflows", { method: "POST", key: t.api_key, headers: yaml, body: secretWorkflow("doomed") });
    assert.equal(pushed.status, 201);
    const hook = new URL(pushed.body.webhook_url).pathname;
    const ran = await host.executor("/q/doomed?who=c", { key: t.api_key });
    assert.equal(ran.status, 200);
    // a sync run is recorded just after its answer (the recording queue): wait until it is stored
    await eventually(async () => ((await host.executor(`/runs/${ran.body.run_id}`, { key: t.api_key })).status === 200 ? true : undefined), "the run to be recorded");
    const kv = await host.mf.getKVNamespace("WEBHOOKS", "arcrun-executor");
    assert.ok((await kv.list({ prefix: `t:${t.tenant_id}:` })).keys.length > 0);

    const deleted = await host.auth("/tenant", { method: "DELETE", key: t.api_key });
    assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
    assert.deepEqual(deleted.body, { tenant_id: t.tenant_id, deleted: true, executor_purged: true });
    assert.equal((await kv.list({ prefix: `t:${t.tenant_id}:` })).keys.length, 0, "no KV key of the tenant is left");
    const db = await host.mf.getD1Database("ARCRUN_DB", "arcrun-executor");
    assert.equal((await db.prepare("SELECT COUNT(*) AS n FROM runs WHERE tenant_id = ?").bind(t.tenant_id).first<{ n: number }>())!.n, 0);
    assert.equal((await host.auth("/keys", { key: t.api_key })).status, 401);
    await eventually(async () => ((await host.executor("/workflows", { key: t.api_key })).status === 401 ? true : undefined), "the deleted tenant's key to stop");
    const trigger = await host.executor(hook, { method: "POST", headers: json, body: "{}" });
    assert.equal(trigger.status, 404, "the webhook URL of a deleted tenant finds nothing");
  });
});
