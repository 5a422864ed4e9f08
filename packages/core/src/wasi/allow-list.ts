// Import and export checks that run before a module is ever instantiated.
import { userError } from "../errors";
import sandbox from "./sandbox.json";

export const WASI_MODULE: string = sandbox.wasiModule;
export const ALLOWED_WASI_IMPORTS: ReadonlySet<string> = new Set(sandbox.allowedImports);
/** Exported mutable i64 global the build injects; the host sets it before each call. */
export const FUEL_GLOBAL: string = sandbox.fuelGlobal;
/** Exported i32 global the build injects; 1 when the last `memory.grow` asked past the cap. */
export const MEMORY_FLAG_GLOBAL: string = sandbox.memoryFlagGlobal;
export const DEFAULT_MEMORY_PAGES: number = sandbox.defaultMemoryPages;
export const MAX_MODULE_BYTES: number = sandbox.maxModuleBytes;

/** Every import of `module` outside the allow-list, as "module.name (kind)". */
export function forbiddenImports(module: WebAssembly.Module): string[] {
  return WebAssembly.Module.imports(module)
    .filter((i) => !(i.module === WASI_MODULE && i.kind === "function" && ALLOWED_WASI_IMPORTS.has(i.name)))
    .map((i) => `${i.module}.${i.name} (${i.kind})`);
}

/**
 * Refuses a module that imports anything but the allowed WASI calls, or that was not metered
 * by the build (no fuel global: an endless loop in it could never be stopped in-process).
 */
export function checkModule(module: WebAssembly.Module, name: string): void {
  const forbidden = forbiddenImports(module);
  if (forbidden.length > 0) {
    throw userError("forbidden_import", `Component "${name}" imports ${forbidden.join(", ")}, which the sandbox does not provide.`, {
      hint: `Components may import only ${WASI_MODULE} functions ${[...ALLOWED_WASI_IMPORTS].join(", ")}. Remove the call (network goes through the http_request builtin or a recipe).`,
      details: { component: name, imports: forbidden },
    });
  }
  const exports = WebAssembly.Module.exports(module);
  const has = (name: string, kind: string) => exports.some((e) => e.name === name && e.kind === kind);
  if (!has(FUEL_GLOBAL, "global")) {
    throw userError("unmetered_module", `Component "${name}" has no "${FUEL_GLOBAL}" global: it was not built with fuel metering, so an endless loop in it could not be stopped.`, {
      hint: "Build it with `acr parts build` (or `npm run build`), which injects the metering.",
      details: { component: name },
    });
  }
  if (!has("_start", "function") || !has("memory", "memory")) {
    throw userError("invalid_module", `Component "${name}" is not a WASI command: it must export "_start" and "memory".`, {
      hint: "Compile it as a WASI preview1 command (AssemblyScript with the arcrun SDK, or clang --target=wasm32-wasi).",
      details: { component: name },
    });
  }
}
