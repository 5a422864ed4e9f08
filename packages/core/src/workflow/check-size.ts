/**
 * The size cap of a workflow: nodes, edges, bytes of `config` and of the whole source.
 * Checked before anything else reads the workflow (the graph and template checks grow faster
 * than the workflow, and a run of thousands of nodes holds local workerd's only thread), so a
 * workflow over a limit gets exactly one issue, `workflow_too_large`, naming that limit.
 */
import type { WorkflowIssue } from "../errors";
import { isRecord } from "./workflow-view";

export const WORKFLOW_LIMITS = {
  /** entries under `config` */
  nodes: 1000,
  /** edges after reading `flow` (a chain `a >> ON_SUCCESS >> b >> ON_SUCCESS >> c` is two) */
  edges: 2000,
  /** UTF-8 bytes of `config` as JSON */
  config_bytes: 512 * 1024,
  /** UTF-8 bytes of the YAML (or JSON) source, the executor's request body cap */
  source_bytes: 1024 * 1024,
} as const;

export type WorkflowLimit = keyof typeof WORKFLOW_LIMITS;

const encoder = new TextEncoder();

/** The source text, before it is parsed. */
export function checkSourceSize(text: string): WorkflowIssue[] {
  // a UTF-8 byte is at most one UTF-16 unit, so short texts need no encoding
  if (text.length * 3 <= WORKFLOW_LIMITS.source_bytes) return [];
  const bytes = encoder.encode(text).length;
  return bytes > WORKFLOW_LIMITS.source_bytes ? [tooLarge("source_bytes", bytes, "the workflow file")] : [];
}

/** The parsed workflow: node and edge counts (edges as read from `flow`), config bytes. */
export function checkParsedSize(data: unknown, edgeCount: number): WorkflowIssue[] {
  const config = isRecord(data) ? data.config : undefined;
  const nodes = isRecord(config) ? Object.keys(config).length : 0;
  if (nodes > WORKFLOW_LIMITS.nodes) return [tooLarge("nodes", nodes, "config")];
  if (edgeCount > WORKFLOW_LIMITS.edges) return [tooLarge("edges", edgeCount, "flow")];
  if (config !== undefined) {
    let bytes = 0;
    try {
      bytes = encoder.encode(JSON.stringify(config)).length;
    } catch {
      return []; // not JSON data: the schema check says why
    }
    if (bytes > WORKFLOW_LIMITS.config_bytes) return [tooLarge("config_bytes", bytes, "config")];
  }
  return [];
}

function tooLarge(limit: WorkflowLimit, actual: number, where: string): WorkflowIssue {
  const max = WORKFLOW_LIMITS[limit];
  const what = limit === "nodes" ? "nodes" : limit === "edges" ? "edges" : "bytes";
  return {
    code: "workflow_too_large",
    message: `the workflow has ${actual} ${what} in ${where}; the limit is ${max} (${limit})`,
    hint:
      limit === "nodes" || limit === "edges"
        ? "split it into smaller workflows, or do repeated work in one node (a code node's loop, a data component over a list)"
        : "keep large data out of the workflow: pass it as the run's input or fetch it in a node",
  };
}
