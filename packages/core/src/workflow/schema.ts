/**
 * The workflow file format (DESIGN § Workflow file), defined once.
 * TypeScript types are inferred from it; `workflowJsonSchema()` publishes it for editors.
 */
import { setOwn } from "../json/own";
import { z } from "../schema";
import { SIGNATURE_SCHEMES } from "../triggers/signature";
import { MAX_CPU_MS } from "../run/limits";
import { AI_PROVIDERS } from "../ai/types";

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

/** `verify` of a webhook trigger (checked by triggers/signature.ts; cross-field rules in check-triggers.ts). */
export const WebhookVerifySchema = z
  .object({
    scheme: z.enum(SIGNATURE_SCHEMES),
    /** credential name of the signing secret */
    secret: z.string().min(1),
    header: z.string().min(1).optional(),
    timestamp_header: z.string().min(1).optional(),
    tolerance_s: z.number().int().positive().max(86_400).optional(),
  })
  .strict();

/** `{cron: "*\/15 * * * *", timezone?: "Europe/Berlin", input?: {...}}` (expression and zone checked by check-triggers.ts) */
export const CronTriggerSchema = z.object({ cron: z.string().min(1), timezone: z.string().min(1).optional(), input: z.unknown().optional() }).strict();
export const WebhookTriggerSchema = z
  .object({ webhook: z.object({ secret: z.string().optional(), verify: WebhookVerifySchema.optional() }).strict().nullable() })
  .strict();

export const TriggerSchema = z.union([z.enum(["webhook", "manual", "query"]), CronTriggerSchema, WebhookTriggerSchema]);
export const RECORD_MODES = ["all", "failures", "none"] as const;

/** `ai: {provider, model, base_url, api_key}`: defaults for the AI nodes' parameters (builtins/ai.ts). */
export const AiDefaultsSchema = z
  .object({
    provider: z.enum(AI_PROVIDERS),
    model: z.string().min(1).optional(),
    base_url: z.string().url().optional(),
    /** a template such as "{{credential.openai}}" */
    api_key: z.string().min(1).optional(),
  })
  .strict();

/** A node: `component` plus parameters (every other key), plus optional `limits`, `egress` and `credentials`. */
export const NodeConfigSchema = z
  .object({
    component: z.string().min(1),
    limits: LimitsSchema.optional(),
    egress: z.array(z.string().min(1)).optional(),
    /** a recipe's credential keys mapped to other stored names, e.g. `{telegram_bot_token: my_other_bot}` */
    credentials: z.record(z.string(), z.string().regex(/^[A-Za-z0-9_.-]+$/, "use letters, digits, _ . -")).optional(),
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
    /** template over the payload, e.g. "{{input.event_id}}" (triggers/idempotency.ts) */
    idempotency_key: z.string().min(1).optional(),
    retention_days: z.number().int().positive().max(3650).optional(),
    /** workflow to run when a run of this one fails */
    on_error: z.string().regex(WORKFLOW_NAME, "use lowercase letters, digits and _").optional(),
    record: z.enum(RECORD_MODES).optional(),
    /** node outputs larger than this (JSON bytes, default 64 KiB) are stored in R2 and traced by reference */
    max_trace_bytes: z.number().int().min(1024).max(16 * 1024 * 1024).optional(),
    ai: AiDefaultsSchema.optional(),
  })
  .strict();

export type WorkflowFile = z.infer<typeof WorkflowSchema>;
export type NodeConfig = z.infer<typeof NodeConfigSchema>;
export type Limits = z.infer<typeof LimitsSchema>;
export type Trigger = z.infer<typeof TriggerSchema>;
export type WebhookVerifyConfig = z.infer<typeof WebhookVerifySchema>;
export type RecordMode = (typeof RECORD_MODES)[number];
export type AiDefaults = z.infer<typeof AiDefaultsSchema>;

/** Keys of a node config that are not parameters. */
export const NODE_META_KEYS = new Set(["component", "limits", "egress", "credentials"]);

export function nodeParams(config: NodeConfig): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) if (!NODE_META_KEYS.has(key)) setOwn(params, key, value);
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
  /** workflow-level run settings, as written (semantics: issue 13) */
  idempotency_key?: string;
  retention_days?: number;
  on_error?: string;
  record?: RecordMode;
  /** node outputs over this many JSON bytes are traced by reference (default 64 KiB) */
  max_trace_bytes?: number;
  /** defaults for the AI nodes (`ai:` at the top of the file) */
  ai?: AiDefaults;
  /** content hash of the source (sha-256 hex) — the version a run records */
  hash: string;
  /** the source text as given (YAML) */
  source: string;
}
