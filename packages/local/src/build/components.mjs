// Builds every component under components/ into a metered, sandbox-checked .wasm, then writes
// packages/executor/src/components/bundled.generated.ts, which imports them all into the
// executor bundle. A component is rebuilt only when its contract, its sources, the SDK or this
// build's own scripts are newer than its .wasm.
//
// Per component: compile (asc for AssemblyScript, clang for C when installed) → inject fuel
// metering (meter.mjs) → check imports against the sandbox allow-list and
// the size cap → components/<name>/build/<name>.wasm.
import { mkdirSync, readFileSync, writeFileSync, existsSync, utimesSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { tsImport } from "tsx/esm/api";
import { parse as parseYaml } from "yaml";
import { compileAssemblyScript } from "./compile-as.mjs";
import { compileC, findClang } from "./compile-c.mjs";
import { discoverComponents, filesUnder, newestMtime } from "./discover.mjs";
import { meterModule } from "./meter.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const TOOLCHAIN = ["components.mjs", "compile-as.mjs", "compile-c.mjs", "discover.mjs", "meter.mjs"];

// `componentsDir` builds another folder of components with this checkout's toolchain (`acr parts
// build` in a project of your own); only the repository's own components/ are bundled into the
// executor, so the bundle list is written for those alone.
export default async function buildComponents({ root, log, force = process.env.ARCRUN_REBUILD === "1", componentsDir }) {
  const { parseContract } = await tsImport("@arcrun/core/components/contract-schema", import.meta.url);
  const sandbox = await tsImport("@arcrun/core/wasi/allow-list", import.meta.url);
  // this build's own toolchain: a change to any of them rebuilds every component
  const toolFiles = [
    ...TOOLCHAIN.map((file) => join(here, file)),
    join(root, "packages/core/src/wasi/sandbox.json"),
  ];
  const sdkFiles = filesUnder(join(root, "packages/component-sdk/assembly"));

  const built = [];
  const failures = [];
  for (const component of discoverComponents(root, componentsDir)) {
    const label = component.name.padEnd(22);
    let contract;
    try {
      contract = parseContract(parseYaml(readFileSync(component.contractPath, "utf8")), relative(root, component.contractPath));
      if (contract.name !== component.name) {
        throw new Error(`contract name "${contract.name}" differs from its folder "${component.name}"`);
      }
      const maxPages = contract.limits?.memory_pages ?? sandbox.DEFAULT_MEMORY_PAGES;
      if (component.language === "unknown") throw new Error("no assembly/index.ts and no src/*.c");
      if (component.language === "c" && !findClang()) {
        log(`${label} skipped: clang with the wasm32-wasi target is missing (apt-get install clang lld wasi-libc libclang-rt-dev-wasm32)`);
        if (existsSync(component.wasmPath)) built.push({ component, contract });
        continue;
      }
      const inputs = [component.contractPath, ...component.sources, ...toolFiles, ...(component.language === "assemblyscript" ? sdkFiles : [])];
      const fresh = !force && existsSync(component.wasmPath) && newestMtime([component.wasmPath]) >= newestMtime(inputs);
      if (fresh) {
        log(`${label} ${kb(readFileSync(component.wasmPath).length)}  up to date`);
        built.push({ component, contract });
        continue;
      }
      const raw = component.language === "c"
        ? compileC({ sources: component.sources, maxPages })
        : await compileAssemblyScript({ entry: relative(root, component.entry), baseDir: root, maxPages });
      // refuse forbidden imports before metering, so nothing can hide behind the injected code
      checkImports(sandbox, raw, component.name);
      const metered = meterModule(raw, { maxPages });
      checkImports(sandbox, metered, component.name);
      if (metered.length > sandbox.MAX_MODULE_BYTES) {
        throw new Error(`${kb(metered.length)} is over the ${kb(sandbox.MAX_MODULE_BYTES)} cap for a component module`);
      }
      mkdirSync(dirname(component.wasmPath), { recursive: true });
      writeFileSync(component.wasmPath, metered);
      const now = new Date();
      utimesSync(component.wasmPath, now, now);
      log(`${label} ${kb(metered.length)}  built (${component.language}, ${kb(raw.length)} before metering)`);
      built.push({ component, contract });
    } catch (error) {
      log(`${label} FAILED: ${error.message}`);
      failures.push(`${component.name}: ${error.message}`);
      // keep the last good module in the bundle list, so one broken source does not unlist it
      if (contract && existsSync(component.wasmPath)) built.push({ component, contract });
    }
  }
  if (!componentsDir || resolve(componentsDir) === join(root, "components")) {
    writeBundleList(root, built);
    log(`${built.length} components → packages/executor/src/components/bundled.generated.ts`);
  }
  if (failures.length > 0) {
    throw new Error(`${failures.length} component(s) failed to build:\n  ${failures.join("\n  ")}`);
  }
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
