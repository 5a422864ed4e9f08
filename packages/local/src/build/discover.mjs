// Finds the components of the repository: every folder under components/ with a contract.yaml.
//
//   components/<name>/contract.yaml          the contract (name must equal the folder name)
//   components/<name>/assembly/index.ts      AssemblyScript source (the standard library)
//   components/<name>/src/*.c                or C source (compiled with clang for wasm32-wasi)
//   components/<name>/module.wasm            or a module from any WASI toolchain (metered by the build);
//                                            contract.yaml `build: {command, output}` makes it
//   components/<name>/features/*.feature     Gherkin scenarios run against the built module
//   components/<name>/build/<name>.wasm      the metered module (git-ignored, made by the build)
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export function discoverComponents(root, base = join(root, "components")) {
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .filter((name) => existsSync(join(base, name, "contract.yaml")))
    .sort()
    .map((name) => describeComponent(join(base, name), name));
}

export function describeComponent(dir, name) {
  const entry = join(dir, "assembly/index.ts");
  const cDir = join(dir, "src");
  const cSources = existsSync(cDir) ? readdirSync(cDir).filter((f) => f.endsWith(".c")).map((f) => join(cDir, f)) : [];
  const prebuilt = join(dir, "module.wasm");
  const language = existsSync(entry) ? "assemblyscript" : cSources.length > 0 ? "c" : existsSync(prebuilt) ? "wasm" : "unknown";
  const featuresDir = join(dir, "features");
  return {
    name,
    dir,
    language,
    entry: language === "assemblyscript" ? entry : undefined,
    sources: language === "assemblyscript" ? filesUnder(join(dir, "assembly")) : language === "c" ? filesUnder(cDir) : language === "wasm" ? [prebuilt] : [],
    contractPath: join(dir, "contract.yaml"),
    features: existsSync(featuresDir) ? readdirSync(featuresDir).filter((f) => f.endsWith(".feature")).sort().map((f) => join(featuresDir, f)) : [],
    wasmPath: join(dir, "build", `${name}.wasm`),
  };
}

// what a build command's own outputs and caches live in, never its inputs
const NOT_SOURCES = new Set(["build", "features", "target", "node_modules"]);

/** Every file of a component folder a `build:` command may read: all but build/, features/, target/, node_modules/ and dot-folders. */
export function folderSources(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith(".") || (NOT_SOURCES.has(entry.name) && entry.isDirectory())) return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.isFile() ? [path] : [];
  });
}

export function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => statSync(f).isFile());
}

/** Newest modification time among `files` (0 when none exist). */
export function newestMtime(files) {
  let newest = 0;
  for (const f of files) if (existsSync(f)) newest = Math.max(newest, statSync(f).mtimeMs);
  return newest;
}
