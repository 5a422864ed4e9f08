/**
 * A shared deployment driven by the real `acr` binary (issue 15, "Done when"): the local server in
 * multi-tenant mode (executor, registry and auth Worker in one workerd, as `MULTI_TENANT=true npm
 * start` serves them), the Cloudflare API answered by scripts/fake-cloudflare.mjs. `acr init
 * --standard` registers; `acr creds push` seals with the data key here and writes into the
 * tenant's own (fake) KV with the user's write token; a pushed workflow runs with the credential,
 * redacted in its run record; `acr keys create | list | revoke` (a revoked key is refused within
 * the cache bound); `acr tenant delete`. No command prints a token or key, except `acr keys
 * create`'s one-time answer.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateEncryptionKey, parseEncryptionKey } from "@arcrun/core";
import { startDevServer, type DevServer } from "@arcrun/local/host/dev-server";
// @ts-expect-error plain .mjs script without types
import { startFakeCloudflare } from "../scripts/fake-cloudflare.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "packages/cli/bin/acr.mjs");
const work = mkdtempSync(join(tmpdir(), "acr-tenants-"));
const config = join(work, "home", "config.json");
const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const CACHE_MS = 300;
const SECRET = `s3cr3t-${hex(12)}`;

let fake: any;
let server: DevServer;
const banner: string[] = [];
const account_id = hex(16);
let kv_namespace_id: string;
const readToken = `cf_read_${hex(16)}`;
const writeToken = `cf_write_${hex(16)}`;
/** every stdout and stderr the CLI wrote (scanned for secrets at the end), keyed by command */
const outputs: { args: string[]; stdout: string; stderr: string }[] = [];
let dataKey = "";
const dataKeys: string[] = [];

interface Result { code: number; stdout: string; stderr: string; json?: any }

function acr(args: string[], env: Record<string, string | undefined> = {}): Promise<Result> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(ARCRUN_|CLOUDFLARE_|CF_|REGISTRY_|MULTI_TENANT|PORT$)/.test(k)) base[k] = v;
  Object.assign(base, { HOME: join(work, "home"), ARCRUN_CONFIG: config, NO_COLOR: "1", CLOUDFLARE_API_BASE_URL: fake.baseUrl, ARCRUN_STATE_DIR: join(work, "no-local-key") });
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete base[k]; else base[k] = v;
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: work, env: base, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as any).code === "number" ? (error as any).code : 1) : 0;
      outputs.push({ args, stdout, stderr });
      let json: unknown;
      if (args.includes("--json")) try { json = JSON.parse(stdout); } catch { json = undefined; }
      resolve({ code, stdout, stderr, json });
    });
  });
}

const savedConfig = () => JSON.parse(readFileSync(config, "utf8"));

before(async () => {
  fake = await startFakeCloudflare();
  kv_namespace_id = fake.addNamespace({ account_id, title: "my-arcrun-credentials" });
  fake.addToken({ token: readToken, account_id, kv: "read" });
  fake.addToken({ token: writeToken, account_id, kv: "write" });
  server = await startDevServer({
    port: 0,
    registryPort: 0,
    stateDir: join(work, "state"),
    encryptionKey: generateEncryptionKey(),
    registerStandard: false,
    multiTenant: { authPort: 0, cloudflareApiBaseUrl: fake.baseUrl, tenantCacheMs: CACHE_MS },
    log: (line) => banner.push(line),
  });
  mkdirSync(join(work, "home"), { recursive: true });
});

after(async () => {
  await server?.stop();
  await fake?.stop();
  rmSync(work, { recursive: true, force: true });
});

const workflow = `name: tenant_secret
triggers: [webhook, query]
flow: ["input >> ON_SUCCESS >> peek"]
config:
  peek:
    component: code
    input: {s: "{{credential.api_secret}}"}
    code: "return {reversed: input.s.split('').reverse().join(''), plain: input.s}"
`;

