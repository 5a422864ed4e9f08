/**
 * `POST /register {email, account_id, kv_namespace_id}` with the tenant's read-only Cloudflare KV
 * token in `CF-Api-Token`: counted against the caller's address, checked with Cloudflare
 * (verify.ts), then stored with the token and a fresh data key sealed (seal.ts). Answers once
 * `{tenant_id, api_key, key_id, data_key}` (201).
 */
import { Hono } from "hono";
import { arcrunError } from "@arcrun/core/errors";
import { CF_TOKEN_HEADER, RegisterRequestSchema, TOKEN_BODY_FIELDS, type RegisterResponse } from "@arcrun/core/tenants/index";
import { generateEncryptionKey } from "@arcrun/core/crypto/index";
import type { AppEnv } from "../env";
import { jsonBody, parseBody } from "../errors";
import { clientIp, countRegistration } from "../rate-limit";
import { seal, sealingKey } from "../seal";
import { AccountStore, newTenantId } from "../store";
import { verifyTenantToken } from "../verify";
import type { AppDeps } from "../app";

export function register(deps: Required<AppDeps>) {
  return new Hono<AppEnv>().post("/", async (c) => {
    await countRegistration(c.env, clientIp(c.req.raw.headers), deps.now());
    const body = await jsonBody(c);
    refuseTokenInBody(body);
    const token = cfToken(c.req.header(CF_TOKEN_HEADER));
    const request = parseBody(RegisterRequestSchema, body, "Send {email, account_id, kv_namespace_id}; account and namespace ids are 32 lowercase hex characters (`wrangler whoami`, `wrangler kv namespace list`).");
    const key = await sealingKey(c.env);
    await verifyTenantToken(c.env, token, request);
    const tenant_id = newTenantId();
    const data_key = generateEncryptionKey();
    const store = new AccountStore(c.env.ACCOUNTS_KV, deps.now);
    await store.putTenant({
      tenant_id,
      email: request.email,
      account_id: request.account_id,
      kv_namespace_id: request.kv_namespace_id,
      token: await seal(key, tenant_id, "token", token),
      data_key: await seal(key, tenant_id, "data_key", data_key),
      created_at: new Date(deps.now()).toISOString(),
    });
    const created = await store.createKey(tenant_id);
    return c.json({ tenant_id, api_key: created.api_key, key_id: created.key_id, data_key } satisfies RegisterResponse, 201);
  });
}

/** A token-like field in the body: refused before anything else looks at it (it is not echoed). */
export function refuseTokenInBody(body: unknown): void {
  if (!body || typeof body !== "object" || Array.isArray(body)) return;
  const field = Object.keys(body).find((k) => (TOKEN_BODY_FIELDS as readonly string[]).includes(k.toLowerCase()));
  if (field) {
    throw arcrunError("token_in_body", `The body has a "${field}" field: a Cloudflare token is accepted only in the CF-Api-Token header.`, {
      hint: "Move the token into the `CF-Api-Token` header and send only {email, account_id, kv_namespace_id} in the body.",
      details: { field },
    });
  }
}

/** The header's token, or 400 cloudflare_token_missing. */
export function cfToken(header: string | undefined): string {
  const token = header?.trim();
  if (!token) {
    throw arcrunError("cloudflare_token_missing", "The CF-Api-Token header is missing.", {
      hint: "Create a Cloudflare API token with Workers KV Storage: Read and send it in `CF-Api-Token`.",
    });
  }
  if (token.length > 512 || /\s/.test(token)) {
    throw arcrunError("cloudflare_token_invalid", "The CF-Api-Token header does not hold a Cloudflare API token.", { hint: "Paste the token exactly as Cloudflare showed it." });
  }
  return token;
}
