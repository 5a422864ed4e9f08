/**
 * Who is calling, and whose data a request sees. Single-tenant (the default): the executor's one
 * API key (auth.ts), unchanged. MULTI_TENANT=true (a shared deployment, packages/auth):
 *
 * - every call but `GET /health` and a webhook URL needs a tenant's API key, in
 *   `X-Arcrun-API-Key` or `Authorization: Bearer`; the auth Worker resolves it over the service
 *   binding `AUTH` (its `Resolver` entrypoint), and a webhook URL's token finds its tenant through
 *   the unscoped token index (bindings/tenant-scope.ts);
 * - the request's `env` becomes that tenant's view of the bindings (`scopeEnv`), so the routes
 *   below see only the tenant's workflows, runs, recipes, components and credentials;
 * - a resolved tenant is cached per isolate for at most 60 s (ARCRUN_TENANT_CACHE_MS may make it
 *   shorter, never longer): a revoked key or a deleted tenant stops working within that time.
 *   Refusals are never cached, so a new key works at once.
 */
import type { Context, MiddlewareHandler, Next } from "hono";
import { arcrunError, sha256Hex, type ResolvedTenant } from "@arcrun/core";
import { isPublic, requireApiKey } from "../auth";
import { scopeEnv, tenantOfToken } from "../bindings/tenant-scope";
import type { AppEnv, Env } from "../env";

/** The longest a resolved tenant is kept (the documented revocation bound). */
export const TENANT_CACHE_MAX_MS = 60_000;

export const isMultiTenant = (env: Env) => env.MULTI_TENANT === "true";

export const authenticate: MiddlewareHandler<AppEnv> = (c, next) => (isMultiTenant(c.env) ? tenantAuth(c, next) : requireApiKey(c, next));

const KEY_HINT = "Send your arcrun API key as `X-Arcrun-API-Key: arc_…` (or `Authorization: Bearer arc_…`); `acr init --standard` wrote it into your config.";

async function tenantAuth(c: Context<AppEnv>, next: Next): Promise<Response | void> {
  if (c.req.method === "GET" && c.req.path === "/health") return next();
  let tenant: ResolvedTenant | null;
  if (isPublic(c.req.method, c.req.path)) {
    // a webhook URL: the token is the secret, and the unscoped index names its tenant
    const token = c.req.path.split("/")[2] ?? "";
    const tenantId = /^[0-9a-f]{32,128}$/.test(token) ? await tenantOfToken(c.env.WEBHOOKS, token) : null;
    tenant = tenantId ? await resolveTenantCached(c.env, tenantId) : null;
    if (!tenant) throw arcrunError("webhook_not_found", "No workflow has this webhook URL.", { hint: "The webhook URL may be mistyped or the workflow deleted." });
  } else {
    const key = apiKeyOf(c.req.raw.headers);
    if (!key) throw arcrunError("unauthorized", "This endpoint needs your arcrun API key.", { hint: KEY_HINT });
    tenant = await resolveKeyCached(c.env, key);
    if (!tenant) throw arcrunError("unauthorized", "The API key is unknown or revoked.", { hint: KEY_HINT });
  }
  c.env = scopeEnv(c.env, tenant);
  return next();
}

export function apiKeyOf(headers: Headers): string | undefined {
  const direct = headers.get("x-arcrun-api-key")?.trim();
  if (direct) return direct;
  return /^Bearer\s+(.+)$/i.exec(headers.get("authorization")?.trim() ?? "")?.[1];
}

/** Resolved tenants of this isolate: `k:{sha256(key)}` or `t:{tenant_id}` → tenant and expiry. */
const cache = new Map<string, { tenant: ResolvedTenant; until: number }>();

export function tenantCacheMs(env: Env): number {
  const ms = Number(env.ARCRUN_TENANT_CACHE_MS);
  return env.ARCRUN_TENANT_CACHE_MS !== undefined && Number.isFinite(ms) && ms >= 0 ? Math.min(ms, TENANT_CACHE_MAX_MS) : TENANT_CACHE_MAX_MS;
}

function resolver(env: Env) {
  if (!env.AUTH) {
    throw arcrunError("not_configured", "MULTI_TENANT is on but the executor has no AUTH service binding, so it cannot check API keys.", {
      hint: 'Bind the auth Worker: wrangler.jsonc `services: [{binding: "AUTH", service: "arcrun-auth", entrypoint: "Resolver"}]`.',
    });
  }
  return env.AUTH;
}

async function cached(env: Env, id: string, look: () => Promise<ResolvedTenant | null>): Promise<ResolvedTenant | null> {
  const now = Date.now();
  const hit = cache.get(id);
  if (hit && hit.until > now) return hit.tenant;
  cache.delete(id);
  const tenant = await look();
  const ttl = tenantCacheMs(env);
  if (tenant && ttl > 0) {
    if (cache.size > 10_000) cache.clear();
    cache.set(id, { tenant, until: now + ttl });
  }
  return tenant;
}

export async function resolveKeyCached(env: Env, key: string): Promise<ResolvedTenant | null> {
  if (!key.startsWith("arc_") || key.length > 200) return null;
  const auth = resolver(env);
  return cached(env, `k:${await sha256Hex(key)}`, () => auth.resolveKey(key));
}

export async function resolveTenantCached(env: Env, tenantId: string): Promise<ResolvedTenant | null> {
  const auth = resolver(env);
  return cached(env, `t:${tenantId}`, () => auth.resolveTenant(tenantId));
}
