/**
 * Issue 4 "Done when", in real workerd (Miniflare): credentials pushed with the real CLI are
 * used by `http_request` (headers, URL, body) against a local node:http server that records
 * what it received — proving the real value was sent — and echoed on purpose by a `code` node
 * (raw, base64, URL-encoded, JSON-escaped, in logs and in an error). Then every response body,
 * every KV value, every D1 row and every captured log line is scanned for the secret in each
 * form, and none is found. Rotation keeps every credential usable; every bad input of the
 * issue gets its own error and changes nothing stored. Ports 18850–18899.
 */
import { createHmac } from "node:crypto";
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { Log, LogLevel, Miniflare } from "miniflare";
import { executorMiniflareOptions } from "@arcrun/local/host/miniflare-options";
import { TEST_API_KEY, workerBundle } from "@arcrun/local/host/test-executor";
import { acr } from "./helpers";

const UPSTREAM_PORT = 18850;
const EXECUTOR_PORT = 18851;
// specials in every encoding: JSON (") URL (/+=?&% space) base64 alignment (length)
const SECRET = 'sk_live."Q7/x+y=z?&%k 9Zw';
// a `#` used to cut the URL: the part before it was sent as the path and stored unredacted
const URL_TOKEN = "utok4e7f9a#1b2c3d5e";
const HMAC_SECRET = "hmac-k3y/9f+2a=b";
const KEY_A = Buffer.alloc(32, 11).toString("base64");
const KEY_B = Buffer.alloc(32, 12).toString("base64");

/** Every form the secret must never appear in, computed here independently of core's redactor. */
function forbiddenForms(secret: string): string[] {
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  const forms = [
    secret,
    JSON.stringify(secret).slice(1, -1),
    JSON.stringify(JSON.stringify(secret)).slice(2, -2),
    b64(secret), b64(secret).replace(/=+$/, ""), Buffer.from(secret).toString("base64url"),
    encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2),
    // inside `Basic base64("user:" + secret)`: the characters that depend only on the secret
    b64(`user:${secret}`).slice(Math.ceil((8 * 5) / 6), Math.floor((8 * (5 + secret.length)) / 6)),
  ];
  return [...new Set(forms)];
}

interface Received { method: string; url: string; headers: IncomingHttpHeaders; body: string }

const WORKFLOW = `
name: cred_echo
egress: ["127.0.0.1:${UPSTREAM_PORT}"]
flow:
  - input >> ON_SUCCESS >> call
  - call >> ON_SUCCESS >> echo
  - echo >> ALWAYS >> boom
  - input >> ON_SUCCESS >> wasm_echo
  - input >> ON_SUCCESS >> sign
config:
  wasm_echo:
    component: base64
    action: encode
    text: "{{credential.api_token}}"
  sign:
    component: hmac_sign
    message: "payload-{{input.who}}"
  call:
    component: http_request
    method: POST
    url: "http://127.0.0.1:${UPSTREAM_PORT}/hook/{{credential.url_token}}?who={{input.who}}"
    headers:
      Authorization: "Bearer {{credential.api_token}}"
    body_json: {secret: "{{credential.api_token}}", note: "sent on purpose"}
  echo:
    component: code
    input:
      t: "{{credential.api_token}}"
      upstream_saw: "{{call.data.body}}"
    code: |
      var A = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
      function b64(s) {
        var out = "", i = 0;
        for (; i + 2 < s.length; i += 3) { var n = (s.charCodeAt(i) << 16) | (s.charCodeAt(i + 1) << 8) | s.charCodeAt(i + 2); out += A[(n >> 18) & 63] + A[(n >> 12) & 63] + A[(n >> 6) & 63] + A[n & 63]; }
        if (s.length - i === 1) { var m = s.charCodeAt(i) << 16; out += A[(m >> 18) & 63] + A[(m >> 12) & 63] + "=="; }
        if (s.length - i === 2) { var k = (s.charCodeAt(i) << 16) | (s.charCodeAt(i + 1) << 8); out += A[(k >> 18) & 63] + A[(k >> 12) & 63] + A[(k >> 6) & 63] + "="; }
        return out;
      }
      console.log("the token is " + input.t + " / " + b64(input.t));
      console.error(JSON.stringify({ leaked: input.t }));
      return {
        raw: input.t, b64: b64(input.t), basic: "Basic " + b64("user:" + input.t),
        url: "https://x.test/?t=" + encodeURIComponent(input.t), json: JSON.stringify({ t: input.t }),
        twice: JSON.stringify(JSON.stringify({ t: input.t })), upstream: input.upstream_saw
      };
  boom:
    component: code
    input: {t: "{{credential.api_token}}"}
    code: 'throw new Error("refusing token " + input.t + " (" + encodeURIComponent(input.t) + ")")'
`;

