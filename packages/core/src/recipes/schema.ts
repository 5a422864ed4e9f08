/**
 * The recipe file format (DESIGN § Recipes, issue 11), defined once: one third-party API call
 * as data. Types are inferred from it; `recipeJsonSchema()` publishes it for editors
 * (`recipes/recipe.schema.json`). Checks zod cannot express (URL template, hosts, template
 * references, the `inputs` schema) are in load.ts.
 *
 * Templates are `{{params.name}}` (the node's parameters, after `inputs` defaults) and, only
 * inside a URL path and only for an auth of kind `path`, `{{credential.key}}`.
 */
import { z } from "../schema";
import { COMPONENT_NAME, SEMVER } from "../components/contract-schema";

/** A path into a JSON body: `ok`, `result.message_id`, `items[0].id`, `["odd key"]`. */
const BodyPath = z.string().min(1);
const CredentialKey = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, "use letters, digits, _ and -, starting with a letter");
const Status = z.number().int().min(100).max(599);

/** Named, data-only helpers a value may use instead of a literal or template. */
export const RawMessageSchema = z
  .object({
    from: z.string().optional(),
    to: z.string(),
    cc: z.string().optional(),
    bcc: z.string().optional(),
    reply_to: z.string().optional(),
    subject: z.string(),
    text: z.string().optional(),
    html: z.string().optional(),
  })
  .strict();

export type TemplateValue =
  | string
  | number
  | boolean
  | null
  | TemplateValue[]
  | { $raw_message: z.infer<typeof RawMessageSchema> }
  | { $base64url: string }
  | { $base64: string }
  | { [key: string]: TemplateValue };

const NO_DOLLAR_KEYS = (value: Record<string, unknown>) => Object.keys(value).every((key) => !key.startsWith("$"));

/**
 * A value with templates: literals, `{{params.x}}`, lists and objects of those, or a helper:
 * `{$raw_message: {to, subject, text}}` (an RFC 5322 message, base64url), `{$base64url: text}`, `{$base64: text}`.
 */
export const TemplateValueSchema: z.ZodType<TemplateValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(TemplateValueSchema),
    z.object({ $raw_message: RawMessageSchema }).strict(),
    z.object({ $base64url: z.string() }).strict(),
    z.object({ $base64: z.string() }).strict(),
    z.record(z.string(), TemplateValueSchema).refine(NO_DOLLAR_KEYS, "keys starting with $ are helpers: $raw_message, $base64url or $base64"),
  ]),
);

const FilePartSchema = z
  .object({ value: TemplateValueSchema, filename: z.string().optional(), content_type: z.string().optional() })
  .strict();

export const BodySchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("json"), value: TemplateValueSchema }).strict(),
  z.object({ kind: z.literal("form"), fields: z.record(z.string(), TemplateValueSchema) }).strict(),
  z.object({ kind: z.literal("multipart"), parts: z.record(z.string(), z.union([FilePartSchema, TemplateValueSchema])) }).strict(),
  z.object({ kind: z.literal("raw"), content_type: z.string().min(1), value: TemplateValueSchema }).strict(),
]);

export const RequestSchema = z
  .object({
    method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]),
    /** `https://literal.host/path/{{params.id}}`; a path (`/messages`) when an auth of kind `url` gives the base */
    url: z.string(),
    query: z.record(z.string(), TemplateValueSchema).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    body: BodySchema.optional(),
  })
  .strict();

const Placement = {
  bearer: z.object({ kind: z.literal("bearer"), credential: CredentialKey }).strict(),
  header: z.object({ kind: z.literal("header"), credential: CredentialKey, name: z.string().min(1), prefix: z.string().optional() }).strict(),
  query: z.object({ kind: z.literal("query"), credential: CredentialKey, name: z.string().min(1) }).strict(),
  /** the URL template writes `{{credential.KEY}}` in its path, e.g. Telegram's `/bot{{credential.bot_token}}/` */
  path: z.object({ kind: z.literal("path"), credential: CredentialKey }).strict(),
  basic: z.object({ kind: z.literal("basic"), username: CredentialKey, password: CredentialKey.optional() }).strict(),
  /** the credential is the base URL (a Discord webhook URL); its host must be declared */
  url: z.object({ kind: z.literal("url"), credential: CredentialKey }).strict(),
  /** the credential is JSON `{client_id, client_secret, refresh_token}`; the access token goes in as a bearer */
  oauth2_refresh: z
    .object({ kind: z.literal("oauth2_refresh"), credential: CredentialKey, token_url: z.url(), scope: z.string().optional() })
    .strict(),
  /** the credential is a Google service-account key (JSON with client_email, private_key); an RS256 JWT is exchanged for an access token */
  google_service_account: z
    .object({
      kind: z.literal("google_service_account"),
      credential: CredentialKey,
      scopes: z.array(z.string().min(1)).min(1),
      token_url: z.url().default("https://oauth2.googleapis.com/token"),
    })
    .strict(),
};

export const AuthPlacementSchema = z.discriminatedUnion("kind", [
  Placement.bearer, Placement.header, Placement.query, Placement.path, Placement.basic,
  Placement.url, Placement.oauth2_refresh, Placement.google_service_account,
]);

