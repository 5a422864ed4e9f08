/** Stored workflows by name and by webhook token (KV `WEBHOOKS` in the executor). */

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
  /** only the workflow's current token finds it; a replaced token finds nothing */
  getByToken(token: string): Promise<StoredWorkflow | undefined>;
  /** creates or replaces by name; every version's YAML is also kept by hash (see getVersion) */
  put(workflow: StoredWorkflow): Promise<void>;
  /** the YAML of a version ever stored under this name, by its hash (what a pinned rerun runs) */
  getVersion(name: string, hash: string): Promise<string | undefined>;
  /** false when there was nothing to delete */
  delete(name: string): Promise<boolean>;
  /** every workflow, sorted by name */
  list(): Promise<StoredWorkflow[]>;
}
