/**
 * The HTTP client every command uses: base URL, bearer key, and the server's JSON errors
 * (`{error: {code, message, hint}}`) turned into CliErrors with the right exit code.
 */
import { ApiErrorBodySchema, exitCodeFor, type ApiErrorBody } from "@arcrun/core/errors";
import { CliError } from "./exit";
import type { ServerSettings } from "./settings";

export type ApiErrorInfo = ApiErrorBody["error"];

/**
 * A non-2xx answer from the server. The exit code is the table's for the answer's code
 * (ERROR_CODES[code].exit: 2 for a 4xx code, 1 for a 5xx one), else by status.
 */
export class ApiError extends CliError {
  readonly status: number;
  readonly error: ApiErrorInfo;
  /** the decoded body, when it was JSON */
  readonly body: unknown;
  constructor(status: number, error: ApiErrorInfo, body: unknown, hint?: string) {
    const { code, message, hint: serverHint, ...details } = error;
    super(message, { hint: hint ?? serverHint, details }, { code, exitCode: exitCodeFor(code, status) });
    this.status = status;
    this.error = error;
    this.body = body;
  }
}

export interface RequestOptions {
  /** JSON-encoded as the body */
  json?: unknown;
  query?: Record<string, string | number | undefined>;
  /** extra request headers (the Cloudflare token of `POST /register` travels in `CF-Api-Token`) */
  headers?: Record<string, string>;
  /**
   * Statuses whose body is returned instead of thrown. `acr run` uses it to accept a run
   * record whatever the status (a failed run may come back as a 4xx/5xx with the record).
   */
  acceptBody?: (status: number, body: unknown) => boolean;
}

export interface ArcrunClient {
  readonly url: string;
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<T>;
  /** `GET path` as bytes (a module); errors as for request */
  bytes(path: string): Promise<Uint8Array>;
}

/** Node's fetch failures that mean "nobody is listening there". */
const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT",
  "EADDRNOTAVAIL", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_SOCKET", "UND_ERR_CLOSED",
]);

export function createClient(settings: ServerSettings, fetchImpl: typeof fetch = globalThis.fetch): ArcrunClient {
  const base = settings.url.replace(/\/+$/, "");
  const send = async (url: URL, init: RequestInit) => {
    try {
      return await fetchImpl(url, init);
    } catch (error) {
      throw settings.unreachable?.(base, error) ?? unreachable(base, error);
    }
  };
  return {
    url: base,
    async bytes(path: string): Promise<Uint8Array> {
      const headers: Record<string, string> = {};
      if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;
      const response = await send(new URL(base + path), { method: "GET", headers });
      if (response.ok) return new Uint8Array(await response.arrayBuffer());
      const text = await response.text();
      throw apiError(response.status, decode(text), text, settings, `GET ${path}`);
    },
    async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
      const url = new URL(base + path);
      for (const [key, value] of Object.entries(options.query ?? {})) {
        if (value !== undefined && value !== "") url.searchParams.set(key, String(value));
      }
      const headers: Record<string, string> = { accept: "application/json", ...options.headers };
      if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;
      let body: string | undefined;
      if (options.json !== undefined) {
        headers["content-type"] = "application/json";
        body = JSON.stringify(options.json);
      }
      const response = await send(url, { method, headers, body });
      const text = await response.text();
      const decoded = decode(text);
      if (response.ok || options.acceptBody?.(response.status, decoded)) {
        if (decoded === undefined && text.trim() !== "") {
          throw new CliError(`the server at ${base} answered ${method} ${path} with something that is not JSON`, {
            code: "bad_response",
            hint: "check that --url / ARCRUN_URL points at an arcrun executor",
          });
        }
        return decoded as T;
      }
      throw apiError(response.status, decoded, text, settings, `${method} ${path}`);
    },
  };
}

function decode(text: string): unknown {
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function unreachable(base: string, error: unknown): CliError {
  const code = networkCode(error);
  return new CliError(`cannot reach the arcrun server at ${base}${code ? ` (${code})` : ""}`, {
    code: "server_unreachable",
    hint: "start the local server in another terminal with `npm start` (or `acr dev`), or point --url / ARCRUN_URL at a running one",
  });
}

/** The errno-style code buried in fetch's `TypeError: fetch failed` (cause, or AggregateError inside). */
export function networkCode(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const stack = [error];
  while (stack.length) {
    const current = stack.pop();
    if (!current || typeof current !== "object" || seen.has(current)) continue;
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && UNREACHABLE_CODES.has(code)) return code;
    stack.push((current as { cause?: unknown }).cause);
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors)) stack.push(...errors);
  }
  return undefined;
}

export function apiError(status: number, body: unknown, text: string, settings: ServerSettings, what: string): ApiError {
  const info = errorInfo(body);
  if (status === 401 || status === 403) {
    return new ApiError(status, info ?? { code: "unauthorized", message: "the server refused the request" }, body, keyHint(settings));
  }
  if (info) return new ApiError(status, info, body);
  const snippet = text.trim().slice(0, 200);
  return new ApiError(
    status,
    { code: `http_${status}`, message: `${what} failed with HTTP ${status}${snippet ? `: ${snippet}` : ""}` },
    body,
    "check that --url / ARCRUN_URL points at an arcrun executor",
  );
}

/** The server's `{error: {code, message, hint?}}`, checked against core's schema; anything else is not an arcrun error. */
function errorInfo(body: unknown): ApiErrorInfo | undefined {
  const parsed = ApiErrorBodySchema.safeParse(body);
  return parsed.success ? parsed.data.error : undefined;
}

/** What to do about a refused key depends on where the key came from. */
function keyHint(settings: ServerSettings): string {
  if (settings.keyHint) return settings.keyHint;
  if (!settings.apiKey) {
    return "no API key was sent: set ARCRUN_API_KEY, or run acr inside the project whose .arcrun/api-key the local server created (ARCRUN_STATE_DIR if you moved it)";
  }
  if (settings.apiKeySource === "ARCRUN_API_KEY") {
    return "ARCRUN_API_KEY does not match the server's key: use the key the server was started with";
  }
  return `the key in ${settings.apiKeySource} does not match the server's key: was the server started with another ARCRUN_API_KEY or state folder? Set ARCRUN_API_KEY to its key`;
}
