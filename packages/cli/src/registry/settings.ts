/**
 * Where the registry is and which keys to send (`acr parts search|info|submit|install|approve|reject`).
 *
 *   URL:        --registry, else REGISTRY_URL, else the config's `registry_url`, else the local
 *               registry http://127.0.0.1:$REGISTRY_PORT (8788).
 *   author key: REGISTRY_KEY, else the config's `registry_key` (for that URL), else — for a
 *               registry on this machine — the local API key (.arcrun/api-key: author "local").
 *   admin key:  REGISTRY_ADMIN_KEY, else — on this machine — .arcrun/registry-admin-key.
 * Local key files are only ever sent to a loopback registry.
 */
import { API_KEY_FILE, DEFAULT_REGISTRY_PORT, REGISTRY_ADMIN_KEY_FILE } from "@arcrun/local/host/state";
import { createClient, networkCode, type ArcrunClient } from "../client";
import { readConfig } from "../config";
import type { CliContext } from "../context";
import { CliError } from "../exit";
import { findLocalKeyFile, isLoopback, parseServerUrl, type ServerSettings } from "../settings";

type Env = Record<string, string | undefined>;

export function registryUrl(ctx: CliContext, flag?: string): string {
  const { config } = readConfig(ctx.io.env);
  const configured = typeof config.registry_url === "string" ? config.registry_url : undefined;
  return parseServerUrl(flag ?? ctx.io.env.REGISTRY_URL ?? configured ?? `http://127.0.0.1:${ctx.io.env.REGISTRY_PORT || DEFAULT_REGISTRY_PORT}`);
}

const unreachable = (base: string, error: unknown) => {
  const code = networkCode(error);
  return new CliError(`cannot reach the registry at ${base}${code ? ` (${code})` : ""}`, {
    code: "registry_unreachable",
    hint: "start the local server (`npm start` or `acr dev` serves the registry on REGISTRY_PORT, default 8788), or point --registry / REGISTRY_URL at a running one",
  });
};

function authorKey(ctx: CliContext, url: string): { key: string; source: string } | undefined {
  const env: Env = ctx.io.env;
  if (env.REGISTRY_KEY) return { key: env.REGISTRY_KEY, source: "REGISTRY_KEY" };
  const { config, path } = readConfig(env);
  if (typeof config.registry_key === "string" && typeof config.registry_url === "string" && parseServerUrl(config.registry_url) === url) return { key: config.registry_key, source: path };
  if (!isLoopback(url)) return undefined;
  const found = findLocalKeyFile(API_KEY_FILE, env.ARCRUN_STATE_DIR, ctx.io.cwd);
  return found ? { key: found.key, source: found.path } : undefined;
}

function adminKey(ctx: CliContext, url: string): { key: string; source: string } | undefined {
  const env: Env = ctx.io.env;
  if (env.REGISTRY_ADMIN_KEY) return { key: env.REGISTRY_ADMIN_KEY, source: "REGISTRY_ADMIN_KEY" };
  if (!isLoopback(url)) return undefined;
  const found = findLocalKeyFile(REGISTRY_ADMIN_KEY_FILE, env.ARCRUN_STATE_DIR, ctx.io.cwd);
  return found ? { key: found.key, source: found.path } : undefined;
}

export type RegistryRole = "reader" | "author" | "admin";

/**
 * A client for the registry. `reader` sends the author key when there is one (the caller's own
 * unapproved components are listed too); `author` and `admin` require their key.
 */
export function registryClient(ctx: CliContext, role: RegistryRole, flag?: string): ArcrunClient {
  const url = registryUrl(ctx, flag);
  const key = role === "admin" ? adminKey(ctx, url) : authorKey(ctx, url);
  if (!key && role === "author") {
    throw new CliError(`no registry key for ${url}`, { code: "registry_key_missing", hint: "set REGISTRY_KEY (your author key), or run inside the project whose .arcrun/api-key the local server created" });
  }
  if (!key && role === "admin") {
    throw new CliError(`no registry admin key for ${url}`, { code: "admin_key_missing", hint: "set REGISTRY_ADMIN_KEY, or run inside the project whose .arcrun/registry-admin-key the local server created" });
  }
  const settings: ServerSettings = {
    url,
    apiKey: key?.key,
    apiKeySource: key?.source,
    keyHint: key
      ? `the registry refused the key from ${key.source}: ${role === "admin" ? "approving and rejecting need the admin key (REGISTRY_ADMIN_KEY)" : "check REGISTRY_KEY"}`
      : "the registry needs a key: set REGISTRY_KEY (REGISTRY_ADMIN_KEY to approve)",
    unreachable,
  };
  return createClient(settings, ctx.io.fetch);
}

/** `--registry <url>` on a command. */
export const REGISTRY_OPTION = ["--registry <url>", "registry URL (default: $REGISTRY_URL, else the config's registry_url, else http://127.0.0.1:$REGISTRY_PORT or 8788)"] as const;
