/**
 * The Cloudflare REST API endpoints the self-hosted install uses, one function each, with the
 * documented request and answer shapes (developers.cloudflare.com/api):
 *
 *   GET  /user/tokens/verify                               token status (account tokens: /accounts/:id/tokens/verify)
 *   GET  /accounts/:id/storage/kv/namespaces               {id, title}[]     POST {title}
 *   GET  /accounts/:id/d1/database?name=                   {uuid, name}[]    POST {name}
 *   POST /accounts/:id/d1/database/:uuid/query             {sql, params} → [{results, success, meta}]
 *   GET  /accounts/:id/r2/buckets?name_contains=           {buckets: [{name, creation_date}]}   POST {name}
 *   GET  /accounts/:id/workers/scripts                     {id, modified_on}[]
 *   PUT  /accounts/:id/workers/scripts/:name               multipart: `metadata` + one part per module
 *   GET|PUT /accounts/:id/workers/scripts/:name/secrets    {name, type}[] · {name, text, type: "secret_text"}
 *   GET|PUT /accounts/:id/workers/scripts/:name/schedules  {schedules: [{cron}]} · [{cron}]
 *   GET|POST /accounts/:id/workers/scripts/:name/subdomain {enabled} · {enabled: true}
 *   GET  /accounts/:id/workers/subdomain                   {subdomain}
 *   DELETE the script (?force=true), a KV namespace, a D1 database, an (empty) R2 bucket   (`acr destroy`)
 */
import type { CloudflareClient } from "./client";

export interface KvNamespace {
  id: string;
  title: string;
}
export interface D1Database {
  uuid: string;
  name: string;
}
export interface R2Bucket {
  name: string;
  creation_date?: string;
}
export interface WorkerScript {
  id: string;
  modified_on?: string;
}
export interface D1QueryResult {
  results: Record<string, unknown>[];
  success: boolean;
}

export interface WorkerModule {
  name: string;
  bytes: Uint8Array;
  contentType: string;
}

export type WorkerBinding =
  | { type: "kv_namespace"; name: string; namespace_id: string }
  | { type: "d1"; name: string; id: string }
  | { type: "r2_bucket"; name: string; bucket_name: string }
  | { type: "worker_loader"; name: string }
  // a Workflow whose class is exported by this same script (Cloudflare creates the workflow on upload)
  | { type: "workflow"; name: string; workflow_name: string; class_name: string }
  | { type: "plain_text"; name: string; text: string };

export interface WorkerMetadata {
  main_module: string;
  compatibility_date: string;
  bindings: WorkerBinding[];
  /** binding types kept from the version before (secrets are set through their own endpoint) */
  keep_bindings?: string[];
  observability?: { enabled: boolean };
}

const acct = (accountId: string) => `/accounts/${encodeURIComponent(accountId)}`;
const script = (accountId: string, name: string) => `${acct(accountId)}/workers/scripts/${encodeURIComponent(name)}`;

export const cf = {
  verifyUserToken: (c: CloudflareClient) => c.result<{ id: string; status: string }>("GET", "/user/tokens/verify"),
  verifyAccountToken: (c: CloudflareClient, accountId: string) => c.result<{ id: string; status: string }>("GET", `${acct(accountId)}/tokens/verify`),

  listKv: (c: CloudflareClient, accountId: string) => c.all<KvNamespace>(`${acct(accountId)}/storage/kv/namespaces`),
  createKv: (c: CloudflareClient, accountId: string, title: string) => c.result<KvNamespace>("POST", `${acct(accountId)}/storage/kv/namespaces`, { json: { title } }),

  listD1: (c: CloudflareClient, accountId: string, name: string) => c.all<D1Database>(`${acct(accountId)}/d1/database?name=${encodeURIComponent(name)}`),
  createD1: (c: CloudflareClient, accountId: string, name: string) => c.result<D1Database>("POST", `${acct(accountId)}/d1/database`, { json: { name } }),
  queryD1: (c: CloudflareClient, accountId: string, uuid: string, sql: string, params: unknown[] = []) =>
    c.result<D1QueryResult[]>("POST", `${acct(accountId)}/d1/database/${encodeURIComponent(uuid)}/query`, { json: { sql, params } }),

  listR2: async (c: CloudflareClient, accountId: string, nameContains: string) =>
    (await c.result<{ buckets: R2Bucket[] }>("GET", `${acct(accountId)}/r2/buckets?name_contains=${encodeURIComponent(nameContains)}&per_page=1000`)).buckets ?? [],
  createR2: (c: CloudflareClient, accountId: string, name: string) => c.result<R2Bucket>("POST", `${acct(accountId)}/r2/buckets`, { json: { name } }),

  listScripts: (c: CloudflareClient, accountId: string) => c.result<WorkerScript[]>("GET", `${acct(accountId)}/workers/scripts`),
  uploadScript: (c: CloudflareClient, accountId: string, name: string, metadata: WorkerMetadata, modules: WorkerModule[]) => {
    const form = new FormData();
    form.append("metadata", new Blob([JSON.stringify(metadata)], { type: "application/json" }));
    for (const m of modules) form.append(m.name, new Blob([m.bytes as Uint8Array<ArrayBuffer>], { type: m.contentType }), m.name);
    return c.result<{ id: string }>("PUT", script(accountId, name), { form });
  },
  listSecrets: (c: CloudflareClient, accountId: string, name: string) => c.result<{ name: string; type: string }[]>("GET", `${script(accountId, name)}/secrets`),
  putSecret: (c: CloudflareClient, accountId: string, name: string, secret: string, text: string) =>
    c.result<{ name: string; type: string }>("PUT", `${script(accountId, name)}/secrets`, { json: { name: secret, text, type: "secret_text" } }),
  getSchedules: async (c: CloudflareClient, accountId: string, name: string) =>
    (await c.result<{ schedules: { cron: string }[] }>("GET", `${script(accountId, name)}/schedules`)).schedules ?? [],
  putSchedules: (c: CloudflareClient, accountId: string, name: string, crons: string[]) =>
    c.result<{ schedules: { cron: string }[] }>("PUT", `${script(accountId, name)}/schedules`, { json: crons.map((cron) => ({ cron })) }),
  getScriptSubdomain: (c: CloudflareClient, accountId: string, name: string) => c.result<{ enabled: boolean }>("GET", `${script(accountId, name)}/subdomain`),
  enableScriptSubdomain: (c: CloudflareClient, accountId: string, name: string) =>
    c.result<{ enabled: boolean }>("POST", `${script(accountId, name)}/subdomain`, { json: { enabled: true } }),
  deleteScript: (c: CloudflareClient, accountId: string, name: string) => c.result<unknown>("DELETE", `${script(accountId, name)}?force=true`),
  deleteKv: (c: CloudflareClient, accountId: string, id: string) => c.result<unknown>("DELETE", `${acct(accountId)}/storage/kv/namespaces/${encodeURIComponent(id)}`),
  deleteD1: (c: CloudflareClient, accountId: string, uuid: string) => c.result<unknown>("DELETE", `${acct(accountId)}/d1/database/${encodeURIComponent(uuid)}`),
  deleteR2: (c: CloudflareClient, accountId: string, name: string) => c.result<unknown>("DELETE", `${acct(accountId)}/r2/buckets/${encodeURIComponent(name)}`),
  getAccountSubdomain: (c: CloudflareClient, accountId: string) => c.result<{ subdomain: string }>("GET", `${acct(accountId)}/workers/subdomain`),
};
