/**
 * Finds or builds the registry Worker bundle, like executor-bundle.ts: in a checkout it is
 * rebuilt at every start into `<state>/registry-worker/`; otherwise the caller's prebuilt bundle
 * (`prebuilt`, the installed package's) is used; undefined when there is none (the executor is
 * then served alone).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { checkoutRoot } from "./executor-bundle";

export async function prepareRegistryBundle(stateDir: string, prebuilt?: string): Promise<string | undefined> {
  const root = checkoutRoot();
  if (root && existsSync(join(root, "packages/registry/src/index.ts"))) {
    const buildStep = join(root, "packages/local/src/build/registry.mjs");
    const { bundleRegistry } = (await import(pathToFileURL(buildStep).href)) as { bundleRegistry(o: { root: string; outdir: string }): Promise<{ scriptPath: string }> };
    return (await bundleRegistry({ root, outdir: join(stateDir, "registry-worker") })).scriptPath;
  }
  const script = prebuilt ?? (root ? join(root, "packages/registry/dist/worker.js") : undefined);
  return script && existsSync(script) ? script : undefined;
}

/** The auth Worker bundle (MULTI_TENANT=true npm start), found or built the same way, into `<state>/auth-worker/`. */
export async function prepareAuthBundle(stateDir: string, prebuilt?: string): Promise<string | undefined> {
  const root = checkoutRoot();
  if (root && existsSync(join(root, "packages/auth/src/index.ts"))) {
    const buildStep = join(root, "packages/local/src/build/auth.mjs");
    const { bundleAuth } = (await import(pathToFileURL(buildStep).href)) as { bundleAuth(o: { root: string; outdir: string }): Promise<{ scriptPath: string }> };
    return (await bundleAuth({ root, outdir: join(stateDir, "auth-worker") })).scriptPath;
  }
  const script = prebuilt ?? (root ? join(root, "packages/auth/dist/worker.js") : undefined);
  return script && existsSync(script) ? script : undefined;
}
