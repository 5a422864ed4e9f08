/**
 * Access tokens obtained from a credential: the OAuth 2 refresh-token grant (RFC 6749 §6) and
 * Google's service-account flow (an RS256 JWT, RFC 7523, signed with Web Crypto). Tokens are
 * cached until shortly before they expire; the cache is a port, so the executor can keep them
 * across runs (they are secrets: it must store them as such).
 */
import type { NodeError } from "../components/types";
import { bytesToBase64Url, base64ToBytes, utf8 } from "../crypto/base64";
import { sha256Hex } from "../crypto/digest";
import { pushCommandHint } from "../credentials/errors";
import { readCapped } from "./http";

export interface CachedToken {
  access_token: string;
  /** epoch milliseconds */
  expires_at: number;
}

export interface TokenCache {
  get(key: string): Promise<CachedToken | undefined>;
  put(key: string, token: CachedToken): Promise<void>;
  delete(key: string): Promise<void>;
}

export function memoryTokenCache(): TokenCache {
  const tokens = new Map<string, CachedToken>();
  return {
    async get(key) { return tokens.get(key); },
    async put(key, token) { tokens.set(key, token); },
    async delete(key) { tokens.delete(key); },
  };
}

/** Renew a token this long before it expires. */
const EXPIRY_MARGIN_MS = 60_000;
const JWT_LIFETIME_S = 3600;

export interface TokenRequest {
  kind: "oauth2_refresh" | "google_service_account";
  /** the stored credential's name (for messages and the cache key) */
  name: string;
  value: string;
  tokenUrl: string;
  scope?: string;
  fetch: typeof fetch;
  now(): number;
  /** every secret met on the way (client secret, refresh token, private key, access token) */
  secret(name: string, value: string): void;
}

export type TokenResult = { ok: true; token: string; cacheKey: string } | { ok: false; error: NodeError };

export async function cacheKeyFor(req: Pick<TokenRequest, "kind" | "name" | "value" | "tokenUrl" | "scope">): Promise<string> {
  // the value's digest: re-pushing the credential never reuses the old token
  return `${req.kind}:${req.name}:${(await sha256Hex(`${req.value}\n${req.tokenUrl}\n${req.scope ?? ""}`)).slice(0, 32)}`;
}

export async function accessToken(req: TokenRequest, cache: TokenCache, fresh: boolean): Promise<TokenResult> {
  const cacheKey = await cacheKeyFor(req);
  if (!fresh) {
    const cached = await cache.get(cacheKey);
    if (cached && cached.expires_at - EXPIRY_MARGIN_MS > req.now()) {
      req.secret(`${req.name}.access_token`, cached.access_token);
      return { ok: true, token: cached.access_token, cacheKey };
    }
  } else {
    await cache.delete(cacheKey);
  }
  const body = req.kind === "oauth2_refresh" ? await refreshGrant(req) : await serviceAccountGrant(req);
  if ("error" in body) return { ok: false, error: body.error };
  const answer = await postToken(req, body.form);
  if (!answer.ok) return answer;
  await cache.put(cacheKey, answer.token);
  return { ok: true, token: answer.token.access_token, cacheKey };
}

function invalidCredential(req: TokenRequest, what: string): { error: NodeError } {
  return {
    error: {
      code: "credential_invalid",
      message: `credential "${req.name}" is not ${what}: ${pushCommandHint(req.name)} with the right value`,
      details: { credential: req.name },
      retryable: false,
    },
  };
}

function parseJsonCredential(req: TokenRequest): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(req.value);
    return value && typeof value === "object" && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

async function refreshGrant(req: TokenRequest): Promise<{ form: URLSearchParams } | { error: NodeError }> {
  const json = parseJsonCredential(req);
  const { client_id, client_secret, refresh_token } = json ?? {};
  if (typeof client_id !== "string" || typeof refresh_token !== "string" || (client_secret !== undefined && typeof client_secret !== "string")) {
    return invalidCredential(req, "JSON with client_id, client_secret and refresh_token");
  }
  req.secret(`${req.name}.refresh_token`, refresh_token);
  if (client_secret) req.secret(`${req.name}.client_secret`, client_secret);
  const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token, client_id });
  if (client_secret) form.set("client_secret", client_secret);
  if (req.scope) form.set("scope", req.scope);
  return { form };
}

