/** Core's ports over the Worker's bindings: KV workflows (cached per isolate for FRESH_MS), D1 runs, the loader chain, credentials from CREDENTIALS_KV. */
import { systemClock } from "@arcrun/core";
import type { Env, Services } from "../env";
import { createResolver } from "../components/resolver";
import { runSecrets } from "../services/credentials";
import { D1ClaimStore } from "./d1-claim-store";
import { D1RunStore } from "./d1-run-store";
import { kvKeyValueStore } from "./kv-key-value";
import { KvWorkflowStore } from "./kv-workflow-store";
import { CachedWorkflowStore } from "./cached-workflow-store";

/** One cached workflow store per KV namespace and isolate (cached-workflow-store.ts). */
const workflowStores = new WeakMap<KVNamespace, CachedWorkflowStore>();

/** One run store per database and isolate: the recording queue (services/record-queue.ts) is kept per store. */
const runStores = new WeakMap<D1Database, D1RunStore>();

function runStore(db: D1Database): D1RunStore {
  let store = runStores.get(db);
  if (!store) runStores.set(db, (store = new D1RunStore(db)));
  return store;
}

function workflowStore(kv: KVNamespace): CachedWorkflowStore {
  let store = workflowStores.get(kv);
  if (!store) workflowStores.set(kv, (store = new CachedWorkflowStore(new KvWorkflowStore(kv))));
  return store;
}

export function servicesFromBindings(env: Env): Services {
  return {
    workflows: workflowStore(env.WEBHOOKS),
    runs: runStore(env.ARCRUN_DB),
    claims: new D1ClaimStore(env.ARCRUN_DB),
    schedule: kvKeyValueStore(env.WEBHOOKS),
    resolver: createResolver(env),
    secretsFor: (redactor) => runSecrets(env, redactor),
    clock: systemClock,
    retentionDays: retentionDays(env.ARCRUN_RETENTION_DAYS),
  };
}

/** ARCRUN_RETENTION_DAYS as a whole number of days ≥ 1; anything else: the default. */
function retentionDays(text: string | undefined): number | undefined {
  const days = Number(text);
  return text && Number.isInteger(days) && days >= 1 ? days : undefined;
}
