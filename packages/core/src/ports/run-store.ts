/** Run records (D1 `ARCRUN_DB` in the executor). */
import type { RunRecord, RunStatus } from "../run/schema";

export interface RunQuery {
  workflow?: string;
  status?: RunStatus;
  /** default 50 */
  limit?: number;
}

export interface RunStore {
  /**
   * Creates or replaces the run by id. A later save of the same run (running → finished) only
   * ever adds nodes; traces are kept by position.
   */
  save(run: RunRecord): Promise<void>;
  get(runId: string): Promise<RunRecord | undefined>;
  /** newest first (started_at, then run_id, descending), without node traces */
  list(query: RunQuery): Promise<Omit<RunRecord, "nodes">[]>;
}
