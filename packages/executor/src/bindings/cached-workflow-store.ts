/**
 * A WorkflowStore that keeps what it read for a short time, per isolate: a busy named query
 * then does no KV read per request (DESIGN § Speed). A push or delete through this isolate
 * replaces or drops its entry at once; another isolate (another Cloudflare location or
 * process) sees the change within FRESH_MS, plus KV's own propagation on Cloudflare.
 * Tokens and lists are not cached (the webhook trigger and `GET /workflows` read KV).
 */
import type { StoredWorkflow, WorkflowStore } from "@arcrun/core";

/** How long a read workflow is served from memory before KV is asked again. */
export const FRESH_MS = 2000;
const MAX_ENTRIES = 500;

export class CachedWorkflowStore implements WorkflowStore {
  private readonly entries = new Map<string, { workflow: StoredWorkflow; until: number }>();

  constructor(private readonly inner: WorkflowStore, private readonly now: () => number = Date.now) {}

  async get(name: string): Promise<StoredWorkflow | undefined> {
    const hit = this.entries.get(name);
    // a copy, as every store returns one (its fields are all text)
    if (hit && hit.until > this.now()) return { ...hit.workflow };
    const workflow = await this.inner.get(name);
    if (workflow) this.remember(workflow);
    else this.entries.delete(name);
    return workflow;
  }

  getByToken(token: string): Promise<StoredWorkflow | undefined> {
    return this.inner.getByToken(token);
  }

  /** versions never change once stored: nothing to go stale, read straight through */
  getVersion(name: string, hash: string): Promise<string | undefined> {
    return this.inner.getVersion(name, hash);
  }

  async put(workflow: StoredWorkflow): Promise<void> {
    this.entries.delete(workflow.name);
    await this.inner.put(workflow);
    this.remember(workflow);
  }

  async delete(name: string): Promise<boolean> {
    this.entries.delete(name);
    return this.inner.delete(name);
  }

  list(): Promise<StoredWorkflow[]> {
    return this.inner.list();
  }

  private remember(workflow: StoredWorkflow) {
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(workflow.name, { workflow: { ...workflow }, until: this.now() + FRESH_MS });
  }
}
