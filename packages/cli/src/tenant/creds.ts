/**
 * `acr creds push | rm` in standard mode (a shared deployment, issue 15): the records are sealed
 * here with the tenant's data key and written straight into the user's own KV namespace through
 * the Cloudflare KV REST API with the user's own token (CLOUDFLARE_API_TOKEN, Workers KV Storage:
 * Edit; base URL CLOUDFLARE_API_BASE_URL). The executor and the auth Worker never see the value,
 * and never this token: the executor only reads the namespace with the read-only token given at
 * registration. Same vault as the executor's (core's CredentialVault over core's Cloudflare
 * client), so the record format and created / updated / unchanged are the same.
 */
import { parseEncryptionKey, type EncryptionKey } from "@arcrun/core/crypto/key";
import { CredentialVault } from "@arcrun/core/credentials/vault";
import { CloudflareApiError, cloudflareApi, cloudflareKvStore } from "@arcrun/core/tenants/cloudflare-api";
import type { LoadedConfig } from "../config";
import { CliError } from "../exit";
import { cliErrors } from "../credentials/errors";
import { parseServerUrl } from "../settings";

export interface TenantVault {
  vault: CredentialVault;
  key: EncryptionKey;
  where: string;
}

/** The tenant's vault when the config is registered with a shared deployment and the command targets its executor; else undefined. */
export async function tenantVault(loaded: LoadedConfig, serverUrl: string, env: Record<string, string | undefined>): Promise<TenantVault | undefined> {
  const c = loaded.config;
  if (c.mode !== "standard" || !c.data_key || !c.tenant_id || !c.url || parseServerUrl(c.url) !== serverUrl) return undefined;
  if (!c.account_id || !c.kv_namespace_id) {
    throw new CliError(`${loaded.path} has a data key but no account_id / kv_namespace_id`, { code: "config_invalid", hint: "register again with `acr init --standard --auth-url ... --force`" });
  }
  const token = env.CLOUDFLARE_API_TOKEN;
  if (!token) throw new CliError("CLOUDFLARE_API_TOKEN is not set: your credentials are written into your own KV namespace with your own token", { code: "kv_write_token_missing" });
  const key = await cliErrors(() => parseEncryptionKey(c.data_key!, { source: `${loaded.path} (data_key)` }));
  const api = cloudflareApi({ token, baseUrl: env.CLOUDFLARE_API_BASE_URL || undefined });
  return { vault: new CredentialVault(cloudflareKvStore(api, c.account_id, c.kv_namespace_id), { keyId: key.id }), key, where: `KV namespace ${c.kv_namespace_id} on account ${c.account_id}` };
}

/** Core's Cloudflare errors as the CLI's: a refusal names the permission, 429/5xx says to run again. */
export async function cloudflareErrors<T>(accountId: string | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await cliErrors(fn);
  } catch (error) {
    if (!(error instanceof CloudflareApiError)) throw error;
    if (error.retryable) throw new CliError(error.message, { code: "cloudflare_unavailable" });
    throw new CliError(error.message, {
      code: "cloudflare_request_refused",
      hint: error.status === 401 || error.status === 403
        ? `CLOUDFLARE_API_TOKEN needs Workers KV Storage: Edit on account ${accountId ?? "(yours)"}; nothing more was written`
        : undefined,
    });
  }
}
