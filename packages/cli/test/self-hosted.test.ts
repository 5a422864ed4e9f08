/**
 * `acr init --self-hosted` and `acr deploy` (issue 16 § 2–4), the real `acr` binary against a local
 * server speaking the documented Cloudflare REST API (fake-cloudflare.ts, D1 in real SQLite),
 * reached through CLOUDFLARE_API_BASE_URL: a fresh install creates every resource once, a re-run
 * changes nothing, a failure injected at each step is finished by the next run, a token missing a
 * permission is refused naming it, confirmation and dry-run, and no secret is ever printed.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakeCloudflare, type FakeCloudflare } from "./fake-cloudflare";
import { COMPATIBILITY_DATE as LOCAL_DATE } from "@arcrun/local/host/miniflare-options";
import { COMPATIBILITY_DATE, CRON, D1_DATABASE, R2_BUCKET, workerMetadata } from "../src/selfhost/desired";

const root = join(import.meta.dirname, "../../..");
const shippedMigrations = () => readdirSync(join(root, "packages/executor/migrations")).filter((f) => f.endsWith(".sql")).sort();
const bin = join(root, "packages/cli/bin/acr.mjs");

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

describe("acr init --self-hosted / acr deploy against the Cloudflare API", () => {
  let fake: FakeCloudflare;
  let dir: string;
  let n = 0;

  before(async () => {
    const build = spawnSync(process.execPath, [join(root, "scripts/build.mjs"), "cli"], { cwd: root, encoding: "utf8" });
    assert.equal(build.status, 0, build.stderr);
    fake = await startFakeCloudflare();
    dir = mkdtempSync(join(tmpdir(), "arcrun-selfhost-"));
  });
  after(async () => {
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** a fresh account, a token for it and a config file of its own */
  function setup(options: { permissions?: ("scripts" | "kv" | "d1" | "r2")[]; subdomain?: string | null } = {}) {
    const account = fake.addAccount({ subdomain: options.subdomain === null ? undefined : (options.subdomain ?? "example") });
    const token = fake.addToken({ accounts: [account], permissions: options.permissions });
    const config = join(dir, `config-${++n}.json`);
    const env = { CLOUDFLARE_API_BASE_URL: fake.url, CLOUDFLARE_API_TOKEN: token, CLOUDFLARE_ACCOUNT_ID: account, ARCRUN_CONFIG: config };
    const acr = (...args: string[]) => run(args, env);
    const readConfig = () => JSON.parse(readFileSync(config, "utf8"));
    return { account, token, config, env, acr, readConfig };
  }

  function run(args: string[], extra: Record<string, string>): Promise<Ran> {
    const env: NodeJS.ProcessEnv = { ...process.env, ...extra, HOME: dir, NO_COLOR: "1", NODE_OPTIONS: "" };
    delete env.ARCRUN_ENCRYPTION_KEY;
    return new Promise((ok) => {
      execFile(process.execPath, [bin, ...args], { cwd: dir, env, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
        ok({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
      });
    });
  }

  /** requests that change something (D1 queries are POSTs that may only read: left out) */
  const writes = (since: number) => fake.requests.slice(since).filter((r) => r.method !== "GET" && !r.path.endsWith("/query"));
  const acct = (id: string) => fake.accounts.get(id)!;

  /** nothing secret in what the CLI printed */
  function assertNoSecrets(out: Ran, secrets: string[]) {
    for (const secret of secrets) {
      assert.ok(!out.stdout.includes(secret) && !out.stderr.includes(secret), `a secret was printed:\n${out.stdout}\n${out.stderr}`);
    }
  }

  test("the Worker's compatibility date is local workerd's; bindings, names and cron are wrangler.jsonc's", () => {
    assert.equal(COMPATIBILITY_DATE, LOCAL_DATE);
    const wrangler = JSON.parse(readFileSync(join(root, "packages/executor/wrangler.jsonc"), "utf8").replace(/^\s*\/\/.*$/gm, ""));
    const metadata = workerMetadata({ kv: { WEBHOOKS: "a", CREDENTIALS_KV: "b" }, d1: "c" }, "hint");
    const names = (type: string) => metadata.bindings.filter((b) => b.type === type).map((b) => b.name).sort();
    assert.deepEqual(names("kv_namespace"), wrangler.kv_namespaces.map((k: { binding: string }) => k.binding).sort());
    assert.deepEqual(names("d1"), wrangler.d1_databases.map((d: { binding: string }) => d.binding));
    assert.equal(D1_DATABASE.name, wrangler.d1_databases[0].database_name);
    assert.deepEqual(names("r2_bucket"), wrangler.r2_buckets.map((r: { binding: string }) => r.binding));
    assert.equal(R2_BUCKET.name, wrangler.r2_buckets[0].bucket_name);
    assert.deepEqual(names("worker_loader"), wrangler.worker_loaders.map((l: { binding: string }) => l.binding));
    assert.deepEqual([CRON], wrangler.triggers.crons);
    const workflows = metadata.bindings.filter((b) => b.type === "workflow").map((b) => ({ binding: b.name, name: (b as { workflow_name: string }).workflow_name, class_name: (b as { class_name: string }).class_name }));
    assert.deepEqual(workflows, wrangler.workflows);
    assert.equal(metadata.compatibility_date, wrangler.compatibility_date);
  });

  test("a fresh install creates every resource once; a second run reports all unchanged and writes nothing", async () => {
    const s = setup();
    const first = await s.acr("init", "--self-hosted", "--yes", "--json");
    assert.equal(first.code, 0, first.stderr + first.stdout);
    const body = JSON.parse(first.stdout);
    assert.equal(body.url, "https://arcrun-executor.example.workers.dev");
    const statuses = Object.fromEntries(body.results.map((r: { step: string; status: string }) => [r.step, r.status]));
    for (const step of ["kv:WEBHOOKS", "kv:CREDENTIALS_KV", "d1:ARCRUN_DB", "migrations", "r2:WASM_BUCKET", "key:encryption", "key:api", "worker", "secrets", "cron", "workers.dev", "config"]) {
      assert.equal(statuses[step], "created", `${step}: ${statuses[step]}`);
    }
    const a = acct(s.account);
    assert.deepEqual(a.kv.map((k) => k.title).sort(), ["arcrun-credentials", "arcrun-webhooks"]);
    assert.deepEqual(a.d1.map((d) => d.name), ["arcrun"]);
    assert.deepEqual(a.r2.map((b) => b.name), ["arcrun-wasm"]);
    // the migrations ran for real, with the executor migrator's bookkeeping
    const tables = (await fake.query(s.account, a.d1[0].uuid, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).map((r) => r.name);
    for (const table of ["d1_migrations", "runs", "node_traces", "claims"]) assert.ok(tables.includes(table), `table ${table} missing: ${tables}`);
    const applied = (await fake.query(s.account, a.d1[0].uuid, "SELECT name FROM d1_migrations ORDER BY name")).map((r) => r.name);
    // every migration the executor ships, in order
    const shipped = shippedMigrations();
    assert.ok(shipped.length >= 5);
    assert.deepEqual(applied, shipped);
    // the Worker: modules, bindings to the resources just made, secrets, cron, workers.dev
    const script = a.scripts.get("arcrun-executor")!;
    assert.equal(script.metadata.main_module, "worker.js");
    assert.equal(script.metadata.compatibility_date, COMPATIBILITY_DATE);
    assert.ok(Object.keys(script.modules).filter((m) => m.endsWith(".wasm")).length >= 20);
    const binding = (name: string) => script.metadata.bindings.find((b) => b.name === name)!;
    assert.equal(binding("WEBHOOKS").namespace_id, a.kv.find((k) => k.title === "arcrun-webhooks")!.id);
    assert.equal(binding("ARCRUN_DB").id, a.d1[0].uuid);
    assert.equal(binding("WASM_BUCKET").bucket_name, "arcrun-wasm");
    assert.equal(binding("LOADER").type, "worker_loader");
    assert.deepEqual(script.schedules, ["* * * * *"]);
    assert.equal(script.workersDev, true);
    const config = s.readConfig();
    assert.equal(config.url, "https://arcrun-executor.example.workers.dev");
    assert.equal(script.secrets.get("ARCRUN_API_KEY"), config.api_key);
    assert.equal(script.secrets.get("ARCRUN_ENCRYPTION_KEY"), config.encryption_key);
    assert.equal(config.self_hosted.account_id, s.account);
    assertNoSecrets(first, [s.token, config.api_key, config.encryption_key]);

    // again, without --yes and without a terminal: nothing to change, so nothing to ask
    const mark = fake.requests.length;
    const second = await s.acr("init", "--self-hosted");
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /everything unchanged/);
    assert.ok(!/\bcreate\b|\bupdate\b/.test(second.stderr.split("\n").filter((l) => l.startsWith("  ")).join("\n")), second.stderr);
    assert.deepEqual(writes(mark), [], "a re-run sends no writes");
    assert.equal(a.scripts.get("arcrun-executor")!.uploads, 1);
    assertNoSecrets(second, [s.token, config.api_key, config.encryption_key]);

    // acr deploy: the same plan; an upgrade (another bundle hash) uploads again and keeps the keys
    const deployed = await s.acr("deploy", "--json");
    assert.equal(deployed.code, 0, deployed.stderr);
    assert.ok(JSON.parse(deployed.stdout).results.every((r: { status: string }) => r.status === "unchanged"));
    writeFileSync(s.config, JSON.stringify({ ...config, self_hosted: { ...config.self_hosted, worker_hash: "older-version" } }));
    const upgrade = await s.acr("deploy", "--yes", "--json");
    assert.equal(upgrade.code, 0, upgrade.stderr);
    const upgraded = JSON.parse(upgrade.stdout).results.filter((r: { status: string }) => r.status !== "unchanged").map((r: { step: string }) => r.step);
    assert.deepEqual(upgraded, ["worker"]);
    assert.equal(a.scripts.get("arcrun-executor")!.uploads, 2);
    assert.equal(s.readConfig().api_key, config.api_key);
  });

  test("--dry-run prints the plan and changes nothing; without --yes and a terminal it exits 2", async () => {
    const s = setup();
    const mark = fake.requests.length;
    const dry = await s.acr("init", "--self-hosted", "--dry-run");
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /plan \(dry run: nothing changes\) for arcrun on Cloudflare account/);
    assert.match(dry.stdout, /create\s+KV namespace\s+arcrun-webhooks/);
    assert.match(dry.stdout, /create\s+D1 migrations\s+arcrun\s+apply 0001_runs.sql/);
    assert.match(dry.stdout, /create\s+Worker\s+arcrun-executor/);
    assert.match(dry.stdout, /https:\/\/arcrun-executor\.example\.workers\.dev/);
    const json = await s.acr("init", "--self-hosted", "--dry-run", "--json");
    assert.equal(json.code, 0);
    const plan = JSON.parse(json.stdout);
    assert.equal(plan.dry_run, true);
    assert.ok(plan.plan.some((i: { step: string; action: string }) => i.step === "r2:WASM_BUCKET" && i.action === "create"));
    const asked = await s.acr("init", "--self-hosted");
    assert.equal(asked.code, 2, asked.stderr);
    assert.match(asked.stderr, /no terminal to ask on/);
    assert.match(asked.stderr, /--yes/);
    assert.deepEqual(writes(mark), []);
    assert.equal(acct(s.account).kv.length, 0);
    assertNoSecrets(dry, [s.token]);
  });

  test("a token missing permissions is refused before anything changes, naming each one", async () => {
    const s = setup({ permissions: ["scripts", "kv"] });
    const out = await s.acr("init", "--self-hosted", "--yes");
    assert.equal(out.code, 2, out.stderr);
    assert.match(out.stderr, /lacks 2 permissions/);
    assert.match(out.stderr, /missing: Account · D1 · Edit/);
    assert.match(out.stderr, /missing: Account · Workers R2 Storage · Edit/);
    const json = await s.acr("init", "--self-hosted", "--yes", "--json");
    assert.equal(json.code, 2);
    const error = JSON.parse(json.stdout).error;
    assert.equal(error.code, "cloudflare_permission_missing");
    assert.deepEqual(error.missing_permissions, ["Account · D1 · Edit", "Account · Workers R2 Storage · Edit"]);
    assert.equal(acct(s.account).kv.length, 0);
    assertNoSecrets(out, [s.token]);
  });

  test("a bad token, a wrong account id and a missing token exit 2 with what to do", async () => {
    const s = setup();
    const badToken = await run(["init", "--self-hosted", "--yes", "--json"], { ...s.env, CLOUDFLARE_API_TOKEN: "not-a-token-123" });
    assert.equal(badToken.code, 2);
    assert.equal(JSON.parse(badToken.stdout).error.code, "deploy_token_invalid");
    assert.ok(!badToken.stdout.includes("not-a-token-123") && !badToken.stderr.includes("not-a-token-123"));
    const wrong = await run(["init", "--self-hosted", "--yes"], { ...s.env, CLOUDFLARE_ACCOUNT_ID: "0".repeat(32) });
    assert.equal(wrong.code, 2, wrong.stderr);
    assert.match(wrong.stderr, /cannot reach account 0{32}: is the account id right/);
    const malformed = await s.acr("init", "--self-hosted", "--account-id", "my-account");
    assert.equal(malformed.code, 2);
    assert.match(malformed.stderr, /"my-account" is not a Cloudflare account id/);
    const noToken = await run(["init", "--self-hosted", "--yes"], { ...s.env, CLOUDFLARE_API_TOKEN: "" });
    assert.equal(noToken.code, 2);
    assert.match(noToken.stderr, /CLOUDFLARE_API_TOKEN is not set/);
    writeFileSync(s.config, "{ not json");
    const broken = await s.acr("init", "--self-hosted", "--yes");
    assert.equal(broken.code, 2);
    assert.ok(broken.stderr.includes(`${s.config} is not valid JSON`), broken.stderr);
    rmSync(s.config);
    const notInstalled = await s.acr("deploy", "--yes");
    assert.equal(notInstalled.code, 2);
    assert.match(notInstalled.stderr, /acr init --self-hosted/);
  });

  test("reuse by name: an existing namespace (past the first page) keeps its id and data", async () => {
    const s = setup();
    const a = acct(s.account);
    for (let i = 0; i < 150; i++) a.kv.push({ id: `other${String(i).padStart(3, "0")}`.padEnd(32, "0"), title: `app-${String(i).padStart(3, "0")}` });
    a.kv.push({ id: "f".repeat(32), title: "arcrun-webhooks" }); // sorts after the 150 others: page 2
    const out = await s.acr("init", "--self-hosted", "--yes", "--json");
    assert.equal(out.code, 0, out.stderr);
    const results = JSON.parse(out.stdout).results;
    assert.equal(results.find((r: { step: string }) => r.step === "kv:WEBHOOKS").status, "unchanged");
    assert.equal(a.kv.filter((k) => k.title === "arcrun-webhooks").length, 1);
    assert.equal(a.scripts.get("arcrun-executor")!.metadata.bindings.find((b) => b.name === "WEBHOOKS")!.namespace_id, "f".repeat(32));
  });

  test("429 and 5xx are retried; a failure at any step is finished by the next run, creating nothing twice", async () => {
    // a short 429 storm is absorbed by the retries (Retry-After honoured)
    {
      const s = setup();
      fake.failNext({ method: "POST", path: /\/storage\/kv\/namespaces$/, status: 429, times: 2, retryAfter: "0" });
      const out = await s.acr("init", "--self-hosted", "--yes");
      assert.equal(out.code, 0, out.stderr);
      assert.equal(acct(s.account).kv.length, 2);
    }
    const steps: [string, RegExp, string][] = [
      ["POST", /\/storage\/kv\/namespaces$/, "kv"],
      ["POST", /\/d1\/database$/, "d1"],
      ["POST", /\/d1\/database\/[^/]+\/query$/, "migrations"],
      ["POST", /\/r2\/buckets$/, "r2"],
      ["PUT", /\/workers\/scripts\/arcrun-executor$/, "upload"],
      ["PUT", /\/secrets$/, "secrets"],
      ["PUT", /\/schedules$/, "cron"],
      ["POST", /\/scripts\/arcrun-executor\/subdomain$/, "workers.dev"],
    ];
    for (const [method, path, label] of steps) {
      const s = setup();
      fake.failNext({ method, path, status: label === "r2" ? 500 : 503, times: 4, retryAfter: "0" });
      const failed = await s.acr("init", "--self-hosted", "--yes", "--json");
      assert.equal(failed.code, 1, `${label}: ${failed.stderr}`);
      const error = JSON.parse(failed.stdout).error;
      assert.equal(error.code, "cloudflare_unavailable", label);
      assert.match(failed.stderr, /run the same command again/);
      const resumed = await s.acr("init", "--self-hosted", "--yes", "--json");
      assert.equal(resumed.code, 0, `${label}: ${resumed.stderr}`);
      const a = acct(s.account);
      assert.equal(a.kv.length, 2, label);
      assert.equal(a.d1.length, 1, label);
      assert.equal(a.r2.length, 1, label);
      const script = a.scripts.get("arcrun-executor")!;
      const config = s.readConfig();
      assert.equal(script.secrets.get("ARCRUN_API_KEY"), config.api_key, label);
      assert.equal(script.secrets.get("ARCRUN_ENCRYPTION_KEY"), config.encryption_key, label);
      assert.deepEqual(script.schedules, ["* * * * *"], label);
      assert.equal(script.workersDev, true, label);
      const applied = await fake.query(s.account, a.d1[0].uuid, "SELECT name FROM d1_migrations");
      assert.equal(applied.length, shippedMigrations().length, label);
      const third = await s.acr("init", "--self-hosted", "--json");
      assert.equal(third.code, 0, `${label}: ${third.stderr}`);
      assert.ok(JSON.parse(third.stdout).results.every((r: { status: string }) => r.status === "unchanged"), `${label}: ${third.stdout}`);
      assertNoSecrets(failed, [s.token, config.api_key, config.encryption_key]);
    }
  });

  test("acr destroy removes what init created (after asking), keeps what it reused, and frees the config", async () => {
    const s = setup();
    const a = acct(s.account);
    a.kv.push({ id: "e".repeat(32), title: "arcrun-credentials" }); // there before: reused, so kept
    const installed = await s.acr("init", "--self-hosted", "--yes");
    assert.equal(installed.code, 0, installed.stderr);
    const asked = await s.acr("destroy");
    assert.equal(asked.code, 2);
    assert.match(asked.stderr, /no terminal to ask on/);
    assert.ok(a.scripts.has("arcrun-executor"));
    // cut off after the Worker: the next destroy finishes
    fake.failNext({ method: "DELETE", path: /\/storage\/kv\/namespaces\//, status: 503, times: 4, retryAfter: "0" });
    const cut = await s.acr("destroy", "--yes");
    assert.equal(cut.code, 1, cut.stderr);
    assert.ok(!a.scripts.has("arcrun-executor"));
    const out = await s.acr("destroy", "--yes", "--json");
    assert.equal(out.code, 0, out.stderr);
    const body = JSON.parse(out.stdout);
    assert.deepEqual(body.removed.map((r: { name: string }) => r.name), ["arcrun-executor", "arcrun-webhooks", "arcrun", "arcrun-wasm"]);
    assert.deepEqual(body.kept.map((k: { name: string }) => k.name), ["arcrun-credentials"]);
    assert.deepEqual(a.kv.map((k) => k.title), ["arcrun-credentials"]);
    assert.equal(a.d1.length, 0);
    assert.equal(a.r2.length, 0);
    const config = s.readConfig();
    assert.equal(config.self_hosted, undefined);
    assert.equal(config.url, undefined);
    assert.ok(config.encryption_key, "the encryption key stays");
  });

  test("an account without a workers.dev subdomain: installed, and told how to get a URL", async () => {
    const s = setup({ subdomain: null });
    const out = await s.acr("init", "--self-hosted", "--yes");
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /no workers.dev subdomain/);
    assert.equal(s.readConfig().url, undefined);
  });
});
