/**
 * What the installed `arcrun` package ships beside its code (built by
 * packages/local/src/build/cli.mjs into dist/): the Worker bundles, their D1 migrations, the
 * example workflows and the component SDK. Found relative to this package, never to a checkout:
 *
 *   dist/workers/executor/worker.js (+ .wasm)   dist/workers/registry/worker.js
 *   dist/migrations/{executor,registry}/*.sql   dist/examples/*.yaml
 *   dist/toolchain/lib/@arcrun/component-sdk/   (AssemblyScript sources, `--path` of asc)
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface PackageAssets {
  /** the package folder (holds package.json `"name": "arcrun"`) */
  root: string;
  dist: string;
  executorScript: string;
  registryScript: string;
  migrations: { executor: string; registry: string };
  examplesDir: string;
  /** the folder asc searches for `@arcrun/component-sdk` */
  toolchainLib: string;
}

let cached: PackageAssets | undefined;

/** The arcrun package this code runs from: the bundle's folder or, in a checkout, packages/cli. */
export function packageAssets(): PackageAssets {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "arcrun") break;
    const up = dirname(dir);
    if (up === dir) throw new Error(`the arcrun package folder is not above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  const dist = join(dir, "dist");
  cached = {
    root: dir,
    dist,
    executorScript: join(dist, "workers/executor/worker.js"),
    registryScript: join(dist, "workers/registry/worker.js"),
    migrations: { executor: join(dist, "migrations/executor"), registry: join(dist, "migrations/registry") },
    examplesDir: join(dist, "examples"),
    toolchainLib: join(dist, "toolchain/lib"),
  };
  return cached;
}
