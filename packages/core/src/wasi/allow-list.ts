// Import and export checks that run before a module is ever instantiated: on a compiled
// module (bundled components) or on the raw bytes (modules published at run time, which a
// Worker may not compile; see module-interface.ts).
import { arcrunError } from "../errors";
import { customSections, ModuleFormatError, readModuleInterface, type ModuleInterface } from "./module-interface";
import sandbox from "./sandbox.json";
import { inspectModuleBody, type MemoryLimits } from "./verify-metering";
import { MEMORY_IMPORT, readMemorySection } from "./pooled-memory";

export const WASI_MODULE: string = sandbox.wasiModule;
export const ALLOWED_WASI_IMPORTS: ReadonlySet<string> = new Set(sandbox.allowedImports);
/** Exported mutable i64 global the build injects; the host sets it before each call. */
export const FUEL_GLOBAL: string = sandbox.fuelGlobal;
/** Exported i32 global the build injects; 1 when the last `memory.grow` asked past the cap. */
export const MEMORY_FLAG_GLOBAL: string = sandbox.memoryFlagGlobal;
export const DEFAULT_MEMORY_PAGES: number = sandbox.defaultMemoryPages;
/** Size cap of a published (or otherwise submitted) module: 512 KiB. */
export const MAX_MODULE_BYTES: number = sandbox.maxModuleBytes;
/** Size budget of each module of the standard library, which is bundled into the executor: 50 KB. */
export const STANDARD_LIBRARY_MODULE_BYTES: number = sandbox.standardLibraryModuleBytes;

/** How to get any WASI module metered: the build's module.wasm path takes the output of any toolchain. */
const METER_HINT =
  "Meter it with `acr parts build <dir>`: put the module in the component folder as module.wasm (or add build: {command, output} to contract.yaml for cargo, clang, ...), and the build injects the fuel check into every loop and recursive function and sets the memory maximum from the contract; publish build/<name>.wasm unchanged.";

/** Every import outside the allow-list (the WASI calls, and the memory the build makes an import), as "module.name (kind)". */
export function forbiddenImports(module: WebAssembly.Module | ModuleInterface): string[] {
  const imports = module instanceof WebAssembly.Module ? WebAssembly.Module.imports(module) : module.imports;
  return imports
    .filter((i) => !(i.module === WASI_MODULE && i.kind === "function" && ALLOWED_WASI_IMPORTS.has(i.name)))
    .filter((i) => !(i.module === MEMORY_IMPORT.module && i.name === MEMORY_IMPORT.name && i.kind === "memory"))
    .map((i) => `${i.module}.${i.name} (${i.kind})`);
}

/**
 * Refuses a module that imports anything but the allowed WASI calls, or that was not metered
 * by the build (no fuel global: an endless loop in it could never be stopped in-process).
 */
export function checkModule(module: WebAssembly.Module, name: string): void {
  const shape = { imports: WebAssembly.Module.imports(module), exports: WebAssembly.Module.exports(module) };
  checkInterface(shape, name, WebAssembly.Module.customSections(module, MEMORY_IMPORT.section));
}

export interface ModuleBytesOptions {
  /** the contract's `limits.memory_pages` (DEFAULT_MEMORY_PAGES when it sets none): the module's memory maximum may not exceed it */
  memoryPages?: number;
  /** the size cap (default MAX_MODULE_BYTES; the build holds the standard library to STANDARD_LIBRARY_MODULE_BYTES) */
  maxBytes?: number;
}

/**
 * The same checks on a module's bytes, without compiling them, plus the size cap, the binary
 * format, the metering itself (every loop and recursion point carries the fuel check; see
 * verify-metering.ts) and the memory maximum against the contract: `module_too_large`,
 * `invalid_module`, `forbidden_import`, `unmetered_module`, `memory_over_cap`.
 */
