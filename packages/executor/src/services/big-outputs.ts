/**
 * Big outputs (issue 13 item 8): a node output over the workflow's `max_trace_bytes` (default
 * 64 KiB) is stored as one R2 object and the trace keeps `output_ref: {key, bytes}` instead;
 * `GET /runs/:id?full=1` puts the outputs back. Keys sort by workflow, then start time:
 *
 *   run-outputs/<workflow>/<started_at>/<run_id>/<node>.json
 *
 * so retention (services/retention.ts) deletes a workflow's old outputs by listing its prefix
 * in order, the same periods as the runs.
 */
import type { NodeTrace, OutputRef, RunRecord } from "@arcrun/core";

export const OUTPUTS_PREFIX = "run-outputs/";

/** The slice of R2 this needs (an R2Bucket; a Map in the in-process tests). */
export interface BlobStore {
  put(key: string, value: string): Promise<unknown>;
  get(key: string): Promise<{ text(): Promise<string> } | null>;
  list(options: { prefix: string; delimiter?: string; cursor?: string; limit?: number }): Promise<{ objects: { key: string }[]; delimitedPrefixes: string[]; truncated: boolean; cursor?: string }>;
  delete(keys: string | string[]): Promise<void>;
}

export function outputKey(run: Pick<RunRecord, "workflow" | "started_at" | "run_id">, node: string): string {
  return `${OUTPUTS_PREFIX}${run.workflow}/${run.started_at}/${run.run_id}/${node}.json`;
}

/** The `offload` of core's ExecuteOptions for one run. */
export function offloadTo(store: BlobStore, run: Pick<RunRecord, "workflow" | "started_at" | "run_id">) {
  return async (node: string, output: unknown, bytes: number): Promise<OutputRef> => {
    const key = outputKey(run, node);
    await store.put(key, JSON.stringify(output));
    return { key, bytes };
  };
}

/** The run with every referenced output read back into its trace (`?full=1`); a missing object stays a reference. */
export async function withFullOutputs(store: BlobStore | undefined, run: RunRecord): Promise<RunRecord> {
  if (!store || !run.nodes.some((n) => n.output_ref)) return run;
  const nodes = await Promise.all(run.nodes.map(async (trace): Promise<NodeTrace> => {
    if (!trace.output_ref) return trace;
    const object = await store.get(trace.output_ref.key);
    if (!object) return trace;
    const { output_ref: _ref, ...rest } = trace;
    return { ...rest, output: JSON.parse(await object.text()) };
  }));
  return { ...run, nodes };
}

/**
 * Deletes the stored outputs of runs started before each workflow's cutoff, oldest first, at
 * most `limit` objects; `cutoff(workflow)` is an ISO time. Returns how many were deleted.
 */
export async function purgeOutputs(store: BlobStore, cutoff: (workflow: string) => string, limit: number): Promise<number> {
  let deleted = 0;
  let cursor: string | undefined;
  do {
    const page = await store.list({ prefix: OUTPUTS_PREFIX, delimiter: "/", cursor });
    for (const prefix of page.delimitedPrefixes) {
      if (deleted >= limit) return deleted;
      const workflow = prefix.slice(OUTPUTS_PREFIX.length, -1);
      deleted += await purgeWorkflow(store, prefix, cutoff(workflow), limit - deleted);
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return deleted;
}

async function purgeWorkflow(store: BlobStore, prefix: string, before: string, limit: number): Promise<number> {
  const doomed: string[] = [];
  let cursor: string | undefined;
  for (let done = false; !done; ) {
    const page = await store.list({ prefix, cursor });
    for (const { key } of page.objects) {
      // keys list in order of their start time (ISO): the first one young enough ends the pass
      if (key.slice(prefix.length).split("/")[0] >= before || doomed.length >= limit) {
        done = true;
        break;
      }
      doomed.push(key);
    }
    if (!page.truncated) done = true;
    else cursor = page.cursor;
  }
  for (let i = 0; i < doomed.length; i += 1000) await store.delete(doomed.slice(i, i + 1000));
  return doomed.length;
}
