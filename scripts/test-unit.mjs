#!/usr/bin/env node
// The fast test layer (`npm run test:unit`): everything that runs in Node alone — core, the
// executor's routes in-process over in-memory ports (packages/executor/test/unit/), and the CLI
// tests that start no workerd and build no components. No bundle, no Miniflare.
// `npm test` (scripts/test.mjs) runs these files too, plus the workerd layer.
//
// The files run in one Node process (the usual runner starts one process per file, and
// TypeScript start-up is most of what a unit test costs), so a unit test must not leave
// global state behind for the next file.
// Usage: node scripts/test-unit.mjs [path-filter ...]
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";

const root = new URL("..", import.meta.url).pathname;

/** folders whose every *.test.ts is a unit test */
const UNIT_FOLDERS = ["packages/core", "packages/executor/test/unit"];
/** CLI tests that need neither workerd nor a component build (the others boot executors or compile AssemblyScript) */
const CLI_UNIT_FILES = [
  "packages/cli/test/cli.test.ts",
  "packages/cli/test/commands.test.ts",
  "packages/cli/test/run-rerun.test.ts",
  "packages/cli/test/format.test.ts",
  "packages/cli/test/parts-registry.test.ts",
  "packages/cli/test/init.test.ts",
  "packages/cli/test/launcher-key.test.ts",
  "packages/cli/test/validate.test.ts",
  "packages/cli/test/validate-credentials.test.ts",
  "packages/cli/test/test-command.test.ts",
];
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

const missing = CLI_UNIT_FILES.filter((f) => !existsSync(join(root, f)));
if (missing.length) {
  console.error(`scripts/test-unit.mjs lists test files that do not exist: ${missing.join(", ")}; update CLI_UNIT_FILES.`);
  process.exit(1);
}
const filters = process.argv.slice(2);
const files = [...UNIT_FOLDERS.flatMap((f) => collect(join(root, f), [])), ...CLI_UNIT_FILES]
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error("no test files matched");
  process.exit(1);
}

const tmp = mkdtempSync(join(tmpdir(), "arcrun-test-unit-"));
const entry = join(tmp, "entry.mjs");
writeFileSync(entry, files.map((f) => `await import(${JSON.stringify(pathToFileURL(join(root, f)).href)});`).join("\n") + "\n");
// as in scripts/test.mjs: tests never touch the user's ~/.arcrun/config.json
const result = spawnSync(process.execPath, [
  "--import", "tsx",
  "--test-reporter=spec", "--test-reporter-destination=stdout",
  "--test-reporter=./scripts/summary-reporter.mjs", "--test-reporter-destination=stdout",
  entry,
], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, NODE_NO_WARNINGS: "1", ARCRUN_CONFIG: join(tmp, "config.json"), ARCRUN_ENCRYPTION_KEY: "" },
});
rmSync(tmp, { recursive: true, force: true });
process.exit(result.status ?? 1);
