/**
 * The executor's run log (Workers Logs / `wrangler tail`, the terminal of `npm start`): one
 * line per node log line, per failed node and per failed run, each with the run and node ids. Lines pass through the run's redactor, so a credential never reaches the log
 * even when a node printed it.
 */
import type { Redactor, RunHooks } from "@arcrun/core";

/** `[run <id>]` or `[run <id>] [node <name>]`: how every line about a run starts (DESIGN § Run guarantees). */
export function logPrefix(runId: string, node?: string): string {
  return node === undefined ? `[run ${runId}]` : `[run ${runId}] [node ${node}]`;
}

export function runLogHooks(redactor: Redactor, log: (line: string) => void = (line) => console.log(line)): RunHooks {
  return {
    nodeFinished(runId, trace) {
      const prefix = logPrefix(runId, trace.node);
      for (const line of trace.logs ?? []) log(`${prefix} ${redactor.text(line)}`);
      if (trace.status === "failed" && trace.error) log(`${prefix} failed: ${trace.error.code}: ${redactor.text(trace.error.message)}`);
    },
    runFinished(run) {
      // successful runs stay quiet: a line per request would cost the hot path (DESIGN § Speed)
      if (run.status !== "failed") return;
      const error = run.error ? ` (${run.error.node ? `node ${run.error.node}: ` : ""}${run.error.code}: ${redactor.text(run.error.message)})` : "";
      log(`${logPrefix(run.run_id)} workflow ${run.workflow} ${run.status} in ${Math.round(run.duration_ms)} ms${error}`);
    },
  };
}
