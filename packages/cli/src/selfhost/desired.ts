/**
 * What a self-hosted arcrun is on a Cloudflare account: the resources by name, the executor
 * Worker's bindings (the same as packages/executor/wrangler.jsonc), its secrets and cron trigger,
 * and the bundle the installed package ships (packages/cli/src/assets.ts). Pure data, no calls.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { WorkerBinding, WorkerMetadata, WorkerModule } from "../cloudflare/api";

export const WORKER_NAME = "arcrun-executor";
/** the date local workerd runs the bundle with (@arcrun/local's COMPATIBILITY_DATE; a test checks they agree) */
export const COMPATIBILITY_DATE = "2026-04-01";
export const CRON = "* * * * *";
export const SECRETS = ["ARCRUN_API_KEY", "ARCRUN_ENCRYPTION_KEY"] as const;
export type SecretName = (typeof SECRETS)[number];

/** binding → resource name; created or reused by this name */
export const KV_NAMESPACES = { WEBHOOKS: "arcrun-webhooks", CREDENTIALS_KV: "arcrun-credentials" } as const;
export const D1_DATABASE = { binding: "ARCRUN_DB", name: "arcrun" } as const;
export const R2_BUCKET = { binding: "WASM_BUCKET", name: "arcrun-wasm" } as const;

/** The permissions the API token needs, each with a read call that proves it (see inspect.ts). */
export const PERMISSIONS = {
  scripts: "Account · Workers Scripts · Edit",
  kv: "Account · Workers KV Storage · Edit",
  d1: "Account · D1 · Edit",
  r2: "Account · Workers R2 Storage · Edit",
} as const;
export type PermissionKey = keyof typeof PERMISSIONS;

export interface Migration {
  name: string;
  sql: string;
}

export function readMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) throw new Error(`the executor's D1 migrations are missing from ${dir}; reinstall arcrun`);
  return readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(dir, name), "utf8") }));
}

/** The Worker bundle's modules: worker.js (the entry) and the .wasm files beside it. */
export function readWorkerModules(dir: string): WorkerModule[] {
  if (!existsSync(join(dir, "worker.js"))) throw new Error(`the executor bundle is missing from ${dir}; reinstall arcrun (or run \`npm run build\` in a checkout)`);
  return readdirSync(dir)
    .filter((f) => f === "worker.js" || f.endsWith(".wasm"))
    .sort((a, b) => (a === "worker.js" ? -1 : b === "worker.js" ? 1 : a.localeCompare(b)))
    .map((name) => ({ name, bytes: readFileSync(join(dir, name)), contentType: name.endsWith(".wasm") ? "application/wasm" : "application/javascript+module" }));
}

/** Durable webhook and cron runs (packages/executor/src/durable/workflow.ts), as in wrangler.jsonc */
export const RUNS_WORKFLOW = { name: "RUNS_WORKFLOW", workflow_name: "arcrun-runs", class_name: "RunsWorkflow" } as const;

export interface ResourceIds {
  kv: Record<keyof typeof KV_NAMESPACES, string>;
  d1: string;
}

export function workerMetadata(ids: ResourceIds, apiKeyHint: string): WorkerMetadata {
  const bindings: WorkerBinding[] = [
    ...Object.entries(ids.kv).map(([name, namespace_id]) => ({ type: "kv_namespace" as const, name, namespace_id })),
    { type: "d1", name: D1_DATABASE.binding, id: ids.d1 },
    { type: "r2_bucket", name: R2_BUCKET.binding, bucket_name: R2_BUCKET.name },
    { type: "worker_loader", name: "LOADER" },
    { type: "workflow", ...RUNS_WORKFLOW },
    { type: "plain_text", name: "ARCRUN_API_KEY_HINT", text: apiKeyHint },
  ];
  return {
    main_module: "worker.js",
    compatibility_date: COMPATIBILITY_DATE,
    bindings,
    // the secrets are set through their own endpoint; an upload keeps them
    keep_bindings: ["secret_text"],
    observability: { enabled: true },
  };
}

/** Content hash of what an upload sends: a re-run with the same bundle and bindings uploads nothing. */
export function uploadHash(metadata: WorkerMetadata, modules: WorkerModule[]): string {
  const hash = createHash("sha256").update(JSON.stringify(metadata));
  for (const m of modules) hash.update(m.name).update(m.bytes);
  return hash.digest("hex").slice(0, 16);
}

/** A short fingerprint of a secret value, kept in the config to tell whether the Worker has the current one. */
export function secretFingerprint(name: string, value: string): string {
  return createHash("sha256").update(`${name}\n${value}`).digest("hex").slice(0, 12);
}
