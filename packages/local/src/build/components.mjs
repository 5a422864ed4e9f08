// Builds every component under components/ into a metered, sandbox-checked .wasm, then writes
// packages/executor/src/components/bundled.generated.ts, which imports the standard library
// (the names in components/standard-library.txt) into the executor bundle. A component is
// rebuilt only when its contract, its sources, the SDK or this build's own scripts are newer
// than its .wasm.
//
// Per component: compile (asc for AssemblyScript, clang for C when installed, the contract's
// `build:` command, or a prebuilt module.wasm) → set the memory maximum from the contract (for
// modules of other toolchains) → inject fuel metering (meter.mjs) → check imports, metering,
// memory and size as publishing does (core's checkModuleBytes) → components/<name>/build/<name>.wasm,
// written through a rename, plus build/<name>.build.json recording its sha256. A failed build
// removes both, so a stale module is never tested, published or bundled; the bundle holds exactly
// the standard-library components whose current build succeeded.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { compileAssemblyScript } from "./compile-as.mjs";
import { compileC, findClang } from "./compile-c.mjs";
import { runBuildCommand, setMemoryMaximum } from "./compile-wasm.mjs";
import { discoverComponents, filesUnder, folderSources, newestMtime } from "./discover.mjs";
import { meterModule } from "./meter.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const TOOLCHAIN = ["components.mjs", "compile-as.mjs", "compile-c.mjs", "compile-wasm.mjs", "discover.mjs", "meter.mjs"];
export const STANDARD_LIBRARY_FILE = "standard-library.txt";

// `componentsDir` builds another folder of components with this checkout's toolchain (`acr parts
// build` in a project of your own); only the repository's own components/ are bundled into the
// executor, so the bundle list is written for those alone. `env` is the environment of `build:`
// commands (default: this process's).
// `toolchain` is given by a caller that bundles this file (the installed CLI): core's contract
// parser and sandbox checks, and the folder holding the SDK package (`<libDir>/@arcrun/component-sdk`);
// without it they are loaded from the checkout at `root` through tsx.
export default async function buildComponents({ root, log, force = process.env.ARCRUN_REBUILD === "1", componentsDir, env, toolchain }) {
  const { parseContract, sandbox } = toolchain ?? (await checkoutToolchain());
  // this build's own toolchain: a change to any of them rebuilds every component
  const toolFiles = [
    ...TOOLCHAIN.map((file) => join(here, file)),
    join(root, "packages/core/src/wasi/sandbox.json"),
  ];
  const sdkFiles = filesUnder(toolchain ? join(toolchain.libDir, "@arcrun/component-sdk/assembly") : join(root, "packages/component-sdk/assembly"));
  const libPaths = toolchain ? [toolchain.libDir] : [];
  // (a bundled toolchain builds a project of its own: nothing is bundled)
  const ownComponents = !toolchain && (!componentsDir || resolve(componentsDir) === join(root, "components"));
  const standard = ownComponents ? readStandardLibrary(join(root, "components")) : new Set();

  const built = [];
  const failures = [];
  const components = discoverComponents(root, componentsDir);
  for (const name of standard) {
    if (!components.some((c) => c.name === name)) failures.push(`${name}: listed in components/${STANDARD_LIBRARY_FILE} but components/${name}/contract.yaml does not exist`);
  }
  for (const component of components) {
    const label = component.name.padEnd(22);
    const inStandardLibrary = standard.has(component.name);
    // the standard library is bundled into every executor: 50 KB each; anything else is published (512 KiB)
    const maxBytes = inStandardLibrary ? sandbox.STANDARD_LIBRARY_MODULE_BYTES : sandbox.MAX_MODULE_BYTES;
    const manifestPath = join(dirname(component.wasmPath), `${component.name}.build.json`);
    let contract;
    try {
      contract = parseContract(parseYaml(readFileSync(component.contractPath, "utf8")), relative(root, component.contractPath));
      if (contract.name !== component.name) {
        throw new Error(`contract name "${contract.name}" differs from its folder "${component.name}"`);
      }
      const maxPages = contract.limits?.memory_pages ?? sandbox.DEFAULT_MEMORY_PAGES;
      const language = contract.build ? "command" : component.language;
      const sources = language === "command" ? folderSources(component.dir) : component.sources;
      if (language === "unknown") {
        throw new Error("nothing to build: add assembly/index.ts (AssemblyScript), src/*.c (C), a module.wasm from any WASI toolchain, or build: {command, output} in contract.yaml (see components/README.md)");
      }
      const inputs = [component.contractPath, ...sources, ...toolFiles, ...(language === "assemblyscript" ? sdkFiles : [])];
      const fresh = !force && builtFrom(component.wasmPath, manifestPath) && newestMtime([component.wasmPath]) >= newestMtime(inputs);
      if (fresh) {
        const bytes = readFileSync(component.wasmPath);
        checkOutput(sandbox, bytes, component.name, { memoryPages: maxPages, maxBytes });
        log(`${label} ${kb(bytes.length)}  up to date`);
        built.push({ component, contract, inStandardLibrary });
        continue;
      }
      if (language === "c" && !findClang()) {
        throw new Error("clang with the wasm32-wasi target is missing (apt-get install clang lld wasi-libc libclang-rt-dev-wasm32)");
      }
      let raw;
      if (language === "c") raw = compileC({ sources: component.sources, maxPages });
      else if (language === "assemblyscript") raw = await compileAssemblyScript({ entry: relative(root, component.entry), baseDir: root, maxPages, libPaths });
      else {
        const output = language === "command" ? contract.build.output : "module.wasm";
        const bytes = language === "command" ? runBuildCommand({ dir: component.dir, command: contract.build.command, output, env }) : readFileSync(join(component.dir, output));
        raw = setMemoryMaximum(bytes, maxPages);
      }
      // refuse forbidden imports before metering, so nothing can hide behind the injected code
      checkImports(sandbox, raw, component.name);
      const metered = meterModule(raw, { maxPages });
      // the same checks as publishing, on the build's own output
      checkOutput(sandbox, metered, component.name, { memoryPages: maxPages, maxBytes });
      writeAtomically(component.wasmPath, metered);
      writeAtomically(manifestPath, JSON.stringify({ name: component.name, language, bytes: metered.length, sha256: sha256(metered) }) + "\n");
      log(`${label} ${kb(metered.length)}  built (${language}, ${kb(raw.length)} before metering)`);
      built.push({ component, contract, inStandardLibrary });
    } catch (error) {
      log(`${label} FAILED: ${error.message}`);
      failures.push(`${component.name}: ${error.message}`);
      // never keep the last module: a failed build leaves nothing to test, publish or bundle
      rmSync(component.wasmPath, { force: true });
      rmSync(manifestPath, { force: true });
    }
  }
  if (ownComponents) {
    const bundled = built.filter((b) => b.inStandardLibrary);
    writeBundleList(root, bundled);
    log(`${bundled.length} standard-library components → packages/executor/src/components/bundled.generated.ts`);
  }
  if (failures.length > 0) {
    throw new Error(`${failures.length} component(s) failed to build:\n  ${failures.join("\n  ")}`);
  }
}

