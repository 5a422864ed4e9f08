// One call of a component module, from parameters to the node's result envelope plus its log
// lines. Shared by the in-process host (bundled components) and the Worker Loader host
// (modules published to R2), so both report timeout, traps, memory and output the same way.
import type { NodeOutcome, ResolvedLimits } from "../components/types";
import { fuelFor } from "./fuel";
import { workBudgetMs } from "../run/limits";
import { interpretRun } from "./output";
import { runWasiCommand } from "./run";

export interface ModuleCallRequest {
  /** component name, for messages */
  component: string;
  /** the node's parameters (already validated against input_schema by the caller) */
  params: Record<string, unknown>;
  limits: Pick<ResolvedLimits, "timeout_ms" | "cpu_ms" | "max_output_bytes">;
}

export interface ModuleCallResult {
  outcome: NodeOutcome;
  /** stderr lines, then a note when stderr was cut */
  logs: string[];
}

const encoder = new TextEncoder();

/** Runs an already checked module (`checkModule`) once: a fresh instance on zeroed memory. */
export function callModule(module: WebAssembly.Module, request: ModuleCallRequest): ModuleCallResult {
  const { component, params, limits } = request;
  const budgetMs = workBudgetMs(limits);
  const result = runWasiCommand(module, {
    stdin: encoder.encode(JSON.stringify(params)),
    fuel: fuelFor(budgetMs),
    maxStdoutBytes: limits.max_output_bytes,
  });
  const logs = result.stderr.split("\n").filter((line) => line.trim());
  if (result.stderrDropped > 0) logs.push(`(${result.stderrDropped} bytes of stderr left out)`);
  return { outcome: interpretRun(result, { component, timeoutMs: budgetMs }), logs };
}
