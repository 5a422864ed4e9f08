/**
 * Shared deployment (MULTI_TENANT=true): one tenant's view of the bindings. The tenant middleware
 * (middleware/tenant.ts) swaps the request's `env` for `scopeEnv(env, tenant)`, so every route and
 * service below it reads and writes only that tenant's data without knowing tenants exist:
 *
 *   WEBHOOKS        keys under `t:{tenant_id}:` (workflows, versions, webhook tokens, recipes, cron index)
 *   WASM_BUCKET     objects under `t/{tenant_id}/` (published components)
 *   ARCRUN_DB       D1RunStore filters and writes `tenant_id` (migration 0006); claims get a key prefix
 *   CREDENTIALS_KV  the tenant's own KV namespace on their Cloudflare account, read through the
 *                   Cloudflare REST API with their read-only token (writes refused: `acr creds push`
 *                   writes there with the tenant's own token)
 *   ARCRUN_ENCRYPTION_KEY  the tenant's data key (from the auth Worker), which opens those records
 *
 * Two unscoped indexes in WEBHOOKS let key-less entry points find their tenant:
 *   tenant_token:{token} → tenant_id   written beside every `token:` key (public webhook URLs)
 *   tenant_cron:{tenant_id} → "1"      written beside the tenant's `cron:index` (the scheduled handler)
 */
import { arcrunError, CloudflareApiError, cloudflareApi, EGRESS_ALLOW_HEADER, canonicalAddress, type ClaimStore, type ResolvedTenant } from "@arcrun/core";
import type { Env } from "../env";

export const TOKEN_INDEX = "tenant_token:";
export const CRON_TENANTS = "tenant_cron:";
export const kvPrefix = (tenantId: string) => `t:${tenantId}:`;
export const r2Prefix = (tenantId: string) => `t/${tenantId}/`;

type KvGetType = "text" | "json" | "arrayBuffer" | "stream";

/**
 * Per-isolate caches keyed by a name (compiled workflows, component manifests) must not hand one
 * tenant's entry to another: they key by `scopeOf(binding or resolver)` too — the tenant id of a
 * scoped binding, '' for an unscoped one (single-tenant mode).
 */
const scopeTags = new WeakMap<object, string>();
export const scopeOf = (thing: object | undefined): string => (thing && scopeTags.get(thing)) || "";
export function tagScope<T extends object>(thing: T, tenantId: string | undefined): T {
  if (tenantId) scopeTags.set(thing, tenantId);
  return thing;
}

/** The unscoped namespace the indexes live in (the same WEBHOOKS binding). */
export function tenantOfToken(kv: KVNamespace, token: string): Promise<string | null> {
  return kv.get(TOKEN_INDEX + token);
}

/** A KV namespace seen through a key prefix: names come back without it; `token:` and `cron:index` keys also keep the unscoped indexes. */
export function prefixedKv(kv: KVNamespace, tenantId: string): KVNamespace {
  const prefix = kvPrefix(tenantId);
  const scoped = {
    get: (key: string, type?: KvGetType | { type?: KvGetType }) => kv.get(prefix + key, type as never),
    getWithMetadata: (key: string, type?: KvGetType | { type?: KvGetType }) => kv.getWithMetadata(prefix + key, type as never),
    async put(key: string, value: string | ArrayBuffer | ReadableStream, options?: KVNamespacePutOptions) {
      await kv.put(prefix + key, value, options);
      if (key.startsWith("token:")) await kv.put(TOKEN_INDEX + key.slice("token:".length), tenantId);
      if (key === "cron:index") await kv.put(CRON_TENANTS + tenantId, "1");
    },
    async delete(key: string) {
      await kv.delete(prefix + key);
      if (key.startsWith("token:")) await kv.delete(TOKEN_INDEX + key.slice("token:".length));
    },
    async list(options: KVNamespaceListOptions = {}) {
      const page = await kv.list({ ...options, prefix: prefix + (options.prefix ?? "") });
      return { ...page, keys: page.keys.map((k) => ({ ...k, name: k.name.slice(prefix.length) })) };
    },
  };
  return tagScope(scoped as unknown as KVNamespace, tenantId);
}

/** An R2 bucket seen through a key prefix (the calls R2ComponentStore makes). */
export function prefixedBucket(bucket: R2Bucket, tenantId: string): R2Bucket {
  const prefix = r2Prefix(tenantId);
  // a plain copy: workerd's R2Object fields are getters on its prototype
  const strip = (o: R2Object): R2Object =>
    ({ key: o.key.slice(prefix.length), version: o.version, size: o.size, etag: o.etag, httpEtag: o.httpEtag, uploaded: o.uploaded, httpMetadata: o.httpMetadata, customMetadata: o.customMetadata, checksums: o.checksums, storageClass: o.storageClass }) as R2Object;
  const scoped = {
    get: (key: string, options?: R2GetOptions) => bucket.get(prefix + key, options),
    head: (key: string) => bucket.head(prefix + key),
    put: (key: string, value: Parameters<R2Bucket["put"]>[1], options?: R2PutOptions) => bucket.put(prefix + key, value, options),
    delete: (keys: string | string[]) => bucket.delete(Array.isArray(keys) ? keys.map((k) => prefix + k) : prefix + keys),
    async list(options: R2ListOptions = {}) {
      const page = await bucket.list({ ...options, prefix: prefix + (options.prefix ?? "") });
      return {
        ...page,
        objects: page.objects.map((o) => strip(o)),
        delimitedPrefixes: page.delimitedPrefixes.map((p) => p.slice(prefix.length)),
      };
    },
  };
  return tagScope(scoped as unknown as R2Bucket, tenantId);
}