/** Core's contract parser and sandbox checks from the checkout's TypeScript sources (tsx). */
async function checkoutToolchain() {
  const { tsImport } = await import("tsx/esm/api");
  const { parseContract } = await tsImport("@arcrun/core/components/contract-schema", import.meta.url);
  const sandbox = await tsImport("@arcrun/core/wasi/allow-list", import.meta.url);
  return { parseContract, sandbox };
}

/** The names in components/standard-library.txt (one a line, # comments). */
export function readStandardLibrary(dir) {
  const file = join(dir, STANDARD_LIBRARY_FILE);
  if (!existsSync(file)) return new Set();
  return new Set(readFileSync(file, "utf8").split("\n").map((line) => line.replace(/#.*/, "").trim()).filter(Boolean));
}

/** True when `wasm` is the module a successful build recorded (not a file copied in by hand). */
function builtFrom(wasm, manifestPath) {
  if (!existsSync(wasm) || !existsSync(manifestPath)) return false;
  try {
    return JSON.parse(readFileSync(manifestPath, "utf8")).sha256 === sha256(readFileSync(wasm));
  } catch {
    return false;
  }
}

function checkOutput(sandbox, bytes, name, options) {
  try {
    sandbox.checkModuleBytes(bytes, name, options);
  } catch (error) {
    throw new Error(`${error.code ? `${error.code}: ` : ""}${error.message}`);
  }
}

/** Written through a rename, so a parallel build or test never reads half a file. */
function writeAtomically(path, data) {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, data);
  renameSync(temp, path);
}

function sha256(bytes) {
  return createHash("sha256").update(bytes).digest("hex");
}

function checkImports(sandbox, bytes, name) {
  const forbidden = sandbox.forbiddenImports(new WebAssembly.Module(bytes));
  if (forbidden.length > 0) throw new Error(`forbidden imports: ${forbidden.join(", ")} (allowed: ${[...sandbox.ALLOWED_WASI_IMPORTS].join(", ")})`);
}

/** The executor's list of bundled components: one `.wasm` import and one contract each. */
function writeBundleList(root, built) {
  const outFile = join(root, "packages/executor/src/components/bundled.generated.ts");
  const lines = [
    "// Generated by packages/local/src/build/components.mjs: do not edit, run `npm run build`.",
    "// Each .wasm import is a compiled WebAssembly.Module (the executor bundle copies the file).",
    'import type { BundledComponent } from "./bundled";',
  ];
  built.forEach(({ component }, i) => {
    lines.push(`import module${i} from "${relative(dirname(outFile), component.wasmPath).split("\\").join("/")}";`);
  });
  lines.push("", "export const BUNDLED_COMPONENTS: BundledComponent[] = [");
  built.forEach(({ component, contract }, i) => {
    const bytes = readFileSync(component.wasmPath).length;
    lines.push(`  { module: module${i}, bytes: ${bytes}, contract: ${JSON.stringify(contract)} },`);
  });
  lines.push("];", "");
  const text = lines.join("\n");
  mkdirSync(dirname(outFile), { recursive: true });
  if (!existsSync(outFile) || readFileSync(outFile, "utf8") !== text) writeFileSync(outFile, text);
}

function kb(bytes) {
  return `${(bytes / 1000).toFixed(1)} KB`.padStart(8); // decimal KB, as in the 50 KB cap
}
