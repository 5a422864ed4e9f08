/**
 * Parse + check a workflow in one call: the only way a workflow reaches the scheduler.
 * (Stub: implemented by the workflow parser work; signature is the contract.)
 */
import type { WorkflowIssue } from "../errors";
import type { ComponentResolver } from "../components/types";
import type { CompiledWorkflow } from "./schema";

export interface CompileOptions {
  /** used to check component names, required inputs and branch labels */
  resolver: ComponentResolver;
  /** file name shown in issues */
  file?: string;
}

export type CompileResult = { ok: true; workflow: CompiledWorkflow } | { ok: false; issues: WorkflowIssue[] };

/** `source` is YAML text or an already-parsed object (JSON API). All issues are reported at once. */
export async function compileWorkflow(source: string | Record<string, unknown>, options: CompileOptions): Promise<CompileResult> {
  void source; void options;
  throw new Error("compileWorkflow: not implemented yet");
}
