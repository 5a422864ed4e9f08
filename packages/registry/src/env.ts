/** The registry Worker's bindings and the Hono environment its routes share. */
import type { Caller } from "./auth";

export interface Env {
  /** components, versions, submissions and usage counters (migrations/) */
  REGISTRY_DB: D1Database;
  /** modules, contracts and feature files of accepted versions */
  REGISTRY_BUCKET: R2Bucket;
  /** runs submitted modules in fresh isolates during acceptance */
  LOADER: WorkerLoader;
  /** the admin key: approves and rejects submissions (a Worker secret) */
  REGISTRY_ADMIN_KEY?: string;
  /** authors' keys as JSON `{"<author>": "<key>", ...}` (a Worker secret) */
  REGISTRY_KEYS?: string;
  /** overrides COLD_START_MAX_MS (milliseconds, a number) */
  REGISTRY_COLD_START_MAX_MS?: string;
  /** where the keys live, shown in 401 hints (set by the local dev server) */
  REGISTRY_KEY_HINT?: string;
}

export interface AppEnv {
  Bindings: Env;
  Variables: { caller: Caller | undefined };
}
