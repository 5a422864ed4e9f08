// Bundles the registry Worker (packages/registry/src/index.ts) into `outdir`/worker.js for
// workerd, the same way as the executor (executor.mjs): .wasm imports copied next to the bundle
// as CompiledWasm modules, SQL migrations as text. The registry runs submitted modules through
// the executor's loader code, so the loader host script is (re)generated first.
import { build } from "esbuild";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { buildLoaderHost, WORKER_MODULE, wasmNextToBundle } from "./executor.mjs";

export default async function buildRegistry({ root, log }) {
  const { bytes, wasm } = await bundleRegistry({ root, outdir: join(root, "packages/registry/dist") });
  log(`packages/registry/dist/worker.js (${Math.round(bytes / 1024)} KiB) + ${wasm.length} wasm`);
}

export async function bundleRegistry({ root, outdir }) {
  await buildLoaderHost({ root });
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const copied = [];
  const result = await build({
    entryPoints: [join(root, "packages/registry/src/index.ts")],
    outfile: join(outdir, "worker.js"),
    ...WORKER_MODULE,
    loader: { ".sql": "text" },
    sourcemap: "linked",
    minifySyntax: true,
    logLevel: "silent",
    metafile: true,
    plugins: [wasmNextToBundle(outdir, copied)],
  });
  const bytes = Object.entries(result.metafile.outputs).reduce((n, [file, o]) => (file.endsWith(".js") ? n + o.bytes : n), 0);
  return { scriptPath: join(outdir, "worker.js"), bytes, wasm: copied };
}
