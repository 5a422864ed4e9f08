/**
 * The one run shape (issue 2 § One run shape), returned by POST /execute, /q, the named
 * query webhook, GET /runs/:id and `acr run --json`.
 */
import { z } from "../schema";

export const NodeErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});

export const NodeStatusSchema = z.enum(["succeeded", "failed", "skipped"]);
export const RunStatusSchema = z.enum(["running", "succeeded", "failed"]);

export const NodeTraceSchema = z.object({
  node: z.string(),
  component: z.string(),
  status: NodeStatusSchema,
  input: z.unknown().nullable(),
  output: z.unknown().nullable(),
  error: NodeErrorSchema.nullable(),
  attempts: z.number().int().min(0),
  duration_ms: z.number().min(0),
  /** branch label emitted by a logic node */
  branch: z.string().optional(),
  logs: z.array(z.string()).optional(),
});

export const RunRecordSchema = z.object({
  run_id: z.string(),
  workflow: z.string(),
  workflow_hash: z.string().optional(),
  status: RunStatusSchema,
  result: z.unknown().nullable(),
  error: NodeErrorSchema.extend({ node: z.string().optional() }).optional(),
  started_at: z.string(),
  duration_ms: z.number().min(0),
  trigger: z.string().optional(),
  nodes: z.array(NodeTraceSchema),
});

export type NodeTrace = z.infer<typeof NodeTraceSchema>;
export type RunRecord = z.infer<typeof RunRecordSchema>;
export type RunStatus = z.infer<typeof RunStatusSchema>;
export type NodeStatus = z.infer<typeof NodeStatusSchema>;
