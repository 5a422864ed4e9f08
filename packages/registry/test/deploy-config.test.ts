/**
 * The registry's deployment config agrees with what runs locally (registryWorker() in
 * @arcrun/local/host/miniflare-options), and `wrangler deploy --dry-run` builds the bundle offline.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { COMPATIBILITY_DATE, registryWorker } from "@arcrun/local/host/miniflare-options";

const pkg = fileURLToPath(new URL("..", import.meta.url));
const root = join(pkg, "../..");
const wranglerConfig = readFileSync(join(pkg, "wrangler.jsonc"), "utf8");

test("wrangler.jsonc: the local compatibility date, the Worker name the executor binds to, no account id", () => {
  assert.match(wranglerConfig, new RegExp(`"compatibility_date": "${COMPATIBILITY_DATE}"`));
  const local = registryWorker({ scriptPath: "/x/worker.js" });
  assert.match(wranglerConfig, new RegExp(`"name": "${local.name}"`));
  assert.doesNotMatch(wranglerConfig, /account_id|routes|workers\.dev|[0-9a-f]{32}/);
});

test("wrangler.jsonc declares every binding the local registry has", () => {
  const local = registryWorker({ scriptPath: "/x/worker.js" });
  const bindings = [...Object.keys(local.d1Databases as object), ...Object.keys(local.r2Buckets as object), ...Object.keys(local.workerLoaders as object)];
  assert.deepEqual(bindings.sort(), ["LOADER", "REGISTRY_BUCKET", "REGISTRY_DB"]);
  for (const binding of bindings) assert.match(wranglerConfig, new RegExp(`"binding": "${binding}"`), binding);
  assert.match(wranglerConfig, /"migrations_dir": "migrations"/);
});

test("every migration file is listed in src/migrations.ts, in order", () => {
  const files = readdirSync(join(pkg, "migrations")).filter((f) => f.endsWith(".sql")).sort();
  const source = readFileSync(join(pkg, "src/migrations.ts"), "utf8");
  const listed = [...source.matchAll(/name: "([^"]+\.sql)"/g)].map((m) => m[1]);
  assert.deepEqual(listed, files);
  for (const f of files) assert.match(f, /^\d{4}_[a-z0-9_]+\.sql$/);
});

test("wrangler deploy --dry-run builds the registry bundle without an account", () => {
  const outdir = mkdtempSync(join(tmpdir(), "arcrun-registry-wrangler-dry-"));
  try {
    const result = spawnSync(process.execPath, [join(root, "node_modules/wrangler/bin/wrangler.js"), "deploy", "--dry-run", "--outdir", outdir], {
      cwd: pkg,
      encoding: "utf8",
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" },
      timeout: 120_000,
    });
    const output = result.stdout + result.stderr;
    assert.equal(result.status, 0, output);
    assert.ok(readdirSync(outdir).includes("worker.js"));
    for (const binding of ["REGISTRY_DB", "REGISTRY_BUCKET", "LOADER"]) assert.match(output, new RegExp(`env\\.${binding}`), binding);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});