describe("credentials end to end in workerd", () => {
  const dir = mkdtempSync(join(tmpdir(), "arcrun-cred-e2e-"));
  const configFile = join(dir, "config.json");
  const received: Received[] = [];
  const responses: string[] = [];
  const logs: string[] = [];
  let upstream: Server;
  let mf: Miniflare;
  let url = "";

  const capture = () => new Writable({ write(chunk, _enc, done) { logs.push(String(chunk)); done(); } });
  const options = (encryptionKey: string) => {
    return {
      ...executorMiniflareOptions({ scriptPath, apiKey: TEST_API_KEY, encryptionKey, persistDir: join(dir, "state"), port: EXECUTOR_PORT }),
      log: new (class extends Log { log(message: string) { logs.push(message); } })(LogLevel.DEBUG),
      handleRuntimeStdio(stdout: NodeJS.ReadableStream, stderr: NodeJS.ReadableStream) { stdout.pipe(capture()); stderr.pipe(capture()); },
    };
  };
  let scriptPath = "";

  /** fetch on the executor; every response body is kept for the final scan */
  async function call(path: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
    const headers = new Headers(init.headers);
    if (!headers.has("authorization")) headers.set("authorization", `Bearer ${TEST_API_KEY}`);
    const res = await fetch(url + path, { ...init, headers });
    const text = await res.text();
    responses.push(text);
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }
  const cli = async (argv: string[], extra: Record<string, string> = {}) => {
    const result = await acr(argv, { cwd: dir, env: { ARCRUN_URL: url, ARCRUN_API_KEY: TEST_API_KEY, ARCRUN_CONFIG: configFile, ...extra } });
    responses.push(result.stdout, result.stderr);
    return result;
  };
  const runQuery = () => call("/webhooks/named/cred_echo/query", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ who: "ada" }) });
  async function kvDump(): Promise<Map<string, string>> {
    const all = new Map<string, string>();
    for (const binding of ["WEBHOOKS", "CREDENTIALS_KV"]) {
      const kv = await mf.getKVNamespace(binding);
      for (const { name } of (await kv.list()).keys) all.set(`${binding}/${name}`, (await kv.get(name)) ?? "");
    }
    return all;
  }
  async function d1Dump(): Promise<string[]> {
    const db = await mf.getD1Database("ARCRUN_DB");
    const tables = await db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'").all<{ name: string }>();
    const rows: string[] = [];
    for (const { name } of tables.results) {
      const result = await db.prepare(`SELECT * FROM "${name}"`).all();
      rows.push(...result.results.map((r) => `${name}: ${JSON.stringify(r)}`));
    }
    return rows;
  }

  before(async () => {
    upstream = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const entry = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      received.push(entry);
      // a careless API: echoes the credentials it was sent
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ you_sent: { authorization: req.headers.authorization, url: req.url, body: entry.body } }));
    });
    await new Promise<void>((resolve) => upstream.listen(UPSTREAM_PORT, "127.0.0.1", resolve));
    scriptPath = await workerBundle();
    writeFileSync(configFile, JSON.stringify({ encryption_key: KEY_A }));
    mf = new Miniflare(options(KEY_A));
    url = (await mf.unsafeGetDirectURL()).toString().replace(/\/$/, "");
    writeFileSync(join(dir, "credentials.yaml"), `api_token: '${SECRET}'\nurl_token:\n  value: ${URL_TOKEN}\n  description: path token\nhmac_secret: '${HMAC_SECRET}'\n`);
  });
  after(async () => {
    await mf?.dispose();
    await new Promise((resolve) => upstream.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  test("push → http_request sends the real value → every surface shows only [redacted:...]", async () => {
    const pushed = await cli(["creds", "push"]);
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.equal(pushed.stdout, "created    api_token\ncreated    url_token\ncreated    hmac_secret\n");
    const stored = await call("/workflows", { method: "POST", headers: { "content-type": "text/yaml" }, body: WORKFLOW });
    assert.equal(stored.status, 201, JSON.stringify(stored.body));

    // sync query, async webhook, and an inline /execute: three ways a run is reported
    const sync = await runQuery();
    assert.equal(sync.body.status, "failed", "boom throws on purpose");
    const token = /\/webhooks\/([0-9a-f]+)\/trigger/.exec(stored.body.webhook_url)![1];
    const trigger = await call(`/webhooks/${token}/trigger`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ who: "bob" }) });
    assert.equal(trigger.status, 202);
    let finished: any;
    for (let i = 0; i < 100 && finished?.status !== "failed"; i++) {
      await new Promise((r) => setTimeout(r, 50));
      finished = (await call(`/runs/${trigger.body.run_id}`)).body;
    }
    assert.equal(finished.status, "failed");
    const inline = await call("/execute", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ workflow: WORKFLOW, input: { who: "cy" } }) });
    assert.equal(inline.body.status, "failed");
    await call("/runs");
    await call(`/runs/${sync.body.run_id}`);
    await call("/credentials");
    await call("/workflows/cred_echo");

    // the upstream got the real values: header, body and URL
    assert.equal(received.length, 3);
    for (const r of received) {
      assert.equal(r.headers.authorization, `Bearer ${SECRET}`);
      assert.equal(JSON.parse(r.body).secret, SECRET);
      assert.ok(r.url.startsWith(`/hook/${encodeURIComponent(URL_TOKEN)}?who=`), r.url);
    }

    // the run shows only the markers, in every node
    const nodes = Object.fromEntries(sync.body.nodes.map((n: any) => [n.node, n]));
    assert.equal(nodes.call.input.headers.Authorization, "Bearer [redacted:api_token]");
    assert.equal(nodes.call.input.url, "http://127.0.0.1:18850/hook/[redacted:url_token]?who=ada");
    assert.equal(nodes.echo.output.raw, "[redacted:api_token]");
    assert.equal(nodes.echo.output.b64, "[redacted:api_token]");
    assert.match(nodes.echo.output.basic, /^Basic .*\[redacted:api_token\]/);
    assert.match(nodes.echo.logs.join("\n"), /the token is \[redacted:api_token\] \/ \[redacted:api_token\]/);
    assert.equal(nodes.boom.error.message.includes("[redacted:api_token]"), true, nodes.boom.error.message);
    assert.match(JSON.stringify(sync.body.error), /redacted:api_token/);
    // a WASM component that echoes the secret (Base64-encoded), and one whose contract has the
    // credential injected (hmac_sign: credentials_required hmac_secret → its `key` field)
    assert.equal(nodes.wasm_echo.output, "[redacted:api_token]");
    assert.equal(nodes.sign.status, "succeeded", JSON.stringify(nodes.sign.error));
    assert.equal(nodes.sign.input.key, "[redacted:hmac_secret]");
    assert.equal(nodes.sign.output, createHmac("sha256", HMAC_SECRET).update("payload-ada").digest("hex"), "the real key was injected");

    // and nothing anywhere contains a secret in any form
    const surfaces = [
      ...responses.map((text, i) => [`response #${i}`, text] as const),
      ...[...(await kvDump())].map(([key, value]) => [`KV ${key}`, value] as const),
      ...(await d1Dump()).map((row) => ["D1", row] as const),
      ["logs", logs.join("\n")] as const,
    ];
    assert.ok(surfaces.length > 20, `scanned ${surfaces.length} surfaces`);
    assert.match(logs.join("\n"), /\[node echo\] the token is \[redacted:api_token\]/, "node log lines reach the Worker log, redacted");
    assert.match(logs.join("\n"), /\[node boom\] failed: .*refusing token \[redacted:api_token\]/);
    // positive controls: the stores hold the markers, and the scan would see a leak
    assert.ok((await d1Dump()).some((row) => row.includes("[redacted:api_token]")), "D1 holds the redacted traces");
    assert.ok(forbiddenForms(SECRET).some((form) => JSON.stringify(received).includes(form)), "the scan finds the secret where it really is");
    for (const secret of [SECRET, URL_TOKEN, URL_TOKEN.split("#")[0], HMAC_SECRET]) {
      for (const form of forbiddenForms(secret)) {
        for (const [where, text] of surfaces) assert.ok(!text.includes(form), `${where} contains ${JSON.stringify(form)}: ${text.slice(0, 400)}`);
      }
    }
    const stored_record = JSON.parse((await kvDump()).get("CREDENTIALS_KV/cred:api_token")!);
    assert.deepEqual(Object.keys(stored_record).sort(), ["alg", "created_at", "encrypted", "fingerprint", "iv", "kid", "updated_at", "v"]);
  });

  test("every bad input gets its own error, and nothing stored is changed or lost", async () => {
    const before = await kvDump();
    const bad = async (file: string, text: string, code: string) => {
      writeFileSync(join(dir, file), text);
      const r = await cli(["creds", "push", file, "--json"]);
      assert.equal(r.code, 2, `${file}: ${r.stdout}`);
      assert.equal(JSON.parse(r.stdout).error.code, code, file);
    };
    await bad("list.yaml", "- a\n- b\n", "credentials_file_not_mapping");
    await bad("empty-value.yaml", "api_token: ''\n", "credentials_file_invalid");
    await bad("huge.yaml", `api_token: ${"x".repeat(65537)}\n`, "credentials_file_invalid");
    const wrongKey = await cli(["creds", "push"], { ARCRUN_ENCRYPTION_KEY: KEY_B });
    assert.match(wrongKey.stderr, /is not the executor's/);
    // straight at the API: plaintext, a record sealed with another key, a malformed record
    const plaintext = await call("/credentials/api_token", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ value: "plain" }) });
    assert.equal(plaintext.status, 400);
    assert.equal(plaintext.body.error.code, "credential_record_invalid");
    const record = JSON.parse(before.get("CREDENTIALS_KV/cred:api_token")!);
    const { created_at: _c, updated_at: _u, ...upload } = record;
    const foreign = await call("/credentials/api_token", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...upload, kid: "someotherkid" }) });
    assert.equal(foreign.status, 409);
    assert.equal(foreign.body.error.code, "encryption_key_mismatch");
    for (const [method, path] of [["GET", "/credentials"], ["PUT", "/credentials/api_token"], ["DELETE", "/credentials/api_token"], ["POST", "/credential-rotation"], ["POST", "/credential-rotation/commit"]]) {
      const anonymous = await call(path, { method, headers: { authorization: "Bearer wrong" } });
      assert.equal(anonymous.status, 401, `${method} ${path} is authenticated`);
    }
    const unknown = await call("/credentials/api_tokn", { method: "DELETE" });
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.error.message, /did you mean "api_token"/);
    assert.deepEqual(await kvDump(), before, "nothing stored changed");

    // an unknown credential in a workflow: credential_missing with the push command
    const missing = await call("/execute", {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ workflow: "name: m\nflow: ['input >> ON_SUCCESS >> a']\nconfig:\n  a: {component: code, input: {t: '{{credential.nope}}'}, code: 'return 1'}\n", input: {} }),
    });
    assert.equal(missing.body.nodes[0].error.code, "credential_missing");
    assert.match(missing.body.nodes[0].error.message, /"nope".*acr creds push/);

    // a tampered ciphertext: credential_undecryptable, the other credentials still work
    const kv = await mf.getKVNamespace("CREDENTIALS_KV");
    const bytes = Buffer.from(record.encrypted, "base64");
    bytes[3] ^= 0xff;
    await kv.put("cred:api_token", JSON.stringify({ ...record, encrypted: bytes.toString("base64") }));
    const tampered = await runQuery();
    const call_ = tampered.body.nodes.find((n: any) => n.node === "call");
    assert.equal(call_.error.code, "credential_undecryptable");
    assert.match(JSON.stringify(call_.error), /acr creds push/);
    await kv.put("cred:api_token", before.get("CREDENTIALS_KV/cred:api_token")!);
    assert.equal((await runQuery()).body.nodes.find((n: any) => n.node === "call").status, "succeeded");
  });

  test("acr validate lists the credentials the executor lacks", async () => {
    writeFileSync(join(dir, "needs.yaml"), WORKFLOW.replace("{{credential.url_token}}", "{{credential.not_pushed}}"));
    const r = await cli(["validate", "needs.yaml"]);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /credential "not_pushed" \(\{\{credential\.not_pushed\}\}\) is not stored on http:\/\/127\.0\.0\.1:18851/);
    assert.ok(!/api_token|url_token/.test(r.stdout), r.stdout);
  });

  test("rotation keeps every credential usable, also while the executor switches keys", async () => {
    const before = received.length;
    const waiting = await cli(["creds", "rotate-key", "--wait", "0"]);
    assert.equal(waiting.code, 1, waiting.stderr);
    assert.match(waiting.stderr, /every credential is staged and still works/);
    assert.equal((await runQuery()).body.nodes.find((n: any) => n.node === "call").status, "succeeded", "old key, old records");
    const newKey = JSON.parse(readFileSync(configFile, "utf8")).encryption_key;
    assert.notEqual(newKey, KEY_A);
    await mf.setOptions(options(newKey)); // what `wrangler secret put` / the local launcher does
    assert.equal((await runQuery()).body.nodes.find((n: any) => n.node === "call").status, "succeeded", "new key, staged records");
    const done = await cli(["creds", "rotate-key", "--wait", "0"]);
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, /rotated 3 credentials/);
    assert.equal((await runQuery()).body.nodes.find((n: any) => n.node === "call").status, "succeeded", "new key, committed records");
    assert.deepEqual(received.slice(before).map((r) => r.headers.authorization), Array(3).fill(`Bearer ${SECRET}`));
    const keys = [...(await kvDump()).keys()].filter((k) => k.startsWith("CREDENTIALS_KV/")).sort();
    assert.deepEqual(keys, ["CREDENTIALS_KV/cred:api_token", "CREDENTIALS_KV/cred:hmac_secret", "CREDENTIALS_KV/cred:url_token"]);
    const list = await call("/credentials");
    assert.equal(list.body.rotation, null);
    assert.ok(list.body.credentials.every((c: any) => c.kid === list.body.key_id));

    // the old key no longer opens anything: restarting with it gives credential_undecryptable
    await mf.setOptions(options(KEY_A));
    const stale = await runQuery();
    assert.equal(stale.body.nodes.find((n: any) => n.node === "call").error.code, "credential_undecryptable");
    assert.match(stale.body.nodes.find((n: any) => n.node === "call").error.message, /encrypted with key/);
  });
});
