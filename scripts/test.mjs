#!/usr/bin/env node
// Type-checks the whole repository (`tsc -b`, root tsconfig.json), then runs every test file
// with Node's own test runner (TypeScript through tsx, which does not type-check).
// Node 20's `--test` takes no globs, so the files are collected here.
// Usage: node scripts/test.mjs [path-filter ...]   (with a filter the type check is left out:
// run `npx tsc -b` yourself)
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const roots = ["packages", "components", "test"];
const skip = new Set(["node_modules", "dist", "build", ".arcrun", ".wrangler"]);

function collect(dir, out) {
  let entries;
  try { entries = readdirSync(dir); } catch { return out; }
  for (const name of entries) {
    if (skip.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (/\.test\.(ts|mjs)$/.test(name)) out.push(relative(root, path));
  }
  return out;
}

const filters = process.argv.slice(2);
const files = roots.flatMap((r) => collect(join(root, r), []))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error("no test files matched");
  process.exit(1);
}
if (filters.length === 0) {
  const started = performance.now();
  const tsc = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-b"], { cwd: root, stdio: "inherit" });
  if (tsc.status !== 0) {
    console.error("type check failed (tsc -b): fix the errors above before the tests run");
    process.exit(tsc.status ?? 1);
  }
  console.log(`type check (tsc -b): passed in ${Math.round(performance.now() - started)} ms`);
}
// Tests never read or write the user's arcrun config (~/.arcrun/config.json holds their
// encryption key); a test that needs one sets ARCRUN_CONFIG itself. The local server's
// background registration of the 22 standard components (~20 s of CPU per fresh state folder)
// is off unless a test asks for it (`registerStandard: true`: the registry tests do).
const configDir = mkdtempSync(join(tmpdir(), "arcrun-test-config-"));
const result = spawnSync(process.execPath, [
  "--import", "tsx", "--test",
  "--test-reporter=spec", "--test-reporter-destination=stdout",
  "--test-reporter=./scripts/summary-reporter.mjs", "--test-reporter-destination=stdout",
  ...files,
], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, NODE_NO_WARNINGS: "1", ARCRUN_CONFIG: join(configDir, "config.json"), ARCRUN_ENCRYPTION_KEY: "", ARCRUN_REGISTER_STANDARD: process.env.ARCRUN_REGISTER_STANDARD ?? "0" },
});
rmSync(configDir, { recursive: true, force: true });
process.exit(result.status ?? 1);
