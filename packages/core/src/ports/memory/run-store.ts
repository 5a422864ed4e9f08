/**
 * RunStore in a Map. Records go through JSON on the way in, as they do into D1, so a caller
 * never shares objects with the store and `undefined` fields vanish the same way.
 */
import type { NodeTrace, RunRecord, RunWaiting } from "../../run/schema";
import type { RunPurge, RunQuery, RunStore } from "../run-store";

export class MemoryRunStore implements RunStore {
  private readonly runs = new Map<string, RunRecord>();

  async save(run: RunRecord): Promise<void> {
    const copy = JSON.parse(JSON.stringify(run)) as RunRecord;
    // like the D1 store: traces are kept by position, a later save only replaces or adds
    const previous = this.runs.get(run.run_id)?.nodes ?? [];
    copy.nodes = [...copy.nodes, ...previous.slice(copy.nodes.length)];
    this.runs.set(run.run_id, copy);
  }

  async saveNode(runId: string, seq: number, trace: NodeTrace, durationMs: number): Promise<void> {
    const run = this.runs.get(runId);
    if (!run || (run.status !== "running" && run.status !== "waiting")) return;
    run.nodes[seq] = JSON.parse(JSON.stringify(trace)) as NodeTrace;
    run.duration_ms = durationMs;
  }

  async setWaiting(runId: string, waiting: RunWaiting | undefined): Promise<void> {
    const run = this.runs.get(runId);
    if (!run || (run.status !== "running" && run.status !== "waiting")) return;
    if (waiting) {
      run.status = "waiting";
      run.waiting = JSON.parse(JSON.stringify(waiting)) as RunWaiting;
    } else {
      run.status = "running";
      delete run.waiting;
    }
  }

  async get(runId: string): Promise<RunRecord | undefined> {
    const run = this.runs.get(runId);
    return run ? (JSON.parse(JSON.stringify(run)) as RunRecord) : undefined;
  }

  async list(query: RunQuery): Promise<Omit<RunRecord, "nodes">[]> {
    const after = query.after;
    return this.matching(query)
      .filter((r) => !after || compare(r.started_at, after.started_at) < 0 || (r.started_at === after.started_at && compare(r.run_id, after.run_id) < 0))
      .slice(0, query.limit ?? 50)
      .map(({ nodes: _nodes, input: _input, ...rest }) => JSON.parse(JSON.stringify(rest)) as Omit<RunRecord, "nodes">);
  }

  async count(query: RunQuery): Promise<number> {
    return this.matching(query).length;
  }

  async purge(purge: RunPurge): Promise<number> {
    const doomed = [...this.runs.values()]
      .filter((r) => compare(r.started_at, purge.before) < 0 && (purge.workflow === undefined || r.workflow === purge.workflow) && !purge.except?.includes(r.workflow))
      .sort((a, b) => compare(a.started_at, b.started_at) || compare(a.run_id, b.run_id))
      .slice(0, purge.limit);
    for (const r of doomed) this.runs.delete(r.run_id);
    return doomed.length;
  }

  private matching(query: RunQuery): RunRecord[] {
    return [...this.runs.values()]
      .filter(
        (r) =>
          (!query.workflow || r.workflow === query.workflow) &&
          (!query.status || r.status === query.status) &&
          (!query.trigger || r.trigger === query.trigger) &&
          (!query.since || compare(r.started_at, query.since) >= 0) &&
          (!query.until || compare(r.started_at, query.until) < 0),
      )
      .sort((a, b) => compare(b.started_at, a.started_at) || compare(b.run_id, a.run_id));
  }
}

/** byte order, like SQLite's default collation */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
