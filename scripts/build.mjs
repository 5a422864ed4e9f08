#!/usr/bin/env node
// Builds everything a fresh clone needs, in order. The steps live in packages/local/src/build/,
// each exporting `default async function build({ root, log })`:
//   components.mjs  AssemblyScript + C components → metered .wasm + generated bundle list
//   executor.mjs    executor Worker bundle (esbuild) → packages/executor/dist
//   registry.mjs    registry Worker bundle (esbuild) → packages/registry/dist
//   auth.mjs        auth Worker bundle (esbuild) → packages/auth/dist
//   cli.mjs         CLI bundle → packages/cli/dist
// `node scripts/build.mjs executor` runs only the steps whose name contains "executor".
import { fileURLToPath, pathToFileURL } from "node:url";
import { join } from "node:path";

const root = fileURLToPath(new URL("..", import.meta.url));
const STEPS = ["components", "executor", "registry", "auth", "cli"];
const only = process.argv.slice(2);
const steps = STEPS.filter((step) => only.length === 0 || only.some((o) => step.includes(o)));
for (const step of steps) {
  const started = performance.now();
  const mod = await import(pathToFileURL(join(root, "packages/local/src/build", `${step}.mjs`)).href);
  await mod.default({ root, log: (line) => console.log(`  ${line}`) });
  console.log(`build ${step}: ${Math.round(performance.now() - started)} ms`);
}
