/**
 * The executor's request bodies and the answers the CLI reads, each defined once (issue 9
 * item 4). The run shapes live in run/schema.ts, the credential ones in credentials/api.ts,
 * the error body and workflow issue in errors.ts. The executor validates bodies with these;
 * `acr` parses answers with them.
 */
import { z } from "./schema";

/** A JSON object (not an array, not null), its keys unchecked. */
const JsonObject = z.looseObject({});

/** `POST /execute`: a workflow (YAML text, or the parsed document) and the trigger input. */
export const ExecuteRequestSchema = z.looseObject({
  workflow: z.union([z.string(), JsonObject]),
  input: z.unknown().optional(),
});
export type ExecuteRequest = z.infer<typeof ExecuteRequestSchema>;

/** `POST /runs/:id/rerun`: from the start or from a node, on the run's recorded version or the current one. */
export const RerunRequestSchema = z.strictObject({
  from: z.string().min(1).optional(),
  version: z.enum(["pinned", "current"]).default("pinned"),
});
export type RerunRequest = z.infer<typeof RerunRequestSchema>;

/** `POST /workflows` as JSON (a YAML body needs no schema: it is the workflow). */
export const WorkflowPostSchema = z.looseObject({ yaml: z.string() });
export type WorkflowPost = z.infer<typeof WorkflowPostSchema>;

/** `PUT /components/:name`: the contract (contract.yaml as JSON, checked by parseContract) and the module, standard base64. */
export const ComponentPublishSchema = z.looseObject({ contract: JsonObject, wasm: z.string() });
export type ComponentPublish = z.infer<typeof ComponentPublishSchema>;

/** `POST /workflows` (201 or 200): where the stored workflow can be triggered. */
export const WorkflowLinksSchema = z.object({ name: z.string(), webhook_url: z.string(), query_url: z.string() });
export type WorkflowLinks = z.infer<typeof WorkflowLinksSchema>;

/** One entry of `GET /workflows`. */
export const WorkflowSummarySchema = WorkflowLinksSchema.extend({
  hash: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  description: z.string().optional(),
});
export const WorkflowListSchema = z.object({ workflows: z.array(WorkflowSummarySchema) });
export type WorkflowSummary = z.infer<typeof WorkflowSummarySchema>;

/** `PUT /components/:name` (201 or 200). */
export const ComponentPublishedSchema = z.object({
  name: z.string(),
  version: z.string(),
  bytes: z.number(),
  sha256: z.string(),
  source: z.literal("r2"),
});
export type ComponentPublished = z.infer<typeof ComponentPublishedSchema>;
