/**
 * `http_request`: one HTTP call through the host, allowed only to hosts in the node's egress
 * (workflow `egress` + node `egress` + contract; see net/egress.ts).
 *
 *   fetch_user:
 *     component: http_request
 *     egress: [api.example.com]
 *     method: POST                       # default GET
 *     url: "https://api.example.com/users/{{input.id}}"  # template values percent-encoded (templates/url.ts)
 *     headers: {authorization: "Bearer {{credential.api}}"}
 *     query: {page: 1, tag: [a, b]}      # appended to the URL; lists repeat the key
 *     body_json: {name: "{{input.name}}"} # or `body` (text)
 *     response: auto                     # auto (JSON when content-type says so) | json | text
 *     timeout_ms: 10000                  # capped by limits.timeout_ms
 *     max_response_bytes: 1048576
 *     fail_on_error: true                # non-2xx → http_error (5xx and 429 retryable)
 *
 * data = {status, ok, headers, body}. Redirects are followed by hand (at most 5), each hop
 * checked against egress; credentials headers are dropped when a redirect changes origin.
 */
import type { Component, NodeContext, NodeError, NodeOutcome } from "../components/types";
import { checkEgress } from "../net/egress";

export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
const MAX_REDIRECTS = 5;
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];

interface Request {
  method: string;
  url: URL;
  headers: Headers;
  body?: string;
  response: "auto" | "json" | "text";
  timeoutMs: number;
  maxBytes: number;
  failOnError: boolean;
}

export const httpRequestComponent: Component = {
  name: "http_request",
  kind: "builtin",
  urlParams: ["url"],
  contract: {
    name: "http_request",
    version: "1.0.0",
    description: "Call an HTTP API (only hosts declared in egress)",
    category: "network",
    input_schema: { type: "object", required: ["url"], properties: { url: { type: "string" }, method: { type: "string" } } },
  },
  async run(params, ctx) {
    const request = parseRequest(params, ctx);
    if ("error" in request) return { success: false, error: request.error };
    return send(request, ctx);
  },
};

function parseRequest(p: Record<string, unknown>, ctx: NodeContext): Request | { error: NodeError } {
  const invalid = (message: string) => ({ error: { code: "invalid_input", message, retryable: false } });
  const method = String(p.method ?? "GET").toUpperCase();
  if (!METHODS.includes(method)) return invalid(`method "${String(p.method)}" is not supported; use one of ${METHODS.join(", ")}`);
  if (typeof p.url !== "string") return invalid('http_request needs a "url" (text), e.g. https://api.example.com/items');
  let url: URL;
  try {
    url = new URL(p.url);
  } catch {
    return invalid(`"${p.url}" is not a full URL; write it with its scheme, e.g. https://${p.url}`);
  }
  if (p.query !== undefined && p.query !== null) {
    if (typeof p.query !== "object" || Array.isArray(p.query)) return invalid('"query" must be an object of parameter → value');
    for (const [key, value] of Object.entries(p.query)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item === null || item === undefined) continue;
        url.searchParams.append(key, typeof item === "object" ? JSON.stringify(item) : String(item));
      }
    }
  }
  const headers = new Headers();
  if (p.headers !== undefined && p.headers !== null) {
    if (typeof p.headers !== "object" || Array.isArray(p.headers)) return invalid('"headers" must be an object of name → value');
    try {
      for (const [name, value] of Object.entries(p.headers)) if (value !== null && value !== undefined) headers.set(name, String(value));
    } catch (error) {
      return invalid(`bad header: ${(error as Error).message}`);
    }
  }
  if (p.body !== undefined && p.body_json !== undefined) return invalid('give either "body" (text) or "body_json", not both');
  let body: string | undefined;
  if (p.body !== undefined && p.body !== null) {
    if (typeof p.body !== "string") return invalid('"body" must be text; use "body_json" to send JSON');
    body = p.body;
  } else if (p.body_json !== undefined) {
    body = JSON.stringify(p.body_json);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  if (body !== undefined && (method === "GET" || method === "HEAD")) return invalid(`a ${method} request cannot have a body; use POST, PUT or PATCH`);
  const response = p.response ?? "auto";
  if (response !== "auto" && response !== "json" && response !== "text") return invalid('"response" must be auto, json or text');
  const timeoutMs = typeof p.timeout_ms === "number" && p.timeout_ms > 0 ? Math.min(p.timeout_ms, ctx.limits.timeout_ms) : ctx.limits.timeout_ms;
  const maxBytes = typeof p.max_response_bytes === "number" && p.max_response_bytes > 0 ? p.max_response_bytes : DEFAULT_MAX_RESPONSE_BYTES;
  return { method, url, headers, body, response, timeoutMs, maxBytes, failOnError: p.fail_on_error !== false };
}

