/** Core's ports over the Worker's bindings: KV workflows (cached per isolate for FRESH_MS), D1 runs, the loader chain, credentials from CREDENTIALS_KV. */
import { systemClock } from "@arcrun/core";
import type { Background, Env, Services } from "../env";
import { builtinComponents, createResolver } from "../components/resolver";
import { runSecrets } from "../services/credentials";
import { usageReportHooks } from "../services/usage-report";
import { D1ClaimStore } from "./d1-claim-store";
import { D1RunStore } from "./d1-run-store";
import { kvKeyValueStore } from "./kv-key-value";
import { KvWorkflowStore } from "./kv-workflow-store";
import { CachedWorkflowStore } from "./cached-workflow-store";
import { workflowsDurableRuns } from "../services/durable";
import { tenantClaims } from "./tenant-scope";

/** One cached workflow store per KV namespace and isolate (cached-workflow-store.ts). */
const workflowStores = new WeakMap<KVNamespace, CachedWorkflowStore>();

/** One run store per database, tenant and isolate: the recording queue (services/record-queue.ts) is kept per store. */
const runStores = new WeakMap<D1Database, Map<string, D1RunStore>>();

function runStore(db: D1Database, tenant: string): D1RunStore {
  let byTenant = runStores.get(db);
  if (!byTenant) runStores.set(db, (byTenant = new Map()));
  let store = byTenant.get(tenant);
  if (!store) byTenant.set(tenant, (store = new D1RunStore(db, tenant)));
  return store;
}

function workflowStore(kv: KVNamespace): CachedWorkflowStore {
  let store = workflowStores.get(kv);
  if (!store) workflowStores.set(kv, (store = new CachedWorkflowStore(new KvWorkflowStore(kv))));
  return store;
}

/** `ctx`: the request's or scheduled event's, so the registry report outlives the response. */
export function servicesFromBindings(env: Env, ctx?: Background): Services {
  const resolver = createResolver(env);
  return {
    workflows: workflowStore(env.WEBHOOKS),
    runs: runStore(env.ARCRUN_DB, env.ARCRUN_TENANT_ID ?? ""),
    claims: env.ARCRUN_TENANT_ID ? tenantClaims(new D1ClaimStore(env.ARCRUN_DB), env.ARCRUN_TENANT_ID) : new D1ClaimStore(env.ARCRUN_DB),
    schedule: kvKeyValueStore(env.WEBHOOKS),
    resolver,
    secretsFor: (redactor) => runSecrets(env, redactor),
    clock: systemClock,
    retentionDays: retentionDays(env.ARCRUN_RETENTION_DAYS),
    ...(env.RUNS_WORKFLOW ? { durable: workflowsDurableRuns(env.RUNS_WORKFLOW, env.ARCRUN_TENANT_ID) } : {}),
    ...(env.WASM_BUCKET ? { outputs: env.WASM_BUCKET } : {}),
    hooks: usageReport(env, resolver, ctx),
  };
}

let warnedNoKey = false;
let builtinNames: ReadonlySet<string> | undefined;

/** Usage statistics for the registry, when one is bound (services/usage-report.ts). */
function usageReport(env: Env, resolver: Services["resolver"], ctx: Background | undefined): Services["hooks"] {
  if (!env.REGISTRY) return undefined;
  if (!env.REGISTRY_KEY) {
    if (!warnedNoKey) console.warn("REGISTRY is bound but REGISTRY_KEY is not set: component usage is not reported to the registry (wrangler secret put REGISTRY_KEY)");
    warnedNoKey = true;
    return undefined;
  }
  // without a context (none is given only in tests) the report still never blocks the run
  const background = ctx ? (work: Promise<unknown>) => ctx.waitUntil(work) : (work: Promise<unknown>) => void work;
  builtinNames ??= new Set(builtinComponents().map((c) => c.name));
  return usageReportHooks({ registry: env.REGISTRY, key: env.REGISTRY_KEY, resolver, background, neverWasm: builtinNames });
}

/** ARCRUN_RETENTION_DAYS as a whole number of days ≥ 1; anything else: the default. */
function retentionDays(text: string | undefined): number | undefined {
  const days = Number(text);
  return text && Number.isInteger(days) && days >= 1 ? days : undefined;
}
