/**
 * Where the server is and which key to send. A new user never copies a key: for a server
 * on this machine the CLI reads the key `acr dev` / `npm start` stored in the state folder.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { API_KEY_FILE, DEFAULT_PORT, STATE_DIR_NAME } from "@arcrun/local/host/state";
import { usageError } from "./exit";

// the local server's port, state folder and key file: one definition, shared with @arcrun/local
export { API_KEY_FILE, DEFAULT_PORT, STATE_DIR_NAME };

export interface ServerSettings {
  url: string;
  apiKey?: string;
  /** where the key came from, for the 401 hint: "ARCRUN_API_KEY" or a file path */
  apiKeySource?: string;
  /** the 401/403 hint, when it is not the executor's (the registry's keys) */
  keyHint?: string;
  /** the error for a server nobody answers at, when it is not the executor's */
  unreachable?: (base: string, error: unknown) => Error;
}

export function defaultServerUrl(env: Record<string, string | undefined>): string {
  return `http://127.0.0.1:${env.PORT || DEFAULT_PORT}`;
}

/** What `acr init` stored (config.ts): used after --url / ARCRUN_URL and ARCRUN_API_KEY. */
export interface ConfiguredServer {
  url?: string;
  api_key?: string;
  /** the config file, for the 401 hint */
  path?: string;
}

export function resolveServerSettings(options: { url?: string; config?: ConfiguredServer }, env: Record<string, string | undefined>, cwd: string): ServerSettings {
  const raw = options.url ?? env.ARCRUN_URL ?? options.config?.url ?? defaultServerUrl(env);
  const url = parseServerUrl(raw);
  if (env.ARCRUN_API_KEY) return { url, apiKey: env.ARCRUN_API_KEY, apiKeySource: "ARCRUN_API_KEY" };
  // The configured key goes only to the server it was configured for.
  const configured = options.config;
  if (configured?.api_key && configured.url && parseServerUrl(configured.url) === url) {
    return { url, apiKey: configured.api_key, apiKeySource: configured.path ?? "the arcrun config" };
  }
  // The stored local key is only ever sent to a server on this machine.
  if (!isLoopback(url)) return { url };
  const found = findLocalApiKeyFile(env.ARCRUN_STATE_DIR, cwd);
  return found ? { url, apiKey: found.key, apiKeySource: found.path } : { url };
}

export function parseServerUrl(raw: string): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw usageError(`"${raw}" is not a server URL`, "use a full URL, e.g. --url http://127.0.0.1:8787");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw usageError(`"${raw}" is not an http(s) URL`, "use a full URL, e.g. --url http://127.0.0.1:8787");
  }
  return parsed.href.replace(/\/+$/, "");
}

export function isLoopback(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * The key the local server generated: `$ARCRUN_STATE_DIR/api-key` when the variable is set,
 * else `.arcrun/api-key` in the working folder or the nearest parent that has one.
 * Same rule as `findLocalApiKey()` in src/dev/server.ts, kept here so ordinary commands
 * do not load Miniflare just to read a file.
 */
export function findLocalApiKeyFile(stateDir: string | undefined, cwd: string): { key: string; path: string } | undefined {
  return findLocalKeyFile(API_KEY_FILE, stateDir, cwd);
}

/** A key file of the local server's state folder (`api-key`, `registry-admin-key`), by the rule above. */
export function findLocalKeyFile(file: string, stateDir: string | undefined, cwd: string): { key: string; path: string } | undefined {
  const candidates: string[] = [];
  if (stateDir) candidates.push(join(isAbsolute(stateDir) ? stateDir : resolve(cwd, stateDir), file));
  else {
    for (let dir = resolve(cwd); ; dir = dirname(dir)) {
      candidates.push(join(dir, STATE_DIR_NAME, file));
      if (dirname(dir) === dir) break;
    }
  }
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    const key = readFileSync(path, "utf8").trim();
    if (key) return { key, path };
  }
  return undefined;
}
