/**
 * Finds or builds the executor Worker bundle (the dev server and the CLI find the executor here,
 * so the CLI never imports @arcrun/executor). In a repository checkout the bundle is rebuilt
 * at every start (esbuild, well under a second) into `<state>/worker/`, so `npm start` always
 * serves the current source and parallel servers never share a build folder; an installed
 * CLI without the sources uses the prebuilt `packages/executor/dist/worker.js`.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

export function executorDir(): string {
  return dirname(createRequire(import.meta.url).resolve("@arcrun/executor/package.json"));
}

export async function prepareWorkerBundle(stateDir: string): Promise<string> {
  const executor = executorDir();
  const root = join(executor, "../..");
  // the build step is found by path, not imported: an installed CLI bundles this file and has
  // no toolchain, and then serves the prebuilt bundle
  const buildStep = join(root, "packages/local/src/build/executor.mjs");
  if (existsSync(buildStep) && existsSync(join(executor, "src/index.ts"))) {
    const { bundleExecutor } = (await import(pathToFileURL(buildStep).href)) as {
      bundleExecutor(o: { root: string; outdir: string }): Promise<{ scriptPath: string }>;
    };
    return (await bundleExecutor({ root, outdir: join(stateDir, "worker") })).scriptPath;
  }
  const prebuilt = join(executor, "dist/worker.js");
  if (!existsSync(prebuilt)) throw new Error(`The executor bundle ${prebuilt} is missing; run \`npm run build\`.`);
  return prebuilt;
}
