/**
 * WorkflowStore over KV `WEBHOOKS`: `wf:{name}` → the stored workflow (JSON),
 * `token:{token}` → name, so a webhook URL finds its workflow in one read, and
 * `workflow_version:{name}:{hash}` → YAML for every version ever pushed (pinned reruns).
 * Versions are kept after a delete too: a run recorded before it can still be rerun.
 */
import type { StoredWorkflow, WorkflowStore } from "@arcrun/core";

const WF = "wf:";
const TOKEN = "token:";
const VERSION = "workflow_version:";

export class KvWorkflowStore implements WorkflowStore {
  constructor(private readonly kv: KVNamespace) {}

  async get(name: string): Promise<StoredWorkflow | undefined> {
    return (await this.kv.get<StoredWorkflow>(WF + name, "json")) ?? undefined;
  }

  async getByToken(token: string): Promise<StoredWorkflow | undefined> {
    const name = await this.kv.get(TOKEN + token);
    if (!name) return undefined;
    const workflow = await this.get(name);
    // A token left behind by an interrupted update must not reach another workflow.
    return workflow?.token === token ? workflow : undefined;
  }

  async put(workflow: StoredWorkflow): Promise<void> {
    const previous = await this.get(workflow.name);
    // Token first: the workflow record is what makes the token valid (see getByToken).
    await this.kv.put(VERSION + `${workflow.name}:${workflow.hash}`, workflow.yaml);
    await this.kv.put(TOKEN + workflow.token, workflow.name);
    await this.kv.put(WF + workflow.name, JSON.stringify(workflow));
    if (previous && previous.token !== workflow.token) await this.kv.delete(TOKEN + previous.token);
  }

  async getVersion(name: string, hash: string): Promise<string | undefined> {
    return (await this.kv.get(VERSION + `${name}:${hash}`)) ?? undefined;
  }

  async delete(name: string): Promise<boolean> {
    const previous = await this.get(name);
    if (!previous) return false;
    await this.kv.delete(WF + name);
    await this.kv.delete(TOKEN + previous.token);
    return true;
  }

  async list(): Promise<StoredWorkflow[]> {
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.kv.list({ prefix: WF, cursor });
      names.push(...page.keys.map((k) => k.name.slice(WF.length)));
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
    const workflows = await Promise.all(names.map((name) => this.get(name)));
    return workflows.filter((w): w is StoredWorkflow => w !== undefined).sort((a, b) => a.name.localeCompare(b.name));
  }
}
