// A WASM component: a WASI command module plus its contract, run through the sandboxed host.
// The module is compiled once (by the bundler or the caller) and instantiated afresh for every
// call, so no state leaks between runs. `moduleComponent` is the same component around any way
// of calling the module (in-process here, the Worker Loader for modules published to R2).
import { checkModule } from "../wasi/allow-list";
import { callModule, type ModuleCallRequest, type ModuleCallResult } from "../wasi/call";
import type { Contract } from "./contract";
import { validateInput } from "./input-validation";
import type { Component, NodeContext, NodeOutcome } from "./types";
import { syncGate } from "../run/sync-gate";
import { workBudgetMs } from "../run/limits";

export interface WasmComponentOptions {
  /** Compiled module (a bundled `.wasm` import in a Worker; `new WebAssembly.Module(bytes)` in Node). */
  module: WebAssembly.Module;
  contract: Contract;
}

/** Runs the module once; may be remote. Rejects only when the module could not be reached at all. */
export type ModuleCaller = (request: ModuleCallRequest) => Promise<ModuleCallResult>;

/**
 * Checks the module (allowed imports only, fuel metering present) and returns the Component.
 * Throws `forbidden_import`, `unmetered_module` or `invalid_module` before anything runs.
 */
export function wasmComponent({ module, contract }: WasmComponentOptions): Component {
  checkModule(module, contract.name);
  return moduleComponent(contract, async (request) => callModule(module, request));
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