/** Claims (idempotency keys, cron dedupe, replay guard) under a `{tenant_id}:` prefix: two tenants' equal keys never meet. */
export function tenantClaims(claims: ClaimStore & { sweep?: () => Promise<number> }, tenantId: string): ClaimStore & { sweep?: () => Promise<number> } {
  const prefix = `${tenantId}:`;
  return {
    claim: (key, runId, ttl) => claims.claim(prefix + key, runId, ttl),
    release: (key, runId) => claims.release(prefix + key, runId),
    ...(claims.sweep ? { sweep: () => claims.sweep!() } : {}),
  };
}

/**
 * The tenant's credentials namespace on their own account, read through the Cloudflare REST API
 * (core's cloudflareApi: envelope, pagination, 429/5xx backoff). A read the API cannot answer is
 * `credential_store_unavailable` (retryable); writes are `tenant_credentials_read_only`.
 */
export function tenantCredentialsKv(tenant: ResolvedTenant, baseUrl: string | undefined): KVNamespace {
  const api = cloudflareApi({ token: tenant.cf_token, baseUrl, headers: egressAllowance(baseUrl) });
  const { account_id: account, kv_namespace_id: ns } = tenant;
  const unavailable = (error: unknown): never => {
    const status = error instanceof CloudflareApiError ? error.status : 0;
    throw arcrunError("credential_store_unavailable", `Your credentials namespace could not be read through the Cloudflare API (${status ? `HTTP ${status}` : "no answer"}).`, {
      hint: status === 401 || status === 403 ? "The token registered with the auth Worker no longer reads the namespace: replace it with `PUT /token`." : "Try again shortly; the run may be retried.",
      details: { cloudflare_status: status },
    });
  };
  const readOnly = (): never => {
    throw arcrunError("tenant_credentials_read_only", "In a shared deployment the executor does not write credentials: they live in your own KV namespace.", {
      hint: "`acr creds push` seals them with your data key and writes them there with your own Cloudflare token.",
    });
  };
  const scoped = {
    async get(key: string, type?: KvGetType) {
      const text = await api.getValue(account, ns, key).catch(unavailable);
      return text !== null && type === "json" ? JSON.parse(text) : text;
    },
    async list(options: KVNamespaceListOptions = {}) {
      const page = await api.listKeys(account, ns, { prefix: options.prefix ?? undefined, cursor: options.cursor ?? undefined, limit: options.limit }).catch(unavailable);
      return { keys: page.names.map((name) => ({ name })), list_complete: !page.cursor, cursor: page.cursor ?? "", cacheStatus: null };
    },
    put: readOnly,
    delete: readOnly,
  };
  return scoped as unknown as KVNamespace;
}

/**
 * The operator's CLOUDFLARE_API_BASE_URL may be a local server (tests, offline demos): when its
 * host is a literal address, the executor's own API calls may reach it (§ Security defaults lets
 * an egress list name an address literally; this one is the operator's, never a workflow's).
 */
function egressAllowance(baseUrl: string | undefined): Record<string, string> {
  if (!baseUrl) return {};
  const address = canonicalAddress(new URL(baseUrl).hostname.replace(/^\[|\]$/g, ""));
  return address ? { [EGRESS_ALLOW_HEADER]: address } : {};
}

/** One tenant's bindings, built once per tenant and isolate (so per-isolate caches keyed by binding stay per tenant). */
const scopes = new Map<string, { env: Env; base: Env; tenant: ResolvedTenant }>();

/** Forgets a tenant's cached bindings (after a purge). */
export const forgetScope = (tenantId: string) => scopes.delete(tenantId);

export function scopeEnv(env: Env, tenant: ResolvedTenant): Env {
  const cached = scopes.get(tenant.tenant_id);
  if (cached && cached.base === env && sameTenant(cached.tenant, tenant)) return cached.env;
  const scoped: Env = {
    ...env,
    WEBHOOKS: prefixedKv(env.WEBHOOKS, tenant.tenant_id),
    WASM_BUCKET: env.WASM_BUCKET ? prefixedBucket(env.WASM_BUCKET, tenant.tenant_id) : undefined,
    CREDENTIALS_KV: tenantCredentialsKv(tenant, env.CLOUDFLARE_API_BASE_URL),
    ARCRUN_ENCRYPTION_KEY: tenant.data_key,
    ARCRUN_API_KEY: undefined,
    ARCRUN_TENANT_ID: tenant.tenant_id,
  };
  if (scopes.size > 1000) scopes.clear();
  scopes.set(tenant.tenant_id, { env: scoped, base: env, tenant });
  return scoped;
}

const sameTenant = (a: ResolvedTenant, b: ResolvedTenant) => a.cf_token === b.cf_token && a.data_key === b.data_key && a.kv_namespace_id === b.kv_namespace_id && a.account_id === b.account_id;
