/**
 * Worker entry: only wiring. `fetch` serves the public API (app.ts); `Resolver` is the named
 * entrypoint the executor's service binding `AUTH` points at — not reachable over HTTP.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import type { ResolvedTenant, TenantResolver } from "@arcrun/core/tenants/index";
import { createApp } from "./app";
import type { Env } from "./env";
import { resolveKey, resolveTenant } from "./resolve";

const app = createApp();

export class Resolver extends WorkerEntrypoint<Env> implements TenantResolver {
  resolveKey(apiKey: string): Promise<ResolvedTenant | null> {
    return resolveKey(this.env, apiKey);
  }
  resolveTenant(tenantId: string): Promise<ResolvedTenant | null> {
    return resolveTenant(this.env, tenantId);
  }
}

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
