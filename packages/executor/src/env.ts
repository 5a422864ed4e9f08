/**
 * The Worker's bindings (DESIGN § Storage) and the Hono environment every route shares.
 * Optional bindings are used by later features (credentials, WASM from R2, the loader).
 */
import type { TenantResolver } from "@arcrun/core";
import type { AiBinding, ClaimStore, Clock, ComponentResolver, KeyValueStore, Redactor, RunHooks, RunStore, SecretSource, WorkflowStore } from "@arcrun/core";
import type { DurableRunParams, DurableRuns } from "./services/durable";
import type { BlobStore } from "./services/big-outputs";

export interface Env {
  /** workflows (`wf:{name}`) and webhook tokens (`token:{token}` → name) */
  WEBHOOKS: KVNamespace;
  /** runs and node traces */
  ARCRUN_DB: D1Database;
  CREDENTIALS_KV?: KVNamespace;
  WASM_BUCKET?: R2Bucket;
  LOADER?: WorkerLoader;
  /** Workers AI (wrangler `ai = { binding = "AI" }`): provider workers_ai of the AI builtins */
  AI?: AiBinding;
  /** the API key every authenticated endpoint requires (a Worker secret) */
  ARCRUN_API_KEY?: string;
  /** where the key lives, shown in the 401 hint (set by the local dev server) */
  ARCRUN_API_KEY_HINT?: string;
  /** 32 random bytes, base64: opens the credentials in CREDENTIALS_KV (a Worker secret) */
  ARCRUN_ENCRYPTION_KEY?: string;
  /** days runs are kept when a workflow sets no retention_days (default 30) */
  ARCRUN_RETENTION_DAYS?: string;
  /** Cloudflare Workflows: webhook and cron runs run as instances of RunsWorkflow (durable/workflow.ts) */
  RUNS_WORKFLOW?: Workflow<DurableRunParams>;
  /** "true": a shared deployment — tenants, keys from the auth Worker, everything scoped (middleware/tenant.ts) */
  MULTI_TENANT?: string;
  /** the auth Worker's `Resolver` entrypoint (service binding; MULTI_TENANT only) */
  AUTH?: TenantResolver;
  /** the Cloudflare REST API base for tenants' KV (default api.cloudflare.com/client/v4; tests: a local server) */
  CLOUDFLARE_API_BASE_URL?: string;
  /** how long a resolved tenant is cached per isolate, ms (default and maximum 60 000) */
  ARCRUN_TENANT_CACHE_MS?: string;
  /** set on a tenant's scoped env by middleware/tenant.ts (never a binding): the tenant its rows belong to */
  ARCRUN_TENANT_ID?: string;
  /** the registry Worker (service binding): component usage is reported to it after each run */
  REGISTRY?: Fetcher;
  /** the registry key usage records are sent with (a Worker secret; locally the API key, author "local") */
  REGISTRY_KEY?: string;
}

/** What a request or a scheduled event lets live on after the response (`ExecutionContext`). */
export interface Background {
  waitUntil(work: Promise<unknown>): void;
}

/**
 * What a route needs: core's ports, built once per request — from the bindings in the Worker
 * (bindings/services.ts), in memory in the in-process tests (test/unit/).
 */
export interface Services {
  workflows: WorkflowStore;
  runs: RunStore;
  /** first-one-wins keys with expiry: idempotency, cron dedupe, webhook replay (D1 `claims`) */
  claims: ClaimStore;
  /** the cron index (services/cron-index.ts; KV `WEBHOOKS`) */
  schedule: KeyValueStore;
  resolver: ComponentResolver;
  /** a run's credentials; every value handed out is added to `redactor` (services/credentials.ts) */
  secretsFor?: (redactor: Redactor) => SecretSource;
  /** run timestamps and durations, workflow created_at / updated_at */
  clock: Clock;
  /** the global retention period in days (ARCRUN_RETENTION_DAYS); default 30 */
  retentionDays?: number;
  /** more run hooks, after the run log and the run record (registry statistics, traces) */
  hooks?: RunHooks;
  /** background runs as Workflows instances (services/durable.ts); absent: they run in-process */
  durable?: DurableRuns;
  /** node outputs over max_trace_bytes (services/big-outputs.ts; R2 `WASM_BUCKET`) */
  outputs?: BlobStore;
}

export interface AppEnv {
  Bindings: Env;
  Variables: { services: Services };
}
