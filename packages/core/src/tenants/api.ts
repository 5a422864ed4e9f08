/**
 * The shared deployment's shapes (issue 15; DESIGN § Wave 2 decisions, "Standard mode"): what
 * the auth Worker accepts and answers, and what it hands the executor over the service binding.
 * Defined once here; packages/auth validates with them, the executor and `acr` read them.
 */
import { z } from "../schema";

/** A Cloudflare account id and a KV namespace id: 32 lowercase hex characters. */
export const CLOUDFLARE_ID = /^[0-9a-f]{32}$/;

/** Body fields that would carry a Cloudflare token: refused (the token goes in `CF-Api-Token` only). */
export const TOKEN_BODY_FIELDS = ["token", "api_token", "cf_api_token", "cloudflare_token", "cf_token", "cf-api-token"] as const;

/** The header the Cloudflare token travels in (never a body, never a log). */
export const CF_TOKEN_HEADER = "CF-Api-Token";

/** `POST /register`: who and where their credentials live (the token travels in the header). */
export const RegisterRequestSchema = z.strictObject({
  email: z.email(),
  account_id: z.string().regex(CLOUDFLARE_ID, "a Cloudflare account id is 32 lowercase hex characters"),
  kv_namespace_id: z.string().regex(CLOUDFLARE_ID, "a KV namespace id is 32 lowercase hex characters"),
});
export type RegisterRequest = z.infer<typeof RegisterRequestSchema>;

/** `POST /register` (201), answered once: neither key is ever shown again. */
export const RegisterResponseSchema = z.object({
  tenant_id: z.string(),
  /** `arc_` + 256 random bits (base64url); stored only as a SHA-256 hash */
  api_key: z.string().startsWith("arc_"),
  key_id: z.string(),
  /** 32 random bytes, base64: seals the tenant's credentials (`acr creds push`) */
  data_key: z.string(),
});
export type RegisterResponse = z.infer<typeof RegisterResponseSchema>;

/** `POST /keys` (201): another API key, shown once. */
export const KeyCreatedSchema = z.object({ key_id: z.string(), api_key: z.string().startsWith("arc_"), created_at: z.string() });
export type KeyCreated = z.infer<typeof KeyCreatedSchema>;

/** One key in `GET /keys`: never the key itself. */
export const KeySummarySchema = z.object({ key_id: z.string(), created_at: z.string(), last_used_at: z.string().nullable() });
export type KeySummary = z.infer<typeof KeySummarySchema>;
export const KeyListSchema = z.object({ tenant_id: z.string(), keys: z.array(KeySummarySchema) });
export type KeyList = z.infer<typeof KeyListSchema>;

/** `POST /keys` takes no fields (an empty body or `{}`). */
export const KeyCreateRequestSchema = z.strictObject({});

/** `PUT /token`: no body fields; the new token travels in `CF-Api-Token`. */
export const TokenReplaceRequestSchema = z.strictObject({});

/**
 * What the auth Worker hands the executor for a key or a tenant id (the service binding's
 * `Resolver` entrypoint only; never over HTTP): the tenant's KV token and data key, opened.
 * The executor keeps it in memory for at most 60 s and never stores it.
 */
export const ResolvedTenantSchema = z.object({
  tenant_id: z.string(),
  account_id: z.string(),
  kv_namespace_id: z.string(),
  cf_token: z.string(),
  data_key: z.string(),
});
export type ResolvedTenant = z.infer<typeof ResolvedTenantSchema>;

/** The service binding the executor calls (the auth Worker's `Resolver` entrypoint). */
export interface TenantResolver {
  /** the tenant an API key belongs to, or null (unknown, revoked, tenant deleted) */
  resolveKey(apiKey: string): Promise<ResolvedTenant | null>;
  /** a tenant by id (webhook tokens and cron runs carry no key), or null */
  resolveTenant(tenantId: string): Promise<ResolvedTenant | null>;
}

/** A tenant id: `t_` + 20 hex characters (80 random bits; not a secret, never a key). */
export const TENANT_ID = /^t_[0-9a-f]{20}$/;