describe("acr against a shared deployment on this machine", () => {
  test("the local server serves the auth Worker in multi-tenant mode and names it in the banner", async () => {
    assert.ok(server.authUrl, "an auth URL");
    assert.ok(banner.some((l) => l.includes(server.authUrl!)), banner.join("\n"));
    const health = await fetch(`${server.authUrl}/health`);
    assert.equal(health.status, 200);
    const refused = await fetch(`${server.url}/workflows`);
    assert.equal(refused.status, 401, "the executor needs a tenant's key");
  });

  test("acr init --standard without a terminal and with values missing: exit 2 naming what to pass, nothing written", async () => {
    const r = await acr(["init", "--standard", "--url", server.url, "--auth-url", server.authUrl!, "--account-id", account_id], { CF_KV_READ_TOKEN: readToken });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--email/);
    assert.match(r.stderr, /--namespace-id/);
    assert.doesNotMatch(r.stderr, /missing: --account-id/, "the account id was given");
    assert.throws(() => statSync(config), "no config written");
  });

  test("acr init --standard with a token Cloudflare does not know: exit 2 with the auth Worker's reason, the token not echoed", async () => {
    const bogus = `cf_bogus_${hex(16)}`;
    const r = await acr(["init", "--standard", "--url", server.url, "--auth-url", server.authUrl!, "--email", "ada@example.com", "--account-id", account_id, "--namespace-id", kv_namespace_id, "--json"], { CF_KV_READ_TOKEN: bogus });
    assert.equal(r.code, 2, r.stderr + r.stdout);
    assert.equal(r.json.error.code, "cloudflare_token_invalid");
    assert.ok(!(r.stdout + r.stderr).includes(bogus));
    assert.throws(() => statSync(config), "no config written");
  });

  test("acr init --standard registers and writes api_key and data_key into the config (0600), printing neither", async () => {
    const r = await acr(["init", "--standard", "--url", server.url, "--auth-url", server.authUrl!, "--email", "ada@example.com", "--account-id", account_id, "--namespace-id", kv_namespace_id, "--json"], { CF_KV_READ_TOKEN: readToken });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.json.tenant_id, /^t_[0-9a-f]{20}$/);
    const saved = savedConfig();
    assert.equal(saved.mode, "standard");
    assert.match(saved.api_key, /^arc_/);
    assert.ok(saved.data_key);
    dataKey = saved.data_key;
    dataKeys.push(dataKey);
    assert.equal(saved.tenant_id, r.json.tenant_id);
    assert.equal(statSync(config).mode & 0o777, 0o600);
    assert.ok(!r.stdout.includes(saved.api_key) && !r.stdout.includes(saved.data_key), "neither key is printed");
    // registered again without --force: refused, config kept
    const again = await acr(["init", "--standard", "--url", server.url, "--auth-url", server.authUrl!, "--email", "ada@example.com", "--account-id", account_id, "--namespace-id", kv_namespace_id], { CF_KV_READ_TOKEN: readToken });
    assert.equal(again.code, 2);
    assert.equal(savedConfig().api_key, saved.api_key);
  });

  test("acr creds push seals with the data key and writes into the tenant's own KV; the stored value is not the plaintext", async () => {
    writeFileSync(join(work, "credentials.yaml"), `api_secret: "${SECRET}"\n`);
    const noToken = await acr(["creds", "push"]);
    assert.equal(noToken.code, 2);
    assert.match(noToken.stderr, /CLOUDFLARE_API_TOKEN/);
    const readOnly = await acr(["creds", "push"], { CLOUDFLARE_API_TOKEN: readToken });
    assert.equal(readOnly.code, 2, readOnly.stderr);
    assert.match(readOnly.stderr, /KV Storage: Edit/);

    const r = await acr(["creds", "push", "--json"], { CLOUDFLARE_API_TOKEN: writeToken });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.json.results.map((x: any) => [x.name, x.status]), [["api_secret", "created"]]);
    const stored = fake.values(account_id, kv_namespace_id)["cred:api_secret"];
    assert.ok(stored, "the record is in the tenant's namespace");
    assert.ok(!stored.includes(SECRET), "sealed, not the plaintext");
    const record = JSON.parse(stored);
    assert.equal(record.alg, "AES-256-GCM");
    assert.equal((await parseEncryptionKey(dataKey)).id, record.kid, "sealed with the tenant's data key");
    const again = await acr(["creds", "push", "--json"], { CLOUDFLARE_API_TOKEN: writeToken });
    assert.equal(again.json.results[0].status, "unchanged");
    // the executor lists it, reading the namespace with the read-only token
    const list = await acr(["creds", "list", "--json"]);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(list.json.credentials.map((c: any) => c.name), ["api_secret"]);
  });

  test("acr push + acr run: the workflow gets the credential's value, redacted in the run record", async () => {
    writeFileSync(join(work, "tenant_secret.yaml"), workflow);
    const pushed = await acr(["push", "tenant_secret.yaml"]);
    assert.equal(pushed.code, 0, pushed.stderr);
    const run = await acr(["run", "tenant_secret", "--json"]);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.equal(run.json.status, "succeeded");
    const text = JSON.stringify(run.json);
    assert.ok(text.includes([...SECRET].reverse().join("")), "the node saw the right value");
    assert.ok(!text.includes(SECRET), "the value itself is redacted in the run record");
    assert.ok(text.includes("[redacted:api_secret]"), text.slice(0, 400));
  });

  test("acr keys create | list | revoke: the new key works, is listed without its value, and is refused within the cache bound once revoked", async () => {
    const created = await acr(["keys", "create", "--json"]);
    assert.equal(created.code, 0, created.stderr);
    const key = created.json.api_key as string;
    assert.match(key, /^arc_/);
    const listed = await acr(["keys", "list", "--json"]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(listed.json.keys.length, 2);
    assert.ok(!listed.stdout.includes(key) && !listed.stdout.includes(savedConfig().api_key));
    const table = await acr(["keys", "list"]);
    assert.match(table.stdout, new RegExp(savedConfig().key_id));

    const withNew = await acr(["list", "--json"], { ARCRUN_API_KEY: key });
    assert.equal(withNew.code, 0, withNew.stderr);
    assert.deepEqual(withNew.json.workflows.map((w: any) => w.name), ["tenant_secret"]);

    const revoked = await acr(["keys", "revoke", created.json.key_id, "--json"]);
    assert.equal(revoked.code, 0, revoked.stderr);
    const unknown = await acr(["keys", "revoke", "k_nope"]);
    assert.equal(unknown.code, 2);
    await new Promise((r) => setTimeout(r, CACHE_MS + 100));
    const refused = await acr(["list"], { ARCRUN_API_KEY: key });
    assert.equal(refused.code, 2, refused.stdout);
    assert.match(refused.stderr, /unknown or revoked/);
    const still = await acr(["list"]);
    assert.equal(still.code, 0, "the config's key still works");
  });

  test("acr tenant delete asks (no terminal: exit 2), then with --yes deletes the tenant; its key stops working", async () => {
    const asked = await acr(["tenant", "delete"]);
    assert.equal(asked.code, 2);
    assert.match(asked.stderr, /--yes/);
    const oldKey = savedConfig().api_key;
    const r = await acr(["tenant", "delete", "--yes", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.deleted, true);
    const saved = savedConfig();
    assert.equal(saved.api_key, undefined);
    assert.equal(saved.data_key, undefined);
    await new Promise((r) => setTimeout(r, CACHE_MS + 100));
    const gone = await acr(["list"], { ARCRUN_API_KEY: oldKey });
    assert.equal(gone.code, 2);
  });

  test("without --namespace-id, CLOUDFLARE_API_TOKEN finds or creates the arcrun-credentials namespace, and registration uses it", async () => {
    const r = await acr(["init", "--standard", "--url", server.url, "--auth-url", server.authUrl!, "--email", "ada@example.com", "--account-id", account_id, "--json"], { CF_KV_READ_TOKEN: readToken, CLOUDFLARE_API_TOKEN: writeToken });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal(r.json.namespace_created, true);
    const created = Object.entries(fake.state()[account_id]).find(([, ns]: any) => ns.title === "arcrun-credentials");
    assert.ok(created, "the namespace exists on the account");
    assert.equal(r.json.kv_namespace_id, created![0]);
    assert.equal(savedConfig().kv_namespace_id, created![0]);
    dataKeys.push(savedConfig().data_key);
  });

  test("no command printed a Cloudflare token, the data key or an API key (but keys create's one answer)", () => {
    for (const o of outputs) {
      const text = o.stdout + o.stderr;
      assert.ok(!text.includes(readToken) && !text.includes(writeToken), `a token in the output of acr ${o.args.join(" ")}`);
      assert.ok(dataKeys.length === 2 && dataKeys.every((k) => !text.includes(k)), `a data key in the output of acr ${o.args.join(" ")}`);
      assert.ok(!text.includes(SECRET), `the secret in the output of acr ${o.args.join(" ")}`);
      if (o.args[0] === "keys" && o.args[1] === "create") continue;
      assert.ok(!/arc_[A-Za-z0-9_-]{43}/.test(text), `an API key in the output of acr ${o.args.join(" ")}`);
    }
  });
});
