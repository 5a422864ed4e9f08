#!/usr/bin/env node
// Builds everything a fresh clone needs, in order. Each step is a file in scripts/build/
// exporting `default async function build({ root, log })`; steps run sorted by name:
//   10-components.mjs  AssemblyScript + C components → metered .wasm + generated bundle list
//   20-executor.mjs    executor Worker bundle (esbuild) → packages/executor/dist
//   30-cli.mjs         CLI bundle → packages/cli/dist
// `node scripts/build.mjs executor` runs only the steps whose name contains "executor".
import { readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join } from "node:path";

const root = fileURLToPath(new URL("..", import.meta.url));
const only = process.argv.slice(2);
const steps = readdirSync(join(root, "scripts/build"))
  .filter((f) => f.endsWith(".mjs"))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
for (const step of steps) {
  const started = performance.now();
  const mod = await import(pathToFileURL(join(root, "scripts/build", step)).href);
  await mod.default({ root, log: (line) => console.log(`  ${line}`) });
  console.log(`build ${step.replace(/^\d+-|\.mjs$/g, "")}: ${Math.round(performance.now() - started)} ms`);
}
