/** Run records (D1 `ARCRUN_DB` in the executor). */
import type { NodeTrace, RunRecord, RunStatus, RunWaiting } from "../run/schema";

export interface RunQuery {
  workflow?: string;
  status?: RunStatus;
  /** what started the run: webhook, cron, query, execute */
  trigger?: string;
  /** started_at >= since (ISO) */
  since?: string;
  /** started_at < until (ISO) */
  until?: string;
  /** keyset paging: only runs listed after this one (older, or as old with a smaller id) */
  after?: { started_at: string; run_id: string };
  /** default 50 */
  limit?: number;
}

/** Which runs retention deletes: started before `before`, of `workflow` or of every workflow but `except`. */
export interface RunPurge {
  before: string;
  workflow?: string;
  except?: string[];
  /** at most this many runs (a batch) */
  limit: number;
}

export interface RunStore {
  /**
   * Creates or replaces the run by id. A later save of the same run (running → finished) only
   * ever adds nodes; traces are kept by position.
   */
  save(run: RunRecord): Promise<void>;
  /**
   * Records one finished node of a run that is still `running`, at position `seq` (finish
   * order), and the run's duration so far: background runs record as they go, so a run cut
   * off by a crash keeps its traces and a real duration. The run's final save replaces them.
   */
  saveNode(runId: string, seq: number, trace: NodeTrace, durationMs: number): Promise<void>;
  /**
   * A run still in progress starts waiting (status `waiting` with `waiting` saying on what) or
   * goes on (undefined: `running` again). A finished run is left as it is.
   */
  setWaiting(runId: string, waiting: RunWaiting | undefined): Promise<void>;
  get(runId: string): Promise<RunRecord | undefined>;
  /** newest first (started_at, then run_id, descending), without node traces */
  list(query: RunQuery): Promise<Omit<RunRecord, "nodes">[]>;
  /** how many runs match the filter (workflow, status, trigger, since, until; paging ignored) */
  count(query: RunQuery): Promise<number>;
  /** deletes up to `limit` matching runs (oldest first) with their traces; returns how many */
  purge(purge: RunPurge): Promise<number>;
}
