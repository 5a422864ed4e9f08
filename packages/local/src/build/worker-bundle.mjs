// How every arcrun Worker is bundled for workerd (the executor, the registry and the auth Worker;
// executor.mjs, registry.mjs, auth.mjs): one ES module, SQL migrations as text, the runtime's own
// `cloudflare:*` modules left to it. Workers cannot compile WebAssembly from bytes, so with `wasm`
// every `.wasm` import (QuickJS's variant, components/*/build/*.wasm, relative or package paths)
// is copied next to the bundle under a name unique to its source path and left as an external
// `./name.wasm` import, which workerd loads as a CompiledWasm module.
import { build, stop } from "esbuild";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { createHash } from "node:crypto";

/** esbuild settings for an ES module Worker: package entry points as workerd resolves them. */
export const WORKER_MODULE = {
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  conditions: ["workerd", "worker", "browser", "import"],
  mainFields: ["module", "main"],
};

/** Ends esbuild's service process (about 100 MB resident) once a server's start-up builds are done; a later build starts it again. */
export async function stopBundler() {
  await stop();
}

/**
 * One Worker's bundle, `outdir`/worker.js (the folder emptied first), as every arcrun Worker is
 * built: an ES module for workerd, SQL files as text, the runtime's own `cloudflare:*` modules
 * left to it, a linked source map. With `wasm`, each .wasm import is copied beside the bundle
 * (wasmNextToBundle). Returns the script's path and size, the .wasm files and esbuild's warnings.
 */
export async function bundleWorker({ entry, outdir, wasm = false, esbuild = {} }) {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const copied = [];
  const result = await build({
    entryPoints: [entry],
    outfile: join(outdir, "worker.js"),
    ...WORKER_MODULE,
    loader: { ".sql": "text" },
    sourcemap: "linked",
    minifySyntax: true,
    logLevel: "silent",
    metafile: true,
    plugins: wasm ? [wasmNextToBundle(outdir, copied)] : [],
    external: ["cloudflare:*"],
    ...esbuild,
  });
  const bytes = Object.entries(result.metafile.outputs).reduce((n, [file, o]) => (file.endsWith(".js") ? n + o.bytes : n), 0);
  return { scriptPath: join(outdir, "worker.js"), bytes, wasm: copied, warnings: result.warnings.map((w) => w.text) };
}

/** Resolves every import once; those landing on a .wasm file become external copies. */
export function wasmNextToBundle(outdir, copied) {
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