/** The first option whose credentials are all stored is used (service account or OAuth 2). */
export const AuthChoiceSchema = z.object({ kind: z.literal("one_of"), options: z.array(AuthPlacementSchema).min(2) }).strict();

export const AuthSchema = z.discriminatedUnion("kind", [
  Placement.bearer, Placement.header, Placement.query, Placement.path, Placement.basic,
  Placement.url, Placement.oauth2_refresh, Placement.google_service_account, AuthChoiceSchema,
]);

export const ResponseSchema = z
  .object({
    /** json (default): a body that is not JSON is a failure; text: the body as a string */
    format: z.enum(["json", "text"]).default("json"),
    success: z
      .object({
        status: z.union([z.literal("2xx"), z.array(Status).min(1)]).default("2xx"),
        /** and this body field must equal this value, e.g. {path: ok, equals: true} */
        field: z.object({ path: BodyPath, equals: z.union([z.string(), z.number(), z.boolean(), z.null()]) }).strict().optional(),
      })
      .strict()
      .default({ status: "2xx" }),
    /** what the node returns: a path into the body; the whole body when absent */
    output: BodyPath.optional(),
    /** where the provider's message is on failure, e.g. description, error.message */
    error_message: BodyPath.optional(),
    /** where the provider's own error code is, e.g. error, error.code */
    error_code: BodyPath.optional(),
  })
  .strict();

export const RetrySchema = z
  .object({
    statuses: z.array(Status).default([429, 500, 502, 503, 504]),
    /** attempts in all, the first included */
    max_attempts: z.number().int().min(1).max(6).default(3),
    /** first wait when the provider names none; doubles each time */
    backoff_ms: z.number().int().min(0).max(60_000).default(500),
    /** a longer Retry-After than this fails the node (retryable) instead of waiting */
    max_wait_ms: z.number().int().min(0).max(300_000).default(30_000),
    /** seconds to wait, read from the body when the provider puts it there (Discord's retry_after) */
    retry_after_path: BodyPath.optional(),
  })
  .strict();

const PageCap = z.number().int().min(1).max(100).default(10);

export const PaginationSchema = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("cursor"),
      /** where the next cursor is in a page; empty or absent ends the pages */
      cursor_path: BodyPath,
      /** the parameter that carries it in the next request */
      param: z.string().min(1),
      in: z.enum(["query", "body"]).default("query"),
      /** where a page's list is; the body itself when absent */
      items_path: BodyPath.optional(),
      max_pages: PageCap,
    })
    .strict(),
  z
    .object({
      kind: z.literal("next_link"),
      /** the Link header's rel="next" (GitHub), or a body field holding the next URL */
      from: z.enum(["link_header", "body"]),
      next_path: BodyPath.optional(),
      /** where a page's list is; the body itself when absent (GitHub) */
      items_path: BodyPath.optional(),
      max_pages: PageCap,
    })
    .strict(),
]);

export const RecipeSchema = z
  .object({
    name: z.string().regex(COMPONENT_NAME, "use lowercase letters, digits and _, starting with a letter"),
    version: z.string().regex(SEMVER, "use semantic versioning, e.g. 1.0.0"),
    description: z.string().min(1),
    /** the only hosts this recipe calls (plus the node's and workflow's `egress`) */
    hosts: z.array(z.string().min(1)),
    credentials: z.array(z.object({ key: CredentialKey, description: z.string().min(1) }).strict()).default([]),
    /** JSON Schema of the node's parameters (type: object) */
    inputs: z.record(z.string(), z.unknown()),
    request: RequestSchema,
    auth: AuthSchema.optional(),
    response: ResponseSchema.default({ format: "json", success: { status: "2xx" } }),
    retry: RetrySchema.default({ statuses: [429, 500, 502, 503, 504], max_attempts: 3, backoff_ms: 500, max_wait_ms: 30_000 }),
    pagination: PaginationSchema.optional(),
    /** a node using this recipe, as it would sit under `config:` in a workflow */
    config_example: z.record(z.string(), z.unknown()),
    /** responses larger than this fail the node */
    max_response_bytes: z.number().int().positive().max(16 * 1024 * 1024).default(1024 * 1024),
  })
  .strict();

export type Recipe = z.infer<typeof RecipeSchema>;
export type RecipeInput = z.input<typeof RecipeSchema>;
export type RecipeRequest = Recipe["request"];
export type RecipeBody = z.infer<typeof BodySchema>;
export type AuthPlacement = z.infer<typeof AuthPlacementSchema>;
export type RecipeAuth = z.infer<typeof AuthSchema>;
export type RecipeResponse = Recipe["response"];
export type RecipeRetry = Recipe["retry"];
export type RecipePagination = z.infer<typeof PaginationSchema>;
export type RawMessage = z.infer<typeof RawMessageSchema>;

/** The recipe format as JSON Schema, for editors (published as recipes/recipe.schema.json). */
export function recipeJsonSchema() {
  return z.toJSONSchema(RecipeSchema, { io: "input", unrepresentable: "any" });
}
