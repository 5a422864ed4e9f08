/**
 * Finds or builds the registry Worker bundle, like executor-bundle.ts: in a checkout it is
 * rebuilt at every start into `<state>/registry-worker/`; otherwise the prebuilt
 * `packages/registry/dist/worker.js` is used; undefined when neither exists (an installed CLI
 * without the registry serves the executor alone).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { executorDir } from "./executor-bundle";

export async function prepareRegistryBundle(stateDir: string): Promise<string | undefined> {
  const root = join(executorDir(), "../..");
  const buildStep = join(root, "packages/local/src/build/registry.mjs");
  if (existsSync(buildStep) && existsSync(join(root, "packages/registry/src/index.ts"))) {
    const { bundleRegistry } = (await import(pathToFileURL(buildStep).href)) as { bundleRegistry(o: { root: string; outdir: string }): Promise<{ scriptPath: string }> };
    return (await bundleRegistry({ root, outdir: join(stateDir, "registry-worker") })).scriptPath;
  }
  const prebuilt = join(root, "packages/registry/dist/worker.js");
  return existsSync(prebuilt) ? prebuilt : undefined;
}
