// .wasm imports are precompiled modules in workerd (esbuild copies them next to the bundle,
// modulesRules / wrangler rules load them as CompiledWasm).
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
declare module "@jitl/quickjs-wasmfile-release-sync/wasm" {
  const module: WebAssembly.Module;
  export default module;
}
