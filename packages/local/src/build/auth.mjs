// Bundles the auth Worker (packages/auth/src/index.ts) into `outdir`/worker.js for workerd, the
// same way as the registry (registry.mjs). `cloudflare:workers` (its Resolver entrypoint's base
// class) is provided by the runtime.
import { build } from "esbuild";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { WORKER_MODULE } from "./executor.mjs";

export default async function buildAuth({ root, log }) {
  const { bytes } = await bundleAuth({ root, outdir: join(root, "packages/auth/dist") });
  log(`packages/auth/dist/worker.js (${Math.round(bytes / 1024)} KiB)`);
}

export async function bundleAuth({ root, outdir }) {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    entryPoints: [join(root, "packages/auth/src/index.ts")],
    outfile: join(outdir, "worker.js"),
    ...WORKER_MODULE,
    external: ["cloudflare:*"],
    sourcemap: "linked",
    minifySyntax: true,
    logLevel: "silent",
    metafile: true,
  });
  const bytes = Object.entries(result.metafile.outputs).reduce((n, [file, o]) => (file.endsWith(".js") ? n + o.bytes : n), 0);
  return { scriptPath: join(outdir, "worker.js"), bytes };
}
