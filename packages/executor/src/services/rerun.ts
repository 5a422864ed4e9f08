/**
 * `POST /runs/:id/rerun`: runs a recorded run again, from the start or from a node.
 *
 * Version: `pinned` (default) is the YAML the run recorded by hash (every pushed version is
 * kept, kv-workflow-store.ts), so a rerun works after the workflow was edited; `current` is
 * the stored workflow now. From a node: every node upstream of it (its ancestors) is taken as
 * the old run recorded it and not run again (core's ExecuteOptions.seed); the node and
 * everything else runs. An upstream output or error that was stored redacted (it held a
 * credential) cannot stand in for the real value: such a `from` is refused
 * (`rerun_redacted`) — rerun from an earlier node or from the start instead.
 */
import { arcrunError, INPUT_NODE, planRun, redactedMarker, type CompiledWorkflow, type NodeTrace, type RerunRequest, type RunRecord } from "@arcrun/core";
import type { Services } from "../env";
import { compileOrThrow, compileStored } from "./compiled";
import { workflowNotFound } from "../routes/workflows";

/** `[redacted:` — how every redacted value starts (core's redactedMarker) */
const REDACTED_PREFIX = redactedMarker("").slice(0, -1);

export interface RerunPlan {
  workflow: CompiledWorkflow;
  seed: Record<string, NodeTrace>;
}

export async function planRerun(services: Services, run: RunRecord, request: RerunRequest): Promise<RerunPlan> {
  const workflow = await rerunVersion(services, run, request.version);
  if (!request.from) return { workflow, seed: {} };
  const from = request.from;
  const nodes = Object.keys(workflow.nodes);
  if (!Object.hasOwn(workflow.nodes, from)) {
    throw arcrunError("rerun_unknown_node", `Workflow "${workflow.name}" (this version) has no node "${from}".`, {
      hint: `Rerun from one of: ${nodes.join(", ")}.`,
      details: { nodes },
    });
  }
  const recorded = new Map(run.nodes.map((t) => [t.node, t]));
  const seed: Record<string, NodeTrace> = {};
  for (const name of ancestors(workflow, from)) {
    const trace = recorded.get(name);
    if (!trace) {
      throw arcrunError("rerun_not_reusable", `Node "${name}", upstream of "${from}", has no recorded result in run ${run.run_id}.`, {
        hint: "Rerun from the start, from an earlier node, or on the pinned version (the one the run recorded).",
        details: { node: name },
      });
    }
    if (JSON.stringify([trace.output, trace.error]).includes(REDACTED_PREFIX)) {
      throw arcrunError("rerun_redacted", `The recorded output of "${name}", upstream of "${from}", was stored redacted: it cannot stand in for the real value.`, {
        hint: `Rerun from "${name}" or an earlier node, or from the start, so it is computed again.`,
        details: { node: name },
      });
    }
    seed[name] = trace;
  }
  return { workflow, seed };
}

async function rerunVersion(services: Services, run: RunRecord, version: RerunRequest["version"]): Promise<CompiledWorkflow> {
  if (version === "current") {
    const stored = await services.workflows.get(run.workflow);
    if (!stored) throw workflowNotFound(run.workflow);
    return compileStored(stored, services.resolver);
  }
  const yaml = run.workflow_hash ? await services.workflows.getVersion(run.workflow, run.workflow_hash) : undefined;
  if (!yaml) {
    throw arcrunError("workflow_version_not_found", `The version of "${run.workflow}" that run ${run.run_id} ran${run.workflow_hash ? ` (${run.workflow_hash.slice(0, 12)})` : ""} is not stored.`, {
      hint: 'Rerun on the current version: {"version": "current"} (acr run --rerun <id> --current). Runs of /execute have no stored version.',
    });
  }
  return compileOrThrow(yaml, services.resolver, run.workflow);
}

/** every node with a path into `node` (not `input`, not `node` itself) */
function ancestors(workflow: CompiledWorkflow, node: string): string[] {
  const { incoming, order } = planRun(workflow);
  const seen = new Set<string>();
  const stack = [node];
  while (stack.length) {
    for (const edge of incoming[stack.pop()!] ?? []) {
      if (edge.from === INPUT_NODE || seen.has(edge.from) || !(edge.from in incoming)) continue;
      seen.add(edge.from);
      stack.push(edge.from);
    }
  }
  return order.filter((n) => seen.has(n));
}