export function checkModuleBytes(bytes: Uint8Array, name: string, { memoryPages = DEFAULT_MEMORY_PAGES, maxBytes = MAX_MODULE_BYTES }: ModuleBytesOptions = {}): ModuleInterface {
  if (bytes.length > maxBytes) {
    // the count, never the bytes: error details do not echo uploaded content
    throw arcrunError("module_too_large", `Component "${name}" is ${bytes.length} bytes; the limit is ${maxBytes}.`, {
      hint: "Make it smaller: build with optimisation (-Oz / opt-level = \"s\" / --optimize), strip it, drop unused code and large tables.",
      details: { component: name, bytes: bytes.length, limit: maxBytes },
    });
  }
  let shape: ModuleInterface;
  let body: ReturnType<typeof inspectModuleBody>;
  try {
    shape = readModuleInterface(bytes);
    body = inspectModuleBody(bytes);
  } catch (error) {
    if (!(error instanceof ModuleFormatError)) throw error;
    throw arcrunError("invalid_module", `Component "${name}" is not a valid WebAssembly module: ${error.message}.`, {
      hint: "Send the .wasm file the build wrote (build/<name>.wasm), base64-encoded, unchanged.",
      details: { component: name, offset: error.offset },
    });
  }
  const memorySections = customSections(bytes, MEMORY_IMPORT.section);
  checkInterface(shape, name, memorySections);
  if (body.metering) {
    const { reason, ...where } = body.metering;
    throw arcrunError("unmetered_module", `Component "${name}" is not metered: ${reason}, so an endless loop in it could not be stopped.`, {
      hint: METER_HINT,
      details: { component: name, reason, ...where },
    });
  }
  checkMemory(body.memories, name, memoryPages);
  const imported = body.memories.find((m) => m.imported);
  const declared = imported && readMemorySection(memorySections);
  if (imported && typeof declared === "object" && (declared.initial !== imported.min || declared.maximum !== imported.max)) {
    throw arcrunError("invalid_module", `Component "${name}" imports a memory of ${imported.min}–${imported.max ?? "unbounded"} pages but its "${MEMORY_IMPORT.section}" section says ${declared.initial}–${declared.maximum}.`, {
      hint: METER_HINT,
      details: { component: name },
    });
  }
  return shape;
}

/** Every memory declares a maximum within the contract's pages (WebAssembly then refuses any growth past it). */
function checkMemory(memories: MemoryLimits[], name: string, cap: number): void {
  for (const memory of memories) {
    if (memory.max !== undefined && memory.max <= cap) continue;
    const declared = memory.max === undefined ? "declares no maximum" : `declares a maximum of ${memory.max} pages`;
    throw arcrunError("memory_over_cap", `Component "${name}" ${declared}; its contract allows ${cap} pages (64 KiB each).`, {
      hint: `Build it with a memory maximum of at most limits.memory_pages (${cap}); \`acr parts build\` sets it from contract.yaml (clang: -Wl,--max-memory=${cap * 65536}).`,
      details: { component: name, max_pages: memory.max ?? null, cap_pages: cap },
    });
  }
}

/** `memorySections`: the module's custom sections holding the limits of the memory it imports. */
function checkInterface(shape: ModuleInterface, name: string, memorySections: ArrayBuffer[]): void {
  const forbidden = forbiddenImports(shape);
  if (forbidden.length > 0) {
    throw arcrunError("forbidden_import", `Component "${name}" imports ${forbidden.join(", ")}, which the sandbox does not provide.`, {
      hint: `Components may import only ${WASI_MODULE} functions ${[...ALLOWED_WASI_IMPORTS].join(", ")}. Remove the call (network goes through the http_request builtin or a recipe).`,
      details: { component: name, imports: forbidden },
    });
  }
  if (shape.imports.some((i) => i.kind === "memory")) {
    const limits = readMemorySection(memorySections);
    if (typeof limits === "string") {
      throw arcrunError("invalid_module", `Component "${name}" imports its memory but ${limits}.`, { hint: METER_HINT, details: { component: name } });
    }
  }
  const has = (name: string, kind: string) => shape.exports.some((e) => e.name === name && e.kind === kind);
  if (!has(FUEL_GLOBAL, "global")) {
    throw arcrunError("unmetered_module", `Component "${name}" has no "${FUEL_GLOBAL}" global: it was not built with fuel metering, so an endless loop in it could not be stopped.`, {
      hint: METER_HINT,
      details: { component: name },
    });
  }
  if (!has("_start", "function") || !has("memory", "memory")) {
    throw arcrunError("invalid_module", `Component "${name}" is not a WASI command: it must export "_start" and "memory".`, {
      hint: "Compile it as a WASI preview1 command (AssemblyScript with the arcrun SDK, clang --target=wasm32-wasi, cargo build --target wasm32-wasi / wasm32-wasip1).",
      details: { component: name },
    });
  }
}
