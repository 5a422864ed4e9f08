/**
 * Finds or builds the executor Worker bundle (the dev server and the CLI find the executor here,
 * so the CLI never imports @arcrun/executor). In a repository checkout the bundle is rebuilt
 * at every start (esbuild, well under a second) into `<state>/worker/`, so `npm start` always
 * serves the current source and parallel servers never share a build folder. Outside a checkout
 * (the installed `arcrun` package, which bundles this file) the caller's prebuilt bundle is used:
 * the package ships it in its own folder and passes its path (`prebuilt`).
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

/** The @arcrun/executor package folder; throws when it is not installed (an installed CLI). */
export function executorDir(): string {
  return dirname(createRequire(import.meta.url).resolve("@arcrun/executor/package.json"));
}

/** The arcrun checkout this code runs from (its sources and build steps present), else undefined. */
export function checkoutRoot(): string | undefined {
  let executor: string;
  try {
    executor = executorDir();
  } catch {
    return undefined;
  }
  const root = join(executor, "../..");
  return existsSync(join(root, "packages/local/src/build/executor.mjs")) && existsSync(join(executor, "src/index.ts")) ? root : undefined;
}

export async function prepareWorkerBundle(stateDir: string, prebuilt?: string): Promise<string> {
  const root = checkoutRoot();
  // the build step is found by path, not imported: an installed CLI bundles this file and has
  // no toolchain, and then serves the prebuilt bundle
  if (root) {
    const { bundleExecutor } = (await import(pathToFileURL(join(root, "packages/local/src/build/executor.mjs")).href)) as {
      bundleExecutor(o: { root: string; outdir: string }): Promise<{ scriptPath: string }>;
    };
    return (await bundleExecutor({ root, outdir: join(stateDir, "worker") })).scriptPath;
  }
  const script = prebuilt ?? join(executorDir(), "dist/worker.js");
  if (!existsSync(script)) throw new Error(`The executor bundle ${script} is missing; run \`npm run build\` (in a checkout) or reinstall arcrun.`);
  return script;
}

/** After the start-up builds (executor, registry, auth): esbuild's service process is not kept for the server's lifetime. */
export async function stopBundler(): Promise<void> {
  const root = checkoutRoot();
  if (!root) return;
  const { stopBundler } = (await import(pathToFileURL(join(root, "packages/local/src/build/worker-bundle.mjs")).href)) as { stopBundler(): Promise<void> };
  await stopBundler();
}
