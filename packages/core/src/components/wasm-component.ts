// A WASM component: a compiled WASI command module plus its contract, run through the
// sandboxed host. The module is compiled once (by the bundler or the caller) and instantiated
// afresh for every call, so no state leaks between runs.
import { checkModule } from "../wasi/allow-list";
import { fuelFor } from "../wasi/fuel";
import { interpretRun } from "../wasi/output";
import { runWasiCommand } from "../wasi/run";
import type { Contract } from "./contract";
import { validateInput } from "./input-validation";
import type { Component, NodeContext, NodeOutcome } from "./types";

export interface WasmComponentOptions {
  /** Compiled module (a bundled `.wasm` import in a Worker; `new WebAssembly.Module(bytes)` in Node). */
  module: WebAssembly.Module;
  contract: Contract;
}

const encoder = new TextEncoder();

/**
 * Checks the module (allowed imports only, fuel metering present) and returns the Component.
 * Throws `forbidden_import`, `unmetered_module` or `invalid_module` before anything runs.
 */
export function wasmComponent({ module, contract }: WasmComponentOptions): Component {
  const name = contract.name;
  checkModule(module, name);
  return {
    name,
    kind: "wasm",
    contract,
    async run(params: Record<string, unknown>, ctx: NodeContext): Promise<NodeOutcome> {
      const invalid = validateInput(name, contract.input_schema, params);
      if (invalid) return { success: false, error: invalid };
      const result = runWasiCommand(module, {
        stdin: encoder.encode(JSON.stringify(params)),
        fuel: fuelFor(ctx.limits.timeout_ms),
        maxStdoutBytes: ctx.limits.max_output_bytes,
      });
      for (const line of result.stderr.split("\n")) if (line.trim()) ctx.log(line);
      if (result.stderrDropped > 0) ctx.log(`(${result.stderrDropped} bytes of stderr left out)`);
      return interpretRun(result, { component: name, timeoutMs: ctx.limits.timeout_ms });
    },
  };
}
