/**
 * The executor's look-ups (the `Resolver` entrypoint, reached only over a service binding): an
 * API key or a tenant id → the tenant with its Cloudflare token and data key opened. Nothing here
 * is served over HTTP.
 */
import type { ResolvedTenant } from "@arcrun/core/tenants/index";
import type { Env } from "./env";
import { open, sealingKey } from "./seal";
import { AccountStore, type TenantRecord } from "./store";

export async function resolveKey(env: Env, apiKey: string): Promise<ResolvedTenant | null> {
  if (typeof apiKey !== "string") return null;
  const found = await new AccountStore(env.ACCOUNTS_KV).byKey(apiKey);
  return found ? opened(env, found.tenant) : null;
}

export async function resolveTenant(env: Env, tenantId: string): Promise<ResolvedTenant | null> {
  if (typeof tenantId !== "string" || !/^t_[0-9a-f]{20}$/.test(tenantId)) return null;
  const tenant = await new AccountStore(env.ACCOUNTS_KV).tenant(tenantId);
  return tenant ? opened(env, tenant) : null;
}

async function opened(env: Env, tenant: TenantRecord): Promise<ResolvedTenant> {
  const key = await sealingKey(env);
  return {
    tenant_id: tenant.tenant_id,
    account_id: tenant.account_id,
    kv_namespace_id: tenant.kv_namespace_id,
    cf_token: await open(key, tenant.tenant_id, "token", tenant.token),
    data_key: await open(key, tenant.tenant_id, "data_key", tenant.data_key),
  };
}
