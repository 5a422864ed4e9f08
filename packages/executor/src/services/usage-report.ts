/**
 * Usage statistics for the registry (issue 14 item 3), as a run-finished hook: the verdict of
 * every WASM component node of a finished run (component, contract version, success,
 * duration_ms) goes to the registry in one `POST /analytics/record`, over the `REGISTRY`
 * service binding — the same code locally (Miniflare) and on Cloudflare.
 *
 * The hook only hands the report to `background` (the request's `waitUntil`) and returns: the
 * run never waits for the registry. A registry that is down, slow (cut off after
 * REPORT_TIMEOUT_MS), answers an error or is not bound never fails or slows a run; what went
 * wrong is logged, and that run's records are lost (statistics are best effort; a
 * run's own record is not).
 *
 * Builtins and recipes are not reported (the registry lists WASM components only); nodes
 * that were skipped, or reused from an earlier run by a rerun, did not run and are not reported.
 */
import type { ComponentResolver, NodeTrace, RunHooks } from "@arcrun/core";
import type { UsageRecord } from "@arcrun/core/registry/api";

/** How long one report may take before it is abandoned. */
export const REPORT_TIMEOUT_MS = 5000;

/** The registry's `/analytics/record` can take this many records at once. */
const MAX_RECORDS = 1000;

export interface UsageReportOptions {
  /** the registry Worker (`env.REGISTRY`) */
  registry: Pick<Fetcher, "fetch">;
  /** the registry key the records are sent with (`REGISTRY_KEY`) */
  key: string;
  /** the run's resolver: a node's component version is its contract's */
  resolver: ComponentResolver;
  /** keeps the report alive after the response (`waitUntil`) */
  background: (work: Promise<unknown>) => void;
  timeoutMs?: number;
  /** component names that are never WASM (the builtins, which resolve before any WASM source): not collected at all */
  neverWasm?: ReadonlySet<string>;
}

/**
 * The nodes that ran are collected as they finish (nodeFinished fires for nodes that ran and
 * for skipped ones, never for a rerun's reused nodes), per run id: one request may run more
 * than one workflow (an `on_error` handler).
 */
export function usageReportHooks(options: UsageReportOptions): RunHooks {
  const finished = new Map<string, NodeTrace[]>();
  return {
    nodeFinished(runId, trace) {
      // a run of builtins only does no work here, and schedules no report (every run pays this hook)
      if (trace.status === "skipped" || options.neverWasm?.has(trace.component)) return;
      const traces = finished.get(runId) ?? [];
      traces.push(trace);
      finished.set(runId, traces);
    },
    runFinished(run) {
      const traces = finished.get(run.run_id) ?? [];
      finished.delete(run.run_id);
      if (traces.length === 0) return;
      options.background(report(traces, options).catch((err) => console.error(`run ${run.run_id}: usage not reported to the registry: ${(err as Error)?.message ?? err}`)));
    },
  };
}

/** The component verdicts of these traces, each with its component's contract version (WASM components only). */
export async function usageRecords(traces: NodeTrace[], resolver: ComponentResolver): Promise<UsageRecord[]> {
  const versions = new Map<string, string | undefined>();
  for (const node of traces) {
    if (versions.has(node.component)) continue;
    const component = await resolver.resolve(node.component).catch(() => undefined);
    versions.set(node.component, component?.kind === "wasm" ? component.contract?.version : undefined);
  }
  return traces.flatMap((node) => {
    const version = versions.get(node.component);
    return version ? [{ component: node.component, version, success: node.status === "succeeded", duration_ms: node.duration_ms }] : [];
  });
}

async function report(traces: NodeTrace[], options: UsageReportOptions): Promise<void> {
  const records = await usageRecords(traces, options.resolver);
  for (let i = 0; i < records.length; i += MAX_RECORDS) {
    const response = await options.registry.fetch("http://registry/analytics/record", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${options.key}` },
      body: JSON.stringify({ records: records.slice(i, i + MAX_RECORDS) }),
      signal: AbortSignal.timeout(options.timeoutMs ?? REPORT_TIMEOUT_MS),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`the registry answered HTTP ${response.status}: ${text.slice(0, 200)}`);
  }
}
