/**
 * What a tenant does with its own API key (caller.ts):
 *   GET    /keys       {tenant_id, keys: [{key_id, created_at, last_used_at}]} — never a key
 *   POST   /keys       201 {key_id, api_key, created_at} — shown once
 *   DELETE /keys/:id   {key_id, revoked: true}; the executor stops taking it within its cache bound (≤ 60 s)
 *   PUT    /token      the new Cloudflare token in CF-Api-Token, checked like at registration
 *   DELETE /tenant     {tenant_id, deleted: true}: the tenant, its keys, and what the executor stored
 */
import { Hono } from "hono";
import { arcrunError } from "@arcrun/core/errors";
import { CF_TOKEN_HEADER, KeyCreateRequestSchema, TokenReplaceRequestSchema } from "@arcrun/core/tenants/index";
import type { AppDeps } from "../app";
import { requireTenant } from "../caller";
import type { AppEnv } from "../env";
import { jsonBody, parseBody } from "../errors";
import { seal, sealingKey } from "../seal";
import { AccountStore } from "../store";
import { verifyTenantToken } from "../verify";
import { cfToken, refuseTokenInBody } from "./register";

export function account(deps: Required<AppDeps>) {
  const store = (kv: KVNamespace) => new AccountStore(kv, deps.now);
  return new Hono<AppEnv>()
    .use(requireTenant)
    .get("/keys", async (c) => {
      const tenant = c.get("tenant");
      return c.json({ tenant_id: tenant.tenant_id, keys: await store(c.env.ACCOUNTS_KV).keys(tenant.tenant_id) });
    })
    .post("/keys", async (c) => {
      parseBody(KeyCreateRequestSchema, await jsonBody(c), "POST /keys takes no fields.");
      return c.json(await store(c.env.ACCOUNTS_KV).createKey(c.get("tenant").tenant_id), 201);
    })
    .delete("/keys/:id", async (c) => {
      const keyId = c.req.param("id");
      if (!(await store(c.env.ACCOUNTS_KV).revoke(c.get("tenant").tenant_id, keyId))) {
        throw arcrunError("key_not_found", `You have no key ${keyId}.`, { hint: "`GET /keys` (`acr keys list`) shows your key ids." });
      }
      return c.json({ key_id: keyId, revoked: true });
    })
    .put("/token", async (c) => {
      const body = await jsonBody(c);
      refuseTokenInBody(body);
      parseBody(TokenReplaceRequestSchema, body, "PUT /token takes no body fields: the token goes in CF-Api-Token.");
      const token = cfToken(c.req.header(CF_TOKEN_HEADER));
      const tenant = c.get("tenant");
      await verifyTenantToken(c.env, token, tenant);
      await store(c.env.ACCOUNTS_KV).putTenant({ ...tenant, token: await seal(await sealingKey(c.env), tenant.tenant_id, "token", token) });
      return c.json({ tenant_id: tenant.tenant_id, token_replaced: true });
    })
    .delete("/tenant", async (c) => {
      const tenantId = c.get("tenant").tenant_id;
      await store(c.env.ACCOUNTS_KV).deleteTenant(tenantId);
      const purged = await deps.purgeExecutor(c.env, tenantId);
      return c.json({ tenant_id: tenantId, deleted: true, executor_purged: purged });
    });
}
