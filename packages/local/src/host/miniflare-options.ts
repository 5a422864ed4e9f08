/**
 * How to run arcrun's Workers in local workerd through Miniflare: their bindings, module rules
 * and sockets. Shared by the dev server and the integration tests so both run the Workers
 * exactly the same way. Node-side code.
 *
 *   new Miniflare(hostMiniflareOptions({ workers: [executorWorker({ scriptPath })], persistDir }))
 *
 * One Miniflare instance hosts every Worker (DESIGN § Wave 2 decisions); the registry and auth
 * Workers join the `workers` list with builders of their own. The first Worker is the one
 * `unsafeGetDirectURL()` and `getD1Database()` reach without a name.
 */
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { MiniflareOptions, ModuleDefinition, WorkerOptions } from "miniflare";
import { outboundHandler, type OutboundOptions } from "./outbound";

/** The executor's Workflows binding, as wrangler.jsonc names it (a test checks they agree). */
export const RUNS_WORKFLOW = { binding: "RUNS_WORKFLOW", name: "arcrun-runs", className: "RunsWorkflow" } as const;

/** Same date as wrangler.jsonc (a test checks they agree). */
export const COMPATIBILITY_DATE = "2026-04-01";

export interface ExecutorWorkerOptions {
  /** the bundle built by packages/local/src/build/executor.mjs */
  scriptPath: string;
  /** the socket that reaches the executor directly (DESIGN § Speed); port 0 = any free port */
  host?: string;
  port?: number;
  /** ARCRUN_API_KEY; undefined leaves the Worker unconfigured (it then refuses with not_configured) */
  apiKey?: string;
  /** where the key lives, shown in 401 hints */
  apiKeyHint?: string;
  /** ARCRUN_ENCRYPTION_KEY (opens CREDENTIALS_KV); undefined: credentials cannot be stored or used */
  encryptionKey?: string;
  /** REGISTRY_KEY: the key usage records go to the `REGISTRY` service binding with */
  registryKey?: string;
  /**
   * Shared deployment (MULTI_TENANT=true): the auth Worker's name in the same Miniflare instance
   * (service binding AUTH → its `Resolver` entrypoint), the Cloudflare API base, and the tenant
   * cache bound (ms, ≤ 60 000; tests make it short).
   */
  multiTenant?: { authWorker?: string; cloudflareApiBaseUrl?: string; tenantCacheMs?: number };
  /**
   * Every outbound request passes the outbound handler (outbound.ts: names resolved, restricted
   * addresses refused). `proxy` defaults to `ARCRUN_OUTBOUND_PROXY`; `false` turns the handler off.
   */
  outbound?: OutboundOptions | false;
}

export interface HostOptions {
  workers: WorkerOptions[];
  /** persist KV, D1 and R2 under this folder; undefined keeps them in memory */
  persistDir?: string;
}

/** The options one Miniflare instance needs to host `workers`, sharing one state folder. */
export function hostMiniflareOptions(options: HostOptions): MiniflareOptions {
  const persist = (what: string) => (options.persistDir ? `${options.persistDir}/${what}` : false);
  return {
    // no network at start: Miniflare would otherwise fetch request.cf data
    cf: false,
    // Miniflare's own entry socket goes through its entry worker (≈2.8× slower): keep it
    // on an ephemeral loopback port and serve users on each Worker's direct socket instead.
    host: "127.0.0.1",
    port: 0,
    kvPersist: persist("kv"),
    d1Persist: persist("d1"),
    r2Persist: persist("r2"),
    // Workflows instances (durable runs): their steps, sleeps and events, kept across restarts
    workflowsPersist: persist("workflows"),
    workers: options.workers,
  };
}

/**
 * A Worker bundle's modules, listed: the entry script plus the .wasm files the build copied
 * beside it (its folder holds nothing else it imports). Given `modules: true` and a script path,
 * Miniflare would parse the whole bundle with acorn to find its imports instead: an AST of
 * ≈100 MB for the 2 MB executor bundle, at every start and option change. Miniflare reads the
 * files itself each time it builds workerd's config, so their contents are not kept here.
 */
export function bundleModules(scriptPath: string): { modules: ModuleDefinition[]; modulesRoot: string } {
  // module names are paths relative to this root; the bundle's folder keeps them inside it
  const modulesRoot = dirname(resolve(scriptPath));
  // a bundle not built yet fails when Miniflare reads its entry, as with `scriptPath`
  const wasm = existsSync(modulesRoot) ? readdirSync(modulesRoot).filter((file) => file.endsWith(".wasm")).sort() : [];
  return {
    modules: [{ type: "ESModule", path: resolve(scriptPath) }, ...wasm.map((file): ModuleDefinition => ({ type: "CompiledWasm", path: join(modulesRoot, file) }))],
    modulesRoot,
  };
}

