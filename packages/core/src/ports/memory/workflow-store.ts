/** WorkflowStore in two Maps, name → workflow and token → name; values are copied in and out like a real store's. */
import type { StoredWorkflow, WorkflowStore } from "../workflow-store";

export class MemoryWorkflowStore implements WorkflowStore {
  private readonly byName = new Map<string, StoredWorkflow>();
  private readonly tokens = new Map<string, string>();
  private readonly versions = new Map<string, string>();

  async get(name: string): Promise<StoredWorkflow | undefined> {
    const found = this.byName.get(name);
    return found ? { ...found } : undefined;
  }

  async getByToken(token: string): Promise<StoredWorkflow | undefined> {
    const name = this.tokens.get(token);
    const workflow = name === undefined ? undefined : await this.get(name);
    return workflow?.token === token ? workflow : undefined;
  }

  async put(workflow: StoredWorkflow): Promise<void> {
    const previous = this.byName.get(workflow.name);
    if (previous && previous.token !== workflow.token) this.tokens.delete(previous.token);
    this.tokens.set(workflow.token, workflow.name);
    this.byName.set(workflow.name, { ...workflow });
    this.versions.set(`${workflow.name}:${workflow.hash}`, workflow.yaml);
  }

  async getVersion(name: string, hash: string): Promise<string | undefined> {
    return this.versions.get(`${name}:${hash}`);
  }

  async delete(name: string): Promise<boolean> {
    const previous = this.byName.get(name);
    if (!previous) return false;
    this.byName.delete(name);
    this.tokens.delete(previous.token);
    return true;
  }

  async list(): Promise<StoredWorkflow[]> {
    return [...this.byName.values()].map((w) => ({ ...w })).sort((a, b) => a.name.localeCompare(b.name));
  }
}
