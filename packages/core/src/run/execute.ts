/**
 * Run a compiled workflow to completion and return its record (the one run shape).
 * (Stub: implemented by the scheduler work; signature is the contract.)
 */
import type { CompiledWorkflow } from "../workflow/schema";
import type { ComponentResolver } from "../components/types";
import type { RunHooks } from "../ports";
import type { RunRecord } from "./schema";

export interface ExecuteOptions {
  resolver: ComponentResolver;
  input: unknown;
  hooks?: RunHooks;
  /** outbound fetch for http_request and recipes (default: global fetch) */
  fetch?: typeof fetch;
  runId?: string;
  trigger?: string;
  /** wall clock for started_at / durations (default Date.now) */
  now?: () => number;
  /** decrypts a credential by name (issue 4); undefined → `{{credential.x}}` fails with credential_missing */
  secrets?: { get(name: string): Promise<string | undefined> };
}

export async function executeWorkflow(workflow: CompiledWorkflow, options: ExecuteOptions): Promise<RunRecord> {
  void workflow; void options;
  throw new Error("executeWorkflow: not implemented yet");
}