async function send(req: Request, ctx: NodeContext): Promise<NodeOutcome> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(ctx.signal.reason);
  ctx.signal.addEventListener("abort", onAbort);
  const timer = setTimeout(() => controller.abort(new DOMException("timeout", "TimeoutError")), req.timeoutMs);
  let { method, url, body } = req;
  const headers = new Headers(req.headers);
  try {
    for (let hop = 0; ; hop++) {
      const decision = checkEgress(url, ctx.egress);
      if (!decision.allowed) {
        const prefix = hop > 0 ? `redirect to ${url.origin} refused: ` : "";
        return failure("egress_denied", `${prefix}${decision.message}. ${decision.hint}`, false, { url: url.origin });
      }
      let response: Response;
      try {
        response = await ctx.fetch(url.toString(), { method, headers, body, redirect: "manual", signal: controller.signal });
      } catch (error) {
        if (controller.signal.aborted) return failure("timeout", `${method} ${url.origin}${url.pathname} did not answer within ${req.timeoutMs} ms`, true);
        return failure("network_error", `${method} ${url.origin}${url.pathname} failed: ${(error as Error).message}`, true);
      }
      const location = response.headers.get("location");
      if (REDIRECTS.has(response.status) && location) {
        await response.body?.cancel().catch(() => {});
        if (hop >= MAX_REDIRECTS) return failure("too_many_redirects", `${req.method} ${req.url.origin}${req.url.pathname} redirected more than ${MAX_REDIRECTS} times`, false);
        const next = new URL(location, url);
        if (next.origin !== url.origin) for (const name of CREDENTIAL_HEADERS) headers.delete(name);
        if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")) {
          method = method === "HEAD" ? "HEAD" : "GET";
          body = undefined;
          headers.delete("content-type");
        }
        url = next;
        continue;
      }
      return await readResponse(response, req, { method, url }, controller);
    }
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener("abort", onAbort);
  }
}

async function readResponse(response: Response, req: Request, at: { method: string; url: URL }, controller: AbortController): Promise<NodeOutcome> {
  const where = `${at.method} ${at.url.origin}${at.url.pathname}`;
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > req.maxBytes) {
    await response.body?.cancel().catch(() => {});
    return failure("response_too_large", `${where} answered ${declared} bytes, over max_response_bytes (${req.maxBytes})`, false);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (response.body) {
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > req.maxBytes) {
          await reader.cancel().catch(() => {});
          return failure("response_too_large", `${where} answered more than max_response_bytes (${req.maxBytes})`, false);
        }
        chunks.push(value);
      }
    } catch (error) {
      if (controller.signal.aborted) return failure("timeout", `${where} did not finish answering within ${req.timeoutMs} ms`, true);
      return failure("network_error", `${where} failed while reading the answer: ${(error as Error).message}`, true);
    }
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  const text = new TextDecoder().decode(bytes);
  const contentType = response.headers.get("content-type") ?? "";
  const asJson = req.response === "json" || (req.response === "auto" && /[/+]json\b/i.test(contentType));
  let body: unknown = text;
  if (asJson) {
    try {
      body = text.trim() === "" ? null : JSON.parse(text);
    } catch (error) {
      return failure("invalid_response", `${where} answered with invalid JSON (${(error as Error).message}); set response: text to keep it as text`, false, { status: response.status });
    }
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  if (!response.ok && req.failOnError) {
    const retryable = response.status >= 500 || response.status === 429;
    return failure("http_error", `${where} returned ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`, retryable, {
      status: response.status,
      body: typeof body === "string" && body.length > 2048 ? `${body.slice(0, 2048)}…` : body,
    });
  }
  return { success: true, data: { status: response.status, ok: response.ok, headers, body } };
}

function failure(code: string, message: string, retryable: boolean, details?: unknown): NodeOutcome {
  return { success: false, error: { code, message, retryable, ...(details === undefined ? {} : { details }) } };
}
