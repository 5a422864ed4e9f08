// Bundles the auth Worker (packages/auth/src/index.ts) into `outdir`/worker.js for workerd, as
// every Worker is (worker-bundle.mjs). `cloudflare:workers` (its Resolver entrypoint's base
// class) is provided by the runtime.
import { join } from "node:path";
import { bundleWorker } from "./worker-bundle.mjs";

export default async function buildAuth({ root, log }) {
  const { bytes } = await bundleAuth({ root, outdir: join(root, "packages/auth/dist") });
  log(`packages/auth/dist/worker.js (${Math.round(bytes / 1024)} KiB)`);
}

export async function bundleAuth({ root, outdir }) {
  return bundleWorker({ entry: join(root, "packages/auth/src/index.ts"), outdir });
}
