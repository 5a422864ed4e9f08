// Bundles the executor Worker (packages/executor/src/index.ts) into
// packages/executor/dist/worker.js for workerd: Miniflare runs it locally and wrangler
// deploys the very same file (wrangler.jsonc: main = dist/worker.js, no_bundle).
//
// Workers cannot compile WebAssembly from bytes, so every `.wasm` import (QuickJS's
// variant, components/*/build/*.wasm, relative or package paths) is copied next to the
// bundle under a name unique to its source path and left as an external `./name.wasm`
// import, which workerd loads as a CompiledWasm module. SQL migrations are bundled as text.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { createHash } from "node:crypto";

export default async function buildExecutor({ root, log }) {
  const { bytes, wasm } = await bundleExecutor({ root, outdir: join(root, "packages/executor/dist") });
  log(`packages/executor/dist/worker.js (${Math.round(bytes / 1024)} KiB) + ${wasm.length} wasm: ${wasm.join(", ")}`);
}

/**
 * Bundles into `outdir` (emptied first) and returns the bundle path. Tests and the dev server
 * bundle into their own folders so parallel runs never share one.
 * `esbuild` merges extra esbuild options (e.g. `alias`).
 */
export async function bundleExecutor({ root, outdir, esbuild = {} }) {
  const pkg = join(root, "packages/executor");
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const copied = [];
  const result = await build({
    entryPoints: [join(pkg, "src/index.ts")],
    outfile: join(outdir, "worker.js"),
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["workerd", "worker", "browser", "import"],
    mainFields: ["module", "main"],
    loader: { ".sql": "text" },
    sourcemap: "linked",
    minifySyntax: true,
    logLevel: "silent",
    metafile: true,
    plugins: [wasmNextToBundle(outdir, copied)],
    ...esbuild,
  });
  const bytes = Object.entries(result.metafile.outputs).reduce((n, [file, o]) => (file.endsWith(".js") ? n + o.bytes : n), 0);
  return { scriptPath: join(outdir, "worker.js"), bytes, wasm: copied, warnings: result.warnings.map((w) => w.text) };
}

/** Resolves every import once; those landing on a .wasm file become external copies. */
function wasmNextToBundle(outdir, copied) {
  return {
    name: "wasm-next-to-bundle",
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData?.wasmProbe || args.kind === "entry-point") return undefined;
        if (!/wasm/i.test(args.path)) return undefined; // cheap pre-filter: package "/wasm" exports and .wasm files
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: { wasmProbe: true },
        });
        if (resolved.errors.length > 0 || !resolved.path.endsWith(".wasm")) return undefined;
        const id = createHash("sha256").update(resolved.path).digest("hex").slice(0, 8);
        const name = `${basename(resolved.path, ".wasm")}-${id}.wasm`;
        if (!copied.includes(name)) {
          copyFileSync(resolved.path, join(outdir, name));
          copied.push(name);
        }
        return { path: `./${name}`, external: true };
      });
    },
  };
}
