/**
 * The few Cloudflare REST API calls a shared deployment makes, with the tenant's own token:
 * token verify (auth Worker), and the tenant's KV namespace — namespace, keys list, values, bulk
 * get (auth Worker at registration, executor at run time), value put/delete (`acr creds push` in
 * standard mode, with the user's own write token). Platform-free: `fetch` only.
 *
 * Every JSON answer is the documented envelope `{success, errors: [{code, message}], messages,
 * result, result_info?}`; a value read answers the raw bytes (404 with code 10009 when absent).
 * 429 and 5xx are retried with backoff (Retry-After honoured, at most `retries` times), then
 * surface as `CloudflareApiError` with `retryable: true`. The base URL is
 * `CLOUDFLARE_API_BASE_URL` when set (as wrangler does), else api.cloudflare.com/client/v4.
 * The token is sent only as `Authorization: Bearer` and appears in no error message.
 */
export const CLOUDFLARE_API_BASE = "https://api.cloudflare.com/client/v4";

export interface CloudflareApiOptions {
  token: string;
  /** CLOUDFLARE_API_BASE_URL; default CLOUDFLARE_API_BASE */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** 429/5xx retries (default 2) and the first backoff in ms (default 200, doubled each time, capped by Retry-After ≤ 5 s) */
  retries?: number;
  backoffMs?: number;
  /** extra headers on every call (the executor's egress allowance for an operator-set local base) */
  headers?: Record<string, string>;
}

export class CloudflareApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** the envelope's first error code (e.g. 10000 authentication error, 10009 key not found), 0 when none */
    readonly cfCode: number,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "CloudflareApiError";
  }
}

interface Envelope<T> {
  success: boolean;
  errors?: { code: number; message: string }[];
  result: T;
  result_info?: { count?: number; cursor?: string };
}

export interface CloudflareApi {
  verifyToken(): Promise<{ id: string; status: string; expires_on?: string }>;
  getNamespace(accountId: string, namespaceId: string): Promise<{ id: string; title: string }>;
  /** one page of key names; `cursor` empty when done */
  listKeys(accountId: string, namespaceId: string, options?: { prefix?: string; cursor?: string; limit?: number }): Promise<{ names: string[]; cursor?: string }>;
  /** a value as text, or null when the key does not exist */
  getValue(accountId: string, namespaceId: string, key: string): Promise<string | null>;
  /** up to 100 values in one call (`POST …/bulk/get`); absent keys map to null */
  bulkGet(accountId: string, namespaceId: string, keys: string[]): Promise<Record<string, string | null>>;
  /** write one value (`PUT …/values/:key`, the raw body); needs a token with KV write access (`acr creds push`) */
  putValue(accountId: string, namespaceId: string, key: string, value: string): Promise<void>;
  /** delete one value (`DELETE …/values/:key`); an absent key is no error */
  deleteValue(accountId: string, namespaceId: string, key: string): Promise<void>;
}

export function cloudflareApi(options: CloudflareApiOptions): CloudflareApi {
  const base = (options.baseUrl || CLOUDFLARE_API_BASE).replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  const retries = options.retries ?? 2;
  const backoff = options.backoffMs ?? 200;

  async function call(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${options.token}`);
    for (const [k, v] of Object.entries(options.headers ?? {})) headers.set(k, v);
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await doFetch(base + path, { ...init, headers });
      } catch (error) {
        if (attempt < retries) {
          await sleep(backoff * 2 ** attempt);
          continue;
        }
        throw new CloudflareApiError(`The Cloudflare API did not answer (${(error as Error).message}).`, 0, 0, true);
      }
      if ((res.status === 429 || res.status >= 500) && attempt < retries) {
        const after = Number(res.headers.get("retry-after"));
        await res.body?.cancel();
        await sleep(Number.isFinite(after) && after > 0 ? Math.min(after * 1000, 5000) : backoff * 2 ** attempt);
        continue;
      }
      return res;
    }
  }

  async function envelope<T>(path: string, init?: RequestInit): Promise<Envelope<T>> {
    const res = await call(path, init);
    let body: Envelope<T> | undefined;
    try {
      body = (await res.json()) as Envelope<T>;
    } catch {
      body = undefined;
    }
    if (res.ok && body?.success) return body;
    throw failure(res.status, body);
  }

  const kv = (accountId: string, namespaceId: string) => `/accounts/${encodeURIComponent(accountId)}/storage/kv/namespaces/${encodeURIComponent(namespaceId)}`;

  return {
    async verifyToken() {
      return (await envelope<{ id: string; status: string; expires_on?: string }>("/user/tokens/verify")).result;
    },
    async getNamespace(accountId, namespaceId) {
      return (await envelope<{ id: string; title: string }>(kv(accountId, namespaceId))).result;
    },
    async listKeys(accountId, namespaceId, opts = {}) {
      const query = new URLSearchParams();
      if (opts.prefix) query.set("prefix", opts.prefix);
      if (opts.cursor) query.set("cursor", opts.cursor);
      if (opts.limit) query.set("limit", String(opts.limit));
      const body = await envelope<{ name: string }[]>(`${kv(accountId, namespaceId)}/keys${query.size ? `?${query}` : ""}`);
      return { names: body.result.map((k) => k.name), cursor: body.result_info?.cursor || undefined };
    },
    async getValue(accountId, namespaceId, key) {
      const res = await call(`${kv(accountId, namespaceId)}/values/${encodeURIComponent(key)}`);
      if (res.ok) return res.text();
      let body: Envelope<unknown> | undefined;
      try {
        body = (await res.json()) as Envelope<unknown>;
      } catch {
        body = undefined;
      }
      if (res.status === 404 && (body?.errors?.[0]?.code === 10009 || !body)) return null;
      throw failure(res.status, body);
    },
    async bulkGet(accountId, namespaceId, keys) {
      const body = await envelope<{ values: Record<string, string | null> }>(`${kv(accountId, namespaceId)}/bulk/get`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ keys, type: "text" }),
      });
      return body.result.values;
    },
    async putValue(accountId, namespaceId, key, value) {
      await envelope<unknown>(`${kv(accountId, namespaceId)}/values/${encodeURIComponent(key)}`, {
        method: "PUT",
        headers: { "content-type": "text/plain" },
        body: value,
      });
    },
    async deleteValue(accountId, namespaceId, key) {
      await envelope<unknown>(`${kv(accountId, namespaceId)}/values/${encodeURIComponent(key)}`, { method: "DELETE" });
    },
  };
}

function failure(status: number, body: Envelope<unknown> | undefined): CloudflareApiError {
  const first = body?.errors?.[0];
  const what = first ? `${first.message} (code ${first.code})` : `HTTP ${status}`;
  return new CloudflareApiError(`The Cloudflare API refused: ${what}.`, status, first?.code ?? 0, status === 429 || status >= 500 || status === 0);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A tenant's KV namespace as the credential vault's port (ports/key-value-store.ts), through the
 * REST API: `acr creds push` in standard mode stores sealed records with `CredentialVault` over it.
 */
export function cloudflareKvStore(api: CloudflareApi, accountId: string, namespaceId: string): import("../ports/key-value-store").KeyValueStore {
  return {
    get: (key) => api.getValue(accountId, namespaceId, key),
    put: (key, value) => api.putValue(accountId, namespaceId, key, value),
    delete: (key) => api.deleteValue(accountId, namespaceId, key),
    async keys(prefix) {
      const names: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await api.listKeys(accountId, namespaceId, { prefix, cursor });
        names.push(...page.names);
        cursor = page.cursor;
      } while (cursor);
      return names.sort();
    },
  };
}
