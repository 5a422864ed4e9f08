/**
 * The scheduled handler in a shared deployment: every tenant with a cron index (the unscoped
 * `tenant_cron:{tenant_id}` markers, bindings/tenant-scope.ts) gets its own tick over its own
 * scoped bindings. A tenant the auth Worker no longer knows is skipped and its marker dropped;
 * one tenant's failure never stops another's.
 */
import { CRON_TENANTS, scopeEnv } from "../bindings/tenant-scope";
import type { Env } from "../env";
import { resolveTenantCached } from "../middleware/tenant";

export async function tenantsWithCron(env: Env, tick: (scoped: Env) => Promise<unknown>): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await env.WEBHOOKS.list({ prefix: CRON_TENANTS, cursor });
    for (const key of page.keys) {
      const tenantId = key.name.slice(CRON_TENANTS.length);
      try {
        const tenant = await resolveTenantCached(env, tenantId);
        if (!tenant) {
          await env.WEBHOOKS.delete(key.name);
          continue;
        }
        await tick(scopeEnv(env, tenant));
      } catch (error) {
        console.error(`scheduled tick of tenant ${tenantId} failed:`, error instanceof Error ? error.message : "unknown");
      }
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
}
