// Bundles the `acr` CLI (packages/cli/src/main.ts) into packages/cli/dist/acr.mjs.
// Workspace code (core) and small deps (commander, yaml, zod) are bundled so `acr` starts
// fast; heavy tools and packages that locate files next to themselves stay external.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

const EXTERNAL = [
  "miniflare",
  "esbuild",
  "wrangler",
  "workerd",
  "@jitl/*",
  "quickjs-emscripten",
  "quickjs-emscripten-core",
  "assemblyscript",
  "binaryen",
];

export default async function buildCli({ root, log }) {
  const cli = join(root, "packages/cli");
  const outfile = join(cli, "dist/acr.mjs");
  rmSync(join(cli, "dist"), { recursive: true, force: true });
  const result = await build({
    entryPoints: { acr: join(cli, "src/main.ts") },
    outdir: join(cli, "dist"),
    outExtension: { ".js": ".mjs" },
    // Code reached only through import() (the dev server and Miniflare behind it) goes into
    // its own chunk, so `acr run` and friends do not load Miniflare at start (≈0.4 s).
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: EXTERNAL,
    sourcemap: "linked",
    logLevel: "warning",
    metafile: true,
    // Bundled CommonJS deps may call require(); give ESM output one.
    banner: { js: "import { createRequire as __acrCreateRequire } from 'node:module'; const require = __acrCreateRequire(import.meta.url);" },
  });
  const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
  log(`${outfile.slice(root.length)} + chunks (${Math.round(bytes / 1024)} KiB with source maps)`);
}

