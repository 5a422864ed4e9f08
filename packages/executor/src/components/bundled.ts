/**
 * Step 2 of the loader chain: WASM components bundled into the Worker at build time.
 * `bundled.generated.ts` (written by packages/local/src/build/components.mjs) imports every built
 * module as a compiled WebAssembly.Module; here each becomes a Component on first use, and
 * that Component (module checks done once) is reused by every later run in the isolate.
 */
import { wasmComponent, type Component, type ComponentResolver, type Contract } from "@arcrun/core";
import { BUNDLED_COMPONENTS } from "./bundled.generated";

export interface BundledComponent {
  module: WebAssembly.Module;
  /** size of the .wasm file */
  bytes: number;
  contract: Contract;
}

export function bundledResolver(list: BundledComponent[] = BUNDLED_COMPONENTS): ComponentResolver {
  const byName = new Map(list.map((entry) => [entry.contract.name, entry]));
  const ready = new Map<string, Component>();
  return {
    async resolve(name) {
      const entry = byName.get(name);
      if (!entry) return undefined;
      const component = ready.get(name) ?? wasmComponent(entry);
      ready.set(name, component);
      return component;
    },
    async list() {
      return [...byName.keys()];
    },
  };
}