/** The executor Worker: its bundle, bindings and direct socket. */
export function executorWorker(options: ExecutorWorkerOptions): WorkerOptions {
  const bindings: Record<string, string> = {};
  if (options.apiKey !== undefined) bindings.ARCRUN_API_KEY = options.apiKey;
  if (options.apiKeyHint !== undefined) bindings.ARCRUN_API_KEY_HINT = options.apiKeyHint;
  if (options.encryptionKey !== undefined) bindings.ARCRUN_ENCRYPTION_KEY = options.encryptionKey;
  const mt = options.multiTenant;
  if (mt) {
    bindings.MULTI_TENANT = "true";
    if (mt.cloudflareApiBaseUrl) bindings.CLOUDFLARE_API_BASE_URL = mt.cloudflareApiBaseUrl;
    if (mt.tenantCacheMs !== undefined) bindings.ARCRUN_TENANT_CACHE_MS = String(mt.tenantCacheMs);
  }
  if (options.registryKey !== undefined) bindings.REGISTRY_KEY = options.registryKey;
  return {
    name: "arcrun-executor",
    ...(mt ? { serviceBindings: { AUTH: { name: mt.authWorker ?? "arcrun-auth", entrypoint: "Resolver" } } } : {}),
    ...bundleModules(options.scriptPath),
    compatibilityDate: COMPATIBILITY_DATE,
    unsafeDirectSockets: [{ host: options.host ?? "127.0.0.1", port: options.port ?? 0 }],
    kvNamespaces: { WEBHOOKS: "webhooks", CREDENTIALS_KV: "credentials" },
    d1Databases: { ARCRUN_DB: "arcrun" },
    r2Buckets: { WASM_BUCKET: "wasm" },
    workerLoaders: { LOADER: {} },
    workflows: { [RUNS_WORKFLOW.binding]: { name: RUNS_WORKFLOW.name, className: RUNS_WORKFLOW.className } },
    bindings,
    ...(options.outbound === false
      ? {}
      : { outboundService: outboundHandler({ proxy: process.env.ARCRUN_OUTBOUND_PROXY || undefined, ...options.outbound }) as WorkerOptions["outboundService"] }),
  };
}

/**
 * The executor alone, as one flat options object (tests and the bench spread it and add
 * options of their own, e.g. `outboundService`).
 */
export function executorMiniflareOptions(options: ExecutorWorkerOptions & { persistDir?: string }): MiniflareOptions {
  const { workers: _, ...shared } = hostMiniflareOptions({ workers: [], persistDir: options.persistDir });
  return { ...executorWorker(options), ...shared } as MiniflareOptions;
}

/** `REGISTRY_PORT` default (DESIGN § Wave 2 decisions), defined with the other local names. */
export { DEFAULT_REGISTRY_PORT } from "./state";

export interface RegistryWorkerOptions {
  /** the bundle built by packages/local/src/build/registry.mjs */
  scriptPath: string;
  host?: string;
  /** the registry's direct socket; port 0 = any free port */
  port?: number;
  /** REGISTRY_ADMIN_KEY (approves and rejects submissions) */
  adminKey?: string;
  /** REGISTRY_KEYS: author name → key */
  authorKeys?: Record<string, string>;
  /** where the keys live, shown in 401 hints */
  keyHint?: string;
  /** REGISTRY_COLD_START_MAX_MS: the acceptance's cold start threshold (default 500 ms) */
  coldStartMaxMs?: number;
}

/** The registry Worker (packages/registry): its own D1 database and R2 bucket, a Worker Loader for acceptance. */
export function registryWorker(options: RegistryWorkerOptions): WorkerOptions {
  const bindings: Record<string, string> = {};
  if (options.adminKey !== undefined) bindings.REGISTRY_ADMIN_KEY = options.adminKey;
  if (options.authorKeys !== undefined) bindings.REGISTRY_KEYS = JSON.stringify(options.authorKeys);
  if (options.keyHint !== undefined) bindings.REGISTRY_KEY_HINT = options.keyHint;
  if (options.coldStartMaxMs !== undefined) bindings.REGISTRY_COLD_START_MAX_MS = String(options.coldStartMaxMs);
  return {
    name: "arcrun-registry",
    ...bundleModules(options.scriptPath),
    compatibilityDate: COMPATIBILITY_DATE,
    unsafeDirectSockets: [{ host: options.host ?? "127.0.0.1", port: options.port ?? 0 }],
    d1Databases: { REGISTRY_DB: "registry" },
    r2Buckets: { REGISTRY_BUCKET: "registry" },
    workerLoaders: { LOADER: {} },
    bindings,
  };
}

/** `AUTH_PORT` default (DESIGN § Wave 2 decisions). */
export const DEFAULT_AUTH_PORT = 8789;

export interface AuthWorkerOptions {
  /** the bundle built by packages/local/src/build/auth.mjs */
  scriptPath: string;
  host?: string;
  /** the auth Worker's direct socket; port 0 = any free port */
  port?: number;
  /** AUTH_SEALING_KEY: 32 random bytes, base64 */
  sealingKey: string;
  /** CLOUDFLARE_API_BASE_URL: where token checks go (a local server that speaks the API) */
  cloudflareApiBaseUrl?: string;
  /** AUTH_REGISTER_LIMIT: registrations per IP and hour */
  registerLimit?: number;
  /** the executor Worker's name: DELETE /tenant purges there (service binding EXECUTOR → `TenantAdmin`) */
  executorWorker?: string;
}

/** The auth Worker (packages/auth): KV ACCOUNTS_KV, its sealing key, a binding to the executor's TenantAdmin. */
export function authWorker(options: AuthWorkerOptions): WorkerOptions {
  const bindings: Record<string, string> = { AUTH_SEALING_KEY: options.sealingKey };
  if (options.cloudflareApiBaseUrl) bindings.CLOUDFLARE_API_BASE_URL = options.cloudflareApiBaseUrl;
  if (options.registerLimit !== undefined) bindings.AUTH_REGISTER_LIMIT = String(options.registerLimit);
  return {
    name: "arcrun-auth",
    ...bundleModules(options.scriptPath),
    compatibilityDate: COMPATIBILITY_DATE,
    unsafeDirectSockets: [{ host: options.host ?? "127.0.0.1", port: options.port ?? 0 }],
    kvNamespaces: { ACCOUNTS_KV: "accounts" },
    bindings,
    ...(options.executorWorker ? { serviceBindings: { EXECUTOR: { name: options.executorWorker, entrypoint: "TenantAdmin" } } } : {}),
  };
}
