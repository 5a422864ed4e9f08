/**
 * The narrow interfaces core needs from a platform. The executor implements them over
 * KV, D1, R2 and the Worker Loader (packages/executor/src/bindings/); tests use in-memory ones.
 */
import type { RunRecord, RunStatus } from "./run/schema";

export interface StoredWorkflow {
  name: string;
  yaml: string;
  hash: string;
  /** webhook token: at least 128 random bits, hex */
  token: string;
  created_at: string;
  updated_at: string;
}

export interface WorkflowStore {
  get(name: string): Promise<StoredWorkflow | undefined>;
  getByToken(token: string): Promise<StoredWorkflow | undefined>;
  put(workflow: StoredWorkflow): Promise<void>;
  delete(name: string): Promise<boolean>;
  list(): Promise<StoredWorkflow[]>;
}

export interface RunQuery {
  workflow?: string;
  status?: RunStatus;
  limit?: number;
}

export interface RunStore {
  /** Record a run as it starts (status running) and again when it finishes. */
  save(run: RunRecord): Promise<void>;
  get(runId: string): Promise<RunRecord | undefined>;
  list(query: RunQuery): Promise<Omit<RunRecord, "nodes">[]>;
}

/** Lifecycle hooks the scheduler calls; the executor hangs run logs and traces off them. */
export interface RunHooks {
  runStarted?(run: RunRecord): void | Promise<void>;
  nodeFinished?(runId: string, trace: RunRecord["nodes"][number]): void | Promise<void>;
  runFinished?(run: RunRecord): void | Promise<void>;
}
