/** The auth Worker's bindings and the Hono environment its routes share. */
import type { TenantRecord } from "./store";

export interface Env {
  /** tenants, hashed API keys, rate-limit counters (store.ts) */
  ACCOUNTS_KV: KVNamespace;
  /** 32 random bytes, base64: seals each tenant's Cloudflare token and data key (a Worker secret) */
  AUTH_SEALING_KEY?: string;
  /** the Cloudflare REST API (default https://api.cloudflare.com/client/v4); tests point it at a local server */
  CLOUDFLARE_API_BASE_URL?: string;
  /** registrations per IP and hour (default 10) */
  AUTH_REGISTER_LIMIT?: string;
  /** the executor's `TenantAdmin` entrypoint (service binding): DELETE /tenant purges what the tenant stored there */
  EXECUTOR?: Fetcher;
}

export interface AppEnv {
  Bindings: Env;
  Variables: { tenant: TenantRecord; keyId: string };
}
