/**
 * A shared deployment (issue 15), seen from the CLI: the auth Worker's URL and the tenant's API
 * key (what `acr init --standard --auth-url` wrote into the config), and a client for it.
 *
 *   auth URL: --auth-url, else ARCRUN_AUTH_URL, else the config's `auth_url`
 *   API key:  ARCRUN_API_KEY, else the config's `api_key` (only to the auth URL the config names)
 */
import { createClient, type ArcrunClient } from "../client";
import { readConfig, type LoadedConfig } from "../config";
import { CliError } from "../exit";
import { parseServerUrl } from "../settings";

type Env = Record<string, string | undefined>;

export function authUrlOf(given: string | undefined, env: Env, loaded: LoadedConfig): string | undefined {
  const raw = given ?? (env.ARCRUN_AUTH_URL || undefined) ?? loaded.config.auth_url;
  return raw === undefined ? undefined : parseServerUrl(raw);
}

/** The auth Worker with the tenant's key (keys, tenant delete). */
export function tenantAuthClient(given: string | undefined, env: Env, fetchImpl: typeof fetch): { client: ArcrunClient; loaded: LoadedConfig } {
  const loaded = readConfig(env);
  const url = authUrlOf(given, env, loaded);
  if (!url) {
    throw new CliError("no auth Worker: this config was not registered with a shared deployment", { code: "auth_url_missing" });
  }
  const configured = loaded.config.auth_url && parseServerUrl(loaded.config.auth_url) === url ? loaded.config.api_key : undefined;
  const apiKey = env.ARCRUN_API_KEY || configured;
  if (!apiKey) {
    throw new CliError(`no API key for the auth Worker at ${url}`, { code: "not_registered", hint: "register with `acr init --standard --url <executor> --auth-url <auth>`, or set ARCRUN_API_KEY" });
  }
  return { client: authClient(url, fetchImpl, apiKey), loaded };
}

export function authClient(url: string, fetchImpl: typeof fetch, apiKey?: string): ArcrunClient {
  return createClient(
    {
      url,
      apiKey,
      apiKeySource: apiKey ? "ARCRUN_API_KEY or the arcrun config" : undefined,
      keyHint: "the auth Worker refused the API key (unknown, revoked, or the tenant was deleted): use another key of yours (ARCRUN_API_KEY), or register again with `acr init --standard --force`",
      unreachable: (base, error) =>
        new CliError(`cannot reach the auth Worker at ${base}${(error as { cause?: { code?: string } })?.cause?.code ? ` (${(error as { cause: { code: string } }).cause.code})` : ""}`, { code: "auth_unreachable" }),
    },
    fetchImpl,
  );
}
