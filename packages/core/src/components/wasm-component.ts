// A WASM component: a WASI command module plus its contract, run through the sandboxed host.
// The module is compiled once (by the bundler or the caller) and instantiated afresh for every
// call, on a memory zeroed first (wasi/pooled-memory.ts), so no state leaks between runs.
// `moduleComponent` is the same component around any way of calling the module (in-process
// here, the Worker Loader for modules published to R2).
import { checkModule, checkModuleBytes } from "../wasi/allow-list";
import type { Contract } from "./contract";
import { validateInput } from "./input-validation";
import type { Component, NodeContext, NodeOutcome } from "./types";
import type { ModuleCaller } from "../ports/component-resolver";
import { inProcessModuleCaller } from "../ports/memory/module-caller";
import { syncGate } from "../run/sync-gate";
import { workBudgetMs } from "../run/limits";

export interface WasmComponentOptions {
  /** Compiled module (a bundled `.wasm` import in a Worker; `new WebAssembly.Module(bytes)` in Node). */
  module: WebAssembly.Module;
  contract: Contract;
  /**
   * The bytes `module` was compiled from, when the caller has them (Node): then the metering
   * itself and the memory maximum are verified too (`checkModuleBytes`), not only the interface.
   */
  wasm?: Uint8Array;
}

export type { ModuleCaller } from "../ports/component-resolver";

/**
 * Checks the module (allowed imports only, fuel metering present; with `wasm`, metering verified
 * and memory maximum within the contract) and returns the Component. Throws `forbidden_import`,
 * `unmetered_module`, `memory_over_cap`, `module_too_large` or `invalid_module` before anything runs.
 */
export function wasmComponent({ module, contract, wasm }: WasmComponentOptions): Component {
  if (wasm) checkModuleBytes(wasm, contract.name, { memoryPages: contract.limits?.memory_pages });
  checkModule(module, contract.name);
  return moduleComponent(contract, inProcessModuleCaller(module));
}

/**
 * The parent's half of a WASM component: parameters are validated against `input_schema`
 * here, before the module is called; its stderr lines go to the node log.
 */
export function moduleComponent(contract: Contract, call: ModuleCaller): Component {
  const name = contract.name;
  return {
    name,
    kind: "wasm",
    contract,
    async run(params: Record<string, unknown>, ctx: NodeContext): Promise<NodeOutcome> {
      const invalid = validateInput(name, contract.input_schema, params);
      if (invalid) return { success: false, error: invalid };
      // synchronous work in this isolate or (locally) on its thread: one at a time, see sync-gate.ts
      const lease = workBudgetMs(ctx.limits) * 3 + 1000; // a call through the loader may outlive its request
      const { outcome, logs } = await syncGate.run(() => call({ component: name, params, limits: ctx.limits }), lease);
      for (const line of logs) ctx.log(line);
      return outcome;
    },
  };
}
