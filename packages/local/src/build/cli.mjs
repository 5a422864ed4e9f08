// Bundles the `acr` CLI (packages/cli/src/main.ts) into packages/cli/dist/acr.mjs, then puts
// beside it what the installed `arcrun` package needs and has no checkout to find
// (packages/cli/src/assets.ts reads them from there):
//   dist/workers/executor/   the executor Worker bundle and its .wasm modules (no source maps)
//   dist/workers/registry/   the registry Worker bundle
//   dist/migrations/         both Workers' D1 migrations (applied by `acr init --self-hosted`)
//   dist/examples/           the example workflows `acr dev` loads
//   dist/toolchain/lib/      @arcrun/component-sdk's AssemblyScript sources (`acr parts build`)
// Workspace code (core, local) and small deps (commander, yaml, zod) are bundled, so the package
// needs no @arcrun/* package from the registry; heavy tools and packages that locate files next
// to themselves stay external (and are the package's npm dependencies: miniflare, assemblyscript,
// binaryen). Runs after the executor and registry steps.
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

const EXTERNAL = [
  "miniflare",
  "esbuild",
  "wrangler",
  "workerd",
  "tsx",
  "@jitl/*",
  "quickjs-emscripten",
  "quickjs-emscripten-core",
  "assemblyscript",
  "binaryen",
];

export default async function buildCli({ root, log }) {
  const cli = join(root, "packages/cli");
  const outfile = join(cli, "dist/acr.mjs");
  // built beside dist/ and swapped in at the end, so a test process packing or running dist/
  // meanwhile sees the old build or the new one, for all but an instant
  const staging = join(cli, `.dist-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  const result = await build({
    entryPoints: { acr: join(cli, "src/main.ts") },
    outdir: staging,
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
    plugins: [sandboxJsonInline()],
    // Bundled CommonJS deps may call require(); give ESM output one.
    banner: { js: "import { createRequire as __acrCreateRequire } from 'node:module'; const require = __acrCreateRequire(import.meta.url);" },
  });
  const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
  log(`${outfile.slice(root.length)} + chunks (${Math.round(bytes / 1024)} KiB with source maps)`);
  const assets = packageAssets({ root, dist: staging });
  rmSync(join(cli, "dist"), { recursive: true, force: true });
  renameSync(staging, join(cli, "dist"));
  log(`packages/cli/dist assets: ${assets.join(", ")}`);
}

/** Copies the Worker bundles, migrations, examples and SDK into the CLI's dist/ (see the header). */
export function packageAssets({ root, dist }) {
  const copied = [];
  const copyDir = (from, to, filter = () => true) => {
    if (!existsSync(from)) throw new Error(`${from} is missing: build the executor and registry first (node scripts/build.mjs)`);
    mkdirSync(to, { recursive: true });
    const files = readdirSync(from).filter((f) => filter(f));
    for (const f of files) copyFileSync(join(from, f), join(to, f));
    return files.length;
  };
  const noMaps = (f) => !f.endsWith(".map");
  copied.push(`executor (${copyDir(join(root, "packages/executor/dist"), join(dist, "workers/executor"), noMaps)} files)`);
  copied.push(`registry (${copyDir(join(root, "packages/registry/dist"), join(dist, "workers/registry"), noMaps)} files)`);
  copyDir(join(root, "packages/executor/migrations"), join(dist, "migrations/executor"), (f) => f.endsWith(".sql"));
  copyDir(join(root, "packages/registry/migrations"), join(dist, "migrations/registry"), (f) => f.endsWith(".sql"));
  copied.push("migrations");
  copied.push(`${copyDir(join(root, "examples"), join(dist, "examples"), (f) => /\.(ya?ml|json)$/.test(f))} examples`);
  const sdk = join(dist, "toolchain/lib/@arcrun/component-sdk");
  cpSync(join(root, "packages/component-sdk/assembly"), join(sdk, "assembly"), { recursive: true });
  copyFileSync(join(root, "packages/component-sdk/package.json"), join(sdk, "package.json"));
  copied.push("component SDK");
  return copied;
}

/**
 * meter.mjs reads core's sandbox.json through createRequire (plain Node in a checkout); in the
 * bundle that file is not there, so the read becomes an import esbuild inlines.
 */
function sandboxJsonInline() {
  const read = 'JSON.parse(readFileSync(createRequire(import.meta.url).resolve("@arcrun/core/wasi/sandbox.json"), "utf8"))';
  return {
    name: "sandbox-json-inline",
    setup(build) {
      build.onLoad({ filter: /[\\/]build[\\/]meter\.mjs$/ }, (args) => {
        const text = readFileSync(args.path, "utf8");
        if (!text.includes(read)) throw new Error(`${args.path} no longer reads sandbox.json as cli.mjs expects; update sandboxJsonInline()`);
        return { contents: `import __sandboxJson from "@arcrun/core/wasi/sandbox.json";\n${text.replace(read, "__sandboxJson")}`, loader: "js" };
      });
    },
  };
}
