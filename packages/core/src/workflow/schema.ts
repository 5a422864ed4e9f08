/**
 * The workflow file format (DESIGN § Workflow file), defined once.
 * TypeScript types are inferred from it; `workflowJsonSchema()` publishes it for editors.
 */
import { z } from "../schema";
import { MAX_CPU_MS } from "../run/limits";

export const NODE_NAME = /^[a-z_][a-z0-9_]*$/;
export const WORKFLOW_NAME = /^[a-z0-9_]+$/;

export const LimitsSchema = z
  .object({
    timeout_ms: z.number().int().positive().max(15 * 60_000).optional(),
    cpu_ms: z.number().int().positive().max(MAX_CPU_MS).optional(),
    max_output_bytes: z.number().int().positive().optional(),
    retries: z.number().int().min(0).max(10).optional(),
    backoff_ms: z.number().int().min(0).max(60_000).optional(),
    memory_pages: z.number().int().positive().max(65536).optional(),
  })
  .strict();

export const TriggerSchema = z.union([
  z.enum(["webhook", "manual", "query"]),
  z.object({ cron: z.string().min(1) }).strict(),
  z.object({ webhook: z.object({ secret: z.string().optional() }).strict().nullable() }).strict(),
]);

/** A node: `component` plus parameters (every other key), plus optional `limits` and `egress`. */
export const NodeConfigSchema = z
  .object({
    component: z.string().min(1),
    limits: LimitsSchema.optional(),
    egress: z.array(z.string().min(1)).optional(),
  })
  .catchall(z.unknown());

export const WorkflowSchema = z
  .object({
    name: z.string().regex(WORKFLOW_NAME, "use lowercase letters, digits and _"),
    description: z.string().optional(),
    triggers: z.array(TriggerSchema).optional(),
    flow: z.array(z.string().min(1)).min(1),
    config: z.record(z.string(), NodeConfigSchema),
    egress: z.array(z.string().min(1)).optional(),
  })
  .strict();

export type WorkflowFile = z.infer<typeof WorkflowSchema>;
export type NodeConfig = z.infer<typeof NodeConfigSchema>;
export type Limits = z.infer<typeof LimitsSchema>;
export type Trigger = z.infer<typeof TriggerSchema>;

/** Keys of a node config that are not parameters. */
export const NODE_META_KEYS = new Set(["component", "limits", "egress"]);

export function nodeParams(config: NodeConfig): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) if (!NODE_META_KEYS.has(key)) params[key] = value;
  return params;
}

export function workflowJsonSchema() {
  return z.toJSONSchema(WorkflowSchema, { io: "input", unrepresentable: "any" });
}

export const BASE_RELATIONS = ["ON_SUCCESS", "ON_FAILURE", "ALWAYS"] as const;
export type BaseRelation = (typeof BASE_RELATIONS)[number];

/** One edge of the graph, with where it was written. */
export interface Edge {
  from: string;
  relation: string;
  to: string;
  line?: number;
  column?: number;
}

/** A workflow after parsing and checks: what the scheduler runs. */
export interface CompiledWorkflow {
  name: string;
  description?: string;
  triggers: Trigger[];
  /** node name → config; does not contain `input` */
  nodes: Record<string, NodeConfig>;
  edges: Edge[];
  egress: string[];
  /** content hash of the source (sha-256 hex) — the version a run records */
  hash: string;
  /** the source text as given (YAML) */
  source: string;
}
