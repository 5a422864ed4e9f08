/** Core's ports over the Worker's bindings: KV workflows, D1 runs, the loader chain, credentials from CREDENTIALS_KV. */
import { systemClock } from "@arcrun/core";
import type { Env, Services } from "../env";
import { createResolver } from "../components/resolver";
import { runSecrets } from "../services/credentials";
import { D1ClaimStore } from "./d1-claim-store";
import { D1RunStore } from "./d1-run-store";
import { kvKeyValueStore } from "./kv-key-value";
import { KvWorkflowStore } from "./kv-workflow-store";

export function servicesFromBindings(env: Env): Services {
  return {
    workflows: new KvWorkflowStore(env.WEBHOOKS),
    runs: new D1RunStore(env.ARCRUN_DB),
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
