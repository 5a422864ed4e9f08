// Bundles the registry Worker (packages/registry/src/index.ts) into `outdir`/worker.js for
// workerd, as every Worker is (worker-bundle.mjs): .wasm imports copied next to the bundle
// as CompiledWasm modules, SQL migrations as text. The registry runs submitted modules through
// the executor's loader code, so the loader host script is (re)generated first.
import { join } from "node:path";
import { buildLoaderHost } from "./executor.mjs";
import { bundleWorker } from "./worker-bundle.mjs";

export default async function buildRegistry({ root, log }) {
  const { bytes, wasm } = await bundleRegistry({ root, outdir: join(root, "packages/registry/dist") });
  log(`packages/registry/dist/worker.js (${Math.round(bytes / 1024)} KiB) + ${wasm.length} wasm`);
}

export async function bundleRegistry({ root, outdir }) {
  await buildLoaderHost({ root });
  return bundleWorker({ entry: join(root, "packages/registry/src/index.ts"), outdir, wasm: true });
}
