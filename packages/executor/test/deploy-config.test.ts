/**
 * The deployment config agrees with what runs locally, and `wrangler deploy --dry-run`
 * builds the bundle offline (custom build → dist/worker.js + .wasm, uploaded unbundled).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { COMPATIBILITY_DATE, RUNS_WORKFLOW } from "@arcrun/local/host/miniflare-options";

const pkg = fileURLToPath(new URL("..", import.meta.url));
const root = join(pkg, "../..");
const wranglerConfig = readFileSync(join(pkg, "wrangler.jsonc"), "utf8");

test("wrangler.jsonc uses the compatibility date local workerd runs with", () => {
  assert.match(wranglerConfig, new RegExp(`"compatibility_date": "${COMPATIBILITY_DATE}"`));
});

test("wrangler.jsonc declares every binding and no account id", () => {
  for (const binding of ["WEBHOOKS", "CREDENTIALS_KV", "ARCRUN_DB", "WASM_BUCKET", "LOADER", "RUNS_WORKFLOW", "REGISTRY"]) {
    assert.match(wranglerConfig, new RegExp(`"binding": "${binding}"`), binding);
  }
  assert.doesNotMatch(wranglerConfig, /account_id|routes|workers\.dev|[0-9a-f]{32}/);
  // the service binding names the registry Worker by the name its own config deploys it under
  const registryConfig = readFileSync(join(root, "packages/registry/wrangler.jsonc"), "utf8");
  const registryName = /"name": "([^"]+)"/.exec(registryConfig)?.[1];
  assert.match(wranglerConfig, new RegExp(`"binding": "REGISTRY", "service": "${registryName}"`));
});

test("the Workflows binding of durable runs is the one local workerd runs, and the Worker exports its class", () => {
  assert.match(wranglerConfig, new RegExp(`\\{ "name": "${RUNS_WORKFLOW.name}", "binding": "${RUNS_WORKFLOW.binding}", "class_name": "${RUNS_WORKFLOW.className}" \\}`));
  assert.match(readFileSync(join(pkg, "src/index.ts"), "utf8"), new RegExp(`export \\{ ${RUNS_WORKFLOW.className} \\}`));
});

test("every migration file is listed in bindings/migrations.ts, in order", () => {
  const files = readdirSync(join(pkg, "migrations")).filter((f) => f.endsWith(".sql")).sort();
  const source = readFileSync(join(pkg, "src/bindings/migrations.ts"), "utf8");
  const listed = [...source.matchAll(/name: "([^"]+\.sql)"/g)].map((m) => m[1]);
  assert.deepEqual(listed, files);
  for (const f of files) assert.match(f, /^\d{4}_[a-z0-9_]+\.sql$/);
});

test("wrangler deploy --dry-run builds the Worker bundle without an account", () => {
  const outdir = mkdtempSync(join(tmpdir(), "arcrun-wrangler-dry-"));
  try {
    const result = spawnSync(process.execPath, [join(root, "node_modules/wrangler/bin/wrangler.js"), "deploy", "--dry-run", "--outdir", outdir], {
      cwd: pkg,
      encoding: "utf8",
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" },
      timeout: 120_000,
    });
    const output = result.stdout + result.stderr;
    assert.equal(result.status, 0, output);
    const files = readdirSync(outdir);
    assert.ok(files.includes("worker.js"), files.join(", "));
    assert.ok(files.some((f) => f.endsWith(".wasm")), "QuickJS wasm module uploaded beside the bundle");
    assert.match(output, /env\.ARCRUN_DB/);
    assert.match(output, /env\.LOADER/);
    assert.match(output, /env\.REGISTRY \(arcrun-registry\)/, "the service binding to the registry Worker");
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});
