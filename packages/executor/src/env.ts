/**
 * The Worker's bindings (DESIGN § Storage) and the Hono environment every route shares.
 * Optional bindings are used by later features (credentials, WASM from R2, the loader).
 */
import type { ComponentResolver, Redactor, RunStore, SecretSource, WorkflowStore } from "@arcrun/core";

export interface Env {
  /** workflows (`wf:{name}`) and webhook tokens (`token:{token}` → name) */
  WEBHOOKS: KVNamespace;
  /** runs and node traces */
  ARCRUN_DB: D1Database;
  CREDENTIALS_KV?: KVNamespace;
  WASM_BUCKET?: R2Bucket;
  LOADER?: WorkerLoader;
  /** the API key every authenticated endpoint requires (a Worker secret) */
  ARCRUN_API_KEY?: string;
  /** where the key lives, shown in the 401 hint (set by the local dev server) */
  ARCRUN_API_KEY_HINT?: string;
  /** 32 random bytes, base64: opens the credentials in CREDENTIALS_KV (a Worker secret) */
  ARCRUN_ENCRYPTION_KEY?: string;
}

/** What a route needs, built once per request from the bindings. */
export interface Services {
  workflows: WorkflowStore;
  runs: RunStore;
  resolver: ComponentResolver;
  /** a run's credentials; every value handed out is added to `redactor` (services/credentials.ts) */
  secretsFor?: (redactor: Redactor) => SecretSource;
}

export interface AppEnv {
  Bindings: Env;
  Variables: { services: Services };
}