async function serviceAccountGrant(req: TokenRequest): Promise<{ form: URLSearchParams } | { error: NodeError }> {
  const json = parseJsonCredential(req);
  const email = json?.client_email;
  const pem = json?.private_key;
  if (typeof email !== "string" || typeof pem !== "string") return invalidCredential(req, "a service-account key (JSON with client_email and private_key)");
  req.secret(`${req.name}.private_key`, pem);
  const der = pemToDer(pem);
  let key: CryptoKey;
  try {
    if (!der) throw new Error("not PEM");
    key = await crypto.subtle.importKey("pkcs8", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
  } catch {
    return invalidCredential(req, "a service-account key with a PKCS #8 RSA private_key");
  }
  const iat = Math.floor(req.now() / 1000);
  const claims = { iss: email, scope: req.scope ?? "", aud: req.tokenUrl, iat, exp: iat + JWT_LIFETIME_S };
  const header = { alg: "RS256", typ: "JWT", ...(typeof json?.private_key_id === "string" ? { kid: json.private_key_id } : {}) };
  const signingInput = `${b64json(header)}.${b64json(claims)}`;
  const signature = new Uint8Array(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", key, utf8.encode(signingInput)));
  const assertion = `${signingInput}.${bytesToBase64Url(signature)}`;
  req.secret(`${req.name}.assertion`, assertion);
  return { form: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }) };
}

function b64json(value: unknown): string {
  return bytesToBase64Url(utf8.encode(JSON.stringify(value)));
}

function pemToDer(pem: string): ArrayBuffer | undefined {
  const body = /-----BEGIN PRIVATE KEY-----([\s\S]*?)-----END PRIVATE KEY-----/.exec(pem)?.[1];
  if (!body) return undefined;
  return base64ToBytes(body.replace(/\s+/g, ""))?.buffer;
}

const MAX_TOKEN_RESPONSE = 64 * 1024;

async function postToken(req: TokenRequest, form: URLSearchParams): Promise<{ ok: true; token: CachedToken } | { ok: false; error: NodeError }> {
  const where = new URL(req.tokenUrl).origin + new URL(req.tokenUrl).pathname;
  let response: Response;
  try {
    response = await req.fetch(req.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: form.toString(),
      redirect: "manual",
    });
  } catch (error) {
    return { ok: false, error: { code: "network_error", message: `getting an access token for "${req.name}" from ${where} failed: ${(error as Error).message}`, retryable: true } };
  }
  const text = (await readCapped(response, MAX_TOKEN_RESPONSE).catch(() => undefined)) ?? "";
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (response.status >= 400 && response.status < 500) {
    const reason = typeof json?.error === "string" ? json.error : `HTTP ${response.status}`;
    const renew = req.kind === "oauth2_refresh"
      ? "authorise the app again to get a new refresh token"
      : "create a new key for the service account (or give it access again)";
    return {
      ok: false,
      error: {
        code: "credential_expired",
        message: `credential "${req.name}" was refused by ${where} (${reason}): ${renew}, then ${pushCommandHint(req.name)}`,
        details: { credential: req.name, status: response.status, provider_code: reason },
        retryable: false,
      },
    };
  }
  if (response.status !== 200 || typeof json?.access_token !== "string") {
    return { ok: false, error: { code: "http_error", message: `${where} answered ${response.status} without an access token for "${req.name}"`, details: { status: response.status }, retryable: response.status >= 500 } };
  }
  req.secret(`${req.name}.access_token`, json.access_token);
  const expiresIn = typeof json.expires_in === "number" ? json.expires_in : Number(json.expires_in ?? 3600);
  return { ok: true, token: { access_token: json.access_token, expires_at: req.now() + (Number.isFinite(expiresIn) ? expiresIn : 3600) * 1000 } };
}
