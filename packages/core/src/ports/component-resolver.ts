/**
 * Components by name, as core sees the loader chain (builtins → bundled modules → R2 modules
 * through the Worker Loader in the executor) and how one WASM module is called.
 */
import type { Component } from "../components/types";
import type { ModuleCallRequest, ModuleCallResult } from "../wasi/call";

export interface ComponentResolver {
  /** undefined when this resolver does not know the name */
  resolve(name: string): Promise<Component | undefined>;
  /** Every name this resolver can provide, for "did you mean" hints. */
  list(): Promise<string[]>;
}

/**
 * Runs a WASM module once; may be remote (the Worker Loader). Rejects only when the module
 * could not be reached at all; a failing module is a `{success: false}` outcome.
 */
export type ModuleCaller = (request: ModuleCallRequest) => Promise<ModuleCallResult>;
