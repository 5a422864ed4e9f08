/**
 * A small client of the Cloudflare REST API (v4) for `acr init --self-hosted` and `acr deploy`.
 *
 *   const cf = cloudflareClient({ token, env });   // base: $CLOUDFLARE_API_BASE_URL or the public API
 *   const namespaces = await cf.all("GET", `/accounts/${id}/storage/kv/namespaces`);
 *
 * Every answer is the documented envelope `{success, errors: [{code, message}], messages, result,
 * result_info}`; `success: false` (or a non-2xx status) becomes a CloudflareApiError carrying the
 * status and the errors. 429 and 5xx answers are retried with exponential backoff (Retry-After
 * honoured up to 10 s), four attempts in all; what still fails is thrown, and the next run resumes.
 * The token is sent only as `Authorization: Bearer` and never appears in an error.
 */
export const DEFAULT_API_BASE_URL = "https://api.cloudflare.com/client/v4";

export interface CloudflareError {
  code: number;
  message: string;
}

export class CloudflareApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly errors: CloudflareError[],
  ) {
    super(`${method} ${path.split("?")[0]} answered ${status}: ${errors.map((e) => `${e.message} (code ${e.code})`).join("; ") || "no error details"}`);
    this.name = "CloudflareApiError";
  }

  has(code: number): boolean {
    return this.errors.some((e) => e.code === code);
  }
}

export interface CloudflareClientOptions {
  token: string;
  /** CLOUDFLARE_API_BASE_URL (the variable wrangler honours; proxies and tests) */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** first retry delay (doubles each time); default 500 ms */
  retryDelayMs?: number;
  attempts?: number;
}

export interface Envelope<T> {
  success: boolean;
  errors?: CloudflareError[];
  messages?: unknown[];
  result: T;
  result_info?: { page?: number; per_page?: number; count?: number; total_count?: number; total_pages?: number; cursor?: string };
}

export type RequestBody = { json: unknown } | { form: FormData } | undefined;

export interface CloudflareClient {
  readonly baseUrl: string;
  request<T>(method: string, path: string, body?: RequestBody): Promise<Envelope<T>>;
  result<T>(method: string, path: string, body?: RequestBody): Promise<T>;
  /** every page of a paginated list (`page` / `per_page`, as the documented list endpoints take) */
  all<T>(path: string, perPage?: number): Promise<T[]>;
}

export function cloudflareClient(options: CloudflareClientOptions): CloudflareClient {
  const baseUrl = (options.baseUrl || DEFAULT_API_BASE_URL).replace(/\/+$/, "");
  const doFetch = options.fetch ?? globalThis.fetch;
  const attempts = options.attempts ?? 4;
  const firstDelay = options.retryDelayMs ?? 500;

  async function request<T>(method: string, path: string, body?: RequestBody): Promise<Envelope<T>> {
    const headers: Record<string, string> = { authorization: `Bearer ${options.token}` };
    let payload: BodyInit | undefined;
    if (body && "json" in body) {
      headers["content-type"] = "application/json";
      payload = JSON.stringify(body.json);
    } else if (body && "form" in body) payload = body.form;
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await doFetch(`${baseUrl}${path}`, { method, headers, body: payload });
      } catch (error) {
        if (attempt < attempts) {
          await sleep(firstDelay * 2 ** (attempt - 1));
          continue;
        }
        throw new CloudflareApiError(method, path, 0, [{ code: 0, message: `could not reach ${baseUrl}: ${(error as Error).message}` }]);
      }
      const text = await res.text();
      let envelope: Envelope<T> | undefined;
      try {
        envelope = JSON.parse(text) as Envelope<T>;
      } catch {
        envelope = undefined;
      }
      const retryable = res.status === 429 || res.status >= 500;
      if (retryable && attempt < attempts) {
        await sleep(retryAfterMs(res.headers.get("retry-after")) ?? firstDelay * 2 ** (attempt - 1));
        continue;
      }
      if (!envelope || typeof envelope !== "object") {
        throw new CloudflareApiError(method, path, res.status, [{ code: 0, message: `not a Cloudflare API answer (${text.slice(0, 80).replace(/\s+/g, " ")})` }]);
      }
      if (!res.ok || envelope.success === false) throw new CloudflareApiError(method, path, res.status, envelope.errors ?? []);
      return envelope;
    }
  }

  return {
    baseUrl,
    request,
    result: async <T>(method: string, path: string, body?: RequestBody) => (await request<T>(method, path, body)).result,
    all: async <T>(path: string, perPage = 100) => {
      const items: T[] = [];
      for (let page = 1; ; page++) {
        const sep = path.includes("?") ? "&" : "?";
        const envelope = await request<T[]>("GET", `${path}${sep}page=${page}&per_page=${perPage}`);
        const batch = Array.isArray(envelope.result) ? envelope.result : [];
        items.push(...batch);
        const info = envelope.result_info;
        const totalPages = info?.total_pages ?? (info?.total_count !== undefined ? Math.ceil(info.total_count / perPage) : undefined);
        if (batch.length === 0 || (totalPages !== undefined ? page >= totalPages : batch.length < perPage)) return items;
      }
    },
  };
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (!Number.isFinite(seconds) || seconds < 0) return undefined;
  return Math.min(seconds * 1000, 10_000);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
