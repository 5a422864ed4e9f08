/**
 * The executor's `TenantAdmin` entrypoint: the auth Worker's way in (its service binding
 * EXECUTOR), served on no public route. `POST /purge/{tenant_id}` removes everything the tenant
 * stored here (the auth Worker's DELETE /tenant): KV keys, R2 objects, runs, claims.
 */
import { apiErrorBody, TENANT_ID } from "@arcrun/core";
import { CRON_TENANTS, forgetScope, kvPrefix, r2Prefix, TOKEN_INDEX } from "../bindings/tenant-scope";
import { ensureMigrated } from "../bindings/migrations";
import type { Env } from "../env";

export const tenantAdmin = {
  async fetch(request: Request, env: Env): Promise<Response> {
    const id = /^\/purge\/([^/]+)$/.exec(new URL(request.url).pathname)?.[1] ?? "";
    if (request.method !== "POST" || !TENANT_ID.test(id)) {
      return Response.json(apiErrorBody("not_found", "TenantAdmin serves POST /purge/:tenant_id only."), { status: 404 });
    }
    return Response.json({ tenant_id: id, ...(await purgeTenant(env, id)) });
  },
};

/** Every stored key and object of a tenant, removed (DELETE /tenant on the auth Worker, through TenantAdmin). */
async function purgeTenant(env: Env, tenantId: string): Promise<{ kv: number; r2: number; runs: number }> {
  const prefix = kvPrefix(tenantId);
  let kv = 0;
  let cursor: string | undefined;
  do {
    const page = await env.WEBHOOKS.list({ prefix, cursor });
    for (const key of page.keys) {
      const name = key.name.slice(prefix.length);
      if (name.startsWith("token:")) await env.WEBHOOKS.delete(TOKEN_INDEX + name.slice("token:".length));
      await env.WEBHOOKS.delete(key.name);
      kv++;
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  await env.WEBHOOKS.delete(CRON_TENANTS + tenantId);
  let r2 = 0;
  if (env.WASM_BUCKET) {
    let r2cursor: string | undefined;
    do {
      const page = await env.WASM_BUCKET.list({ prefix: r2Prefix(tenantId), cursor: r2cursor });
      if (page.objects.length) await env.WASM_BUCKET.delete(page.objects.map((o) => o.key));
      r2 += page.objects.length;
      r2cursor = page.truncated ? page.cursor : undefined;
    } while (r2cursor);
  }
  await ensureMigrated(env.ARCRUN_DB);
  const [, deleted] = await env.ARCRUN_DB.batch([
    env.ARCRUN_DB.prepare("DELETE FROM node_traces WHERE run_id IN (SELECT run_id FROM runs WHERE tenant_id = ?)").bind(tenantId),
    env.ARCRUN_DB.prepare("DELETE FROM runs WHERE tenant_id = ?").bind(tenantId),
    env.ARCRUN_DB.prepare("DELETE FROM claims WHERE key LIKE ? ESCAPE '\\'").bind(`${tenantId.replace(/[\\%_]/g, (c) => `\\${c}`)}:%`),
  ]);
  forgetScope(tenantId);
  return { kv, r2, runs: deleted.meta.changes ?? 0 };
}
