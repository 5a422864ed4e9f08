/**
 * QuickJS for the `code` builtin inside a Worker. Workers cannot compile WebAssembly from
 * bytes, so the variant's module is imported precompiled (the build copies the .wasm next to
 * the bundle and workerd loads it as a CompiledWasm module) and handed to the variant.
 * Loaded once per isolate, on first use.
 */
import { newQuickJSWASMModuleFromVariant, newVariant, type QuickJSWASMModule } from "quickjs-emscripten-core";
import releaseSync from "@jitl/quickjs-wasmfile-release-sync";
import wasmModule from "@jitl/quickjs-wasmfile-release-sync/wasm";

let quickjs: Promise<QuickJSWASMModule> | undefined;

export function loadQuickJS(): Promise<QuickJSWASMModule> {
  quickjs ??= newQuickJSWASMModuleFromVariant(newVariant(releaseSync, { wasmModule })).catch((err) => {
    quickjs = undefined;
    throw err;
  });
  return quickjs;
}
