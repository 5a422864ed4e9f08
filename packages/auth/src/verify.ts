/**
 * Checks a tenant's Cloudflare token before anything is stored: `GET /user/tokens/verify` must
 * say `active`, then the named KV namespace must be readable with it (the namespace, and one page
 * of its keys — what the executor will do at run time). Each failure is its own 4xx; the token
 * is in no message.
 */
import { arcrunError } from "@arcrun/core/errors";
import { CloudflareApiError, cloudflareApi } from "@arcrun/core/tenants/index";
import type { Env } from "./env";

export async function verifyTenantToken(env: Env, token: string, where: { account_id: string; kv_namespace_id: string }): Promise<void> {
  const api = cloudflareApi({ token, baseUrl: env.CLOUDFLARE_API_BASE_URL });
  let status: string;
  try {
    status = (await api.verifyToken()).status;
  } catch (error) {
    throw unavailable(error) ?? arcrunError("cloudflare_token_invalid", "Cloudflare does not accept the token in CF-Api-Token.", {
      hint: "Create a token at dash.cloudflare.com → My Profile → API Tokens with Workers KV Storage: Read, and send it in `CF-Api-Token`.",
      details: { cloudflare_status: (error as CloudflareApiError).status },
    });
  }
  if (status !== "active") {
    throw arcrunError("cloudflare_token_invalid", `The token in CF-Api-Token is ${status}, not active.`, { hint: "Create a new token (Workers KV Storage: Read) and send it in `CF-Api-Token`." });
  }
  try {
    await api.getNamespace(where.account_id, where.kv_namespace_id);
    await api.listKeys(where.account_id, where.kv_namespace_id, { limit: 10 });
  } catch (error) {
    throw unavailable(error) ?? arcrunError("cloudflare_kv_unreadable", `The token cannot read KV namespace ${where.kv_namespace_id} of account ${where.account_id}.`, {
      hint: "Give the token Workers KV Storage: Read on that account, and check account_id and kv_namespace_id (`wrangler kv namespace list`).",
      details: { cloudflare_status: (error as CloudflareApiError).status },
    });
  }
}

function unavailable(error: unknown) {
  if (error instanceof CloudflareApiError && !error.retryable) return undefined;
  return arcrunError("cloudflare_api_unavailable", "The Cloudflare API did not answer the token check; nothing was stored.", { hint: "Try again shortly." });
}
