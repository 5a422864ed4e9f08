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
export const WorkflowLinksSchema = z.object({
  name: z.string(),
  webhook_url: z.string(),
  query_url: z.string(),
  /** the push answer only: each cron trigger's next three fire times */
  schedules: z
    .array(z.object({ trigger_index: z.number().int(), cron: z.string(), timezone: z.string(), next: z.array(z.string()), next_display: z.array(z.string()) }))
    .optional(),
});
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

/** One recipe as `GET /recipes` lists it: where it comes from and what it sends where (discloseRecipe). */
export const RecipeSummarySchema = z.object({
  name: z.string(),
  version: z.string(),
  description: z.string(),
  source: z.enum(["standard", "stored"]),
  hosts: z.array(z.string()),
  credentials: z.array(z.object({ key: z.string(), description: z.string() })),
  fields: z.array(z.string()),
  credential_choices: z.array(z.array(z.string())),
  hosts_from_egress: z.boolean(),
});
export type RecipeSummary = z.infer<typeof RecipeSummarySchema>;

/** `GET /recipes` */
export const RecipeListSchema = z.object({ recipes: z.array(RecipeSummarySchema) });
/** `GET /recipes/:name`: the summary and the YAML text */
export const RecipeDetailSchema = RecipeSummarySchema.extend({ yaml: z.string() });
/** `PUT /recipes/:name` (YAML body) → 201 created | 200 updated */
export const RecipePutResponseSchema = RecipeSummarySchema.extend({ status: z.enum(["created", "updated"]) });
/** `DELETE /recipes/:name` */
export const RecipeDeletedSchema = z.object({ name: z.string(), deleted: z.literal(true) });
/** `PUT /recipes/:name` as JSON (a YAML body needs no schema: it is the recipe). */
export const RecipePutSchema = z.looseObject({ yaml: z.string() });
