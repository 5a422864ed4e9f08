// Runs one WASI command module once: a fresh instance per call, stdin in, stdout/stderr out.
// Never compiles bytes (Workers forbid it): it takes an already compiled WebAssembly.Module.
// A module that imports its memory (what the build makes) runs on its pooled memory, zeroed
// before the call (pooled-memory.ts); one with its own memory gets a new one with the instance.
import { FUEL_GLOBAL, MEMORY_FLAG_GLOBAL } from "./allow-list";
import { ExitSignal, OutputLimitSignal, Preview1 } from "./preview1";
import { pooledMemoryImports } from "./pooled-memory";

export interface WasiRunOptions {
  /** Bytes the component reads on stdin (the node's parameters as JSON). */
  stdin: Uint8Array;
  /** Work budget: loop iterations + calls the module may make (see fuel.ts). */
  fuel: bigint;
  maxStdoutBytes: number;
  /** Default 16 KiB; beyond it the middle of stderr is dropped. */
  maxStderrBytes?: number;
}

export type WasiStop =
  | { kind: "exit"; code: number }
  /** fuel ran out: an endless or too long loop */
  | { kind: "timeout" }
  /** a memory.grow asked for more than the module's maximum, then the module trapped */
  | { kind: "memory_limit"; message: string }
  | { kind: "output_limit"; limit: number }
  | { kind: "trap"; message: string };

export interface WasiRunResult {
  stop: WasiStop;
  stdout: Uint8Array;
  stderr: string;
  /** stderr bytes left out because of the cap */
  stderrDropped: number;
  /** fuel left when the run ended (0 after a timeout) */
  fuelLeft: bigint;
  /** linear memory size at the end, in 64 KiB pages */
  memoryPages: number;
}

/**
 * Instantiates `module` and calls its `_start`. Synchronous: the instance is created and run
 * in one go; its memory is dropped with it, or zeroed before the next call of a module that
 * imports it. The caller must have checked the module first (`checkModule`).
 */
export function runWasiCommand(module: WebAssembly.Module, options: WasiRunOptions): WasiRunResult {
  const wasi = new Preview1({
    stdin: options.stdin,
    maxStdoutBytes: options.maxStdoutBytes,
    maxStderrBytes: options.maxStderrBytes ?? 16 * 1024,
  });
  let instance: WebAssembly.Instance | undefined;
  let stop: WasiStop;
  try {
    const memory = pooledMemoryImports(module);
    instance = new WebAssembly.Instance(module, memory ? { ...wasi.imports(), ...memory } : wasi.imports());
    const exports = instance.exports as Record<string, unknown>;
    wasi.memory = exports.memory as WebAssembly.Memory;
    (exports[FUEL_GLOBAL] as WebAssembly.Global).value = options.fuel;
    (exports._start as () => void)();
    stop = { kind: "exit", code: 0 };
  } catch (error) {
    stop = classify(error, instance);
  }
  const exports = instance?.exports as Record<string, unknown> | undefined;
  const fuel = exports?.[FUEL_GLOBAL] as WebAssembly.Global | undefined;
  return {
    stop,
    stdout: wasi.stdout.join(),
    stderr: new TextDecoder().decode(wasi.stderr.join()),
    stderrDropped: wasi.stderrDropped,
    fuelLeft: fuel ? BigInt(fuel.value) : 0n,
    memoryPages: wasi.memory ? wasi.memory.buffer.byteLength / 65536 : 0,
  };
}

function classify(error: unknown, instance: WebAssembly.Instance | undefined): WasiStop {
  if (error instanceof ExitSignal) return { kind: "exit", code: error.code };
  if (error instanceof OutputLimitSignal) return { kind: "output_limit", limit: error.limit };
  const message = error instanceof Error ? error.message : String(error);
  const exports = instance?.exports as Record<string, unknown> | undefined;
  const fuel = exports?.[FUEL_GLOBAL] as WebAssembly.Global | undefined;
  if (fuel && BigInt(fuel.value) <= 0n) return { kind: "timeout" };
  const refused = exports?.[MEMORY_FLAG_GLOBAL] as WebAssembly.Global | undefined;
  if (refused && refused.value === 1) return { kind: "memory_limit", message };
  // a host-side stack overflow shows as RangeError; everything else a wasm RuntimeError
  return { kind: "trap", message };
}
