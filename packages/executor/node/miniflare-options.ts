/**
 * How to run the executor Worker in local workerd through Miniflare: its bindings,
 * module rules and sockets. Shared by the dev server (packages/cli/src/dev) and the
 * integration tests so both run the Worker exactly the same way. Node-side code.
 */
import type { MiniflareOptions } from "miniflare";

/** Same date as wrangler.jsonc (a test checks they agree). */
export const COMPATIBILITY_DATE = "2026-04-01";

export interface ExecutorWorkerOptions {
  /** the bundle built by scripts/build/20-executor.mjs */
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
  /** persist KV, D1 and R2 under this folder; undefined keeps them in memory */
  persistDir?: string;
}

export function executorMiniflareOptions(options: ExecutorWorkerOptions): MiniflareOptions {
  const persist = (what: string) => (options.persistDir ? `${options.persistDir}/${what}` : false);
  const bindings: Record<string, string> = {};
  if (options.apiKey !== undefined) bindings.ARCRUN_API_KEY = options.apiKey;
  if (options.apiKeyHint !== undefined) bindings.ARCRUN_API_KEY_HINT = options.apiKeyHint;
  if (options.encryptionKey !== undefined) bindings.ARCRUN_ENCRYPTION_KEY = options.encryptionKey;
  return {
    name: "arcrun-executor",
    modules: true,
    scriptPath: options.scriptPath,
    // module names are paths relative to this root; the bundle's folder keeps them inside it
    modulesRoot: options.scriptPath.replace(/[\\/][^\\/]*$/, ""),
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: COMPATIBILITY_DATE,
    // no network at start: Miniflare would otherwise fetch request.cf data
    cf: false,
    // Miniflare's own entry socket goes through its entry worker (≈2.8× slower): keep it
    // on an ephemeral loopback port and serve users on the direct socket instead.
    host: "127.0.0.1",
    port: 0,
    unsafeDirectSockets: [{ host: options.host ?? "127.0.0.1", port: options.port ?? 0 }],
    kvNamespaces: { WEBHOOKS: "webhooks", CREDENTIALS_KV: "credentials" },
    d1Databases: { ARCRUN_DB: "arcrun" },
    r2Buckets: { WASM_BUCKET: "wasm" },
    workerLoaders: { LOADER: {} },
    kvPersist: persist("kv"),
    d1Persist: persist("d1"),
    r2Persist: persist("r2"),
    bindings,
  };
}
