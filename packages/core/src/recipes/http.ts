/**
 * Sending one built request: only to declared hosts, redirects by hand (a redirect to an
 * undeclared host is refused), the body read up to a size cap. Never throws.
 */
import type { NodeError } from "../components/types";
import { checkEgress } from "../net/egress";
import type { BuiltRequest } from "./build";

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  url: URL;
}

export type SendResult = { ok: true; answer: HttpAnswer } | { ok: false; error: NodeError };

export function where(url: URL, method = "") {
  return `${method ? method + " " : ""}${url.origin}${url.pathname}`;
}

export function hostRefused(url: URL, allowed: readonly string[], redirect: boolean): NodeError | undefined {
  const decision = allowed.length === 0 ? { allowed: false as const, message: `${url.host} is not declared`, hint: "" } : checkEgress(url, allowed);
  if (decision.allowed) return undefined;
  const message = redirect
    ? `redirect to ${url.origin} refused: that host is not one of this recipe's hosts (${allowed.join(", ") || "none"})`
    : `${url.origin} is not one of this recipe's hosts (${allowed.join(", ") || "none"}); declare it in the node's egress if this is intended`;
  return { code: "egress_denied", message, details: { host: url.host }, retryable: false };
}

export async function send(req: BuiltRequest, options: { fetch: typeof fetch; allowed: readonly string[]; maxBytes: number; signal?: AbortSignal }): Promise<SendResult> {
  let { method, url, body } = req;
  const headers = new Headers(req.headers);
  for (let hop = 0; ; hop++) {
    const refused = hostRefused(url, options.allowed, hop > 0);
    if (refused) return { ok: false, error: refused };
    let response: Response;
    try {
      response = await options.fetch(url.toString(), { method, headers, body, redirect: "manual", signal: options.signal });
    } catch (error) {
      if (options.signal?.aborted) return { ok: false, error: { code: "timeout", message: `${where(url, method)} did not answer in time`, retryable: true } };
      return { ok: false, error: { code: "network_error", message: `${where(url, method)} failed: ${(error as Error).message}`, retryable: true } };
    }
    const location = response.headers.get("location");
    if (REDIRECTS.has(response.status) && location) {
      await response.body?.cancel().catch(() => {});
      if (hop >= MAX_REDIRECTS) return { ok: false, error: { code: "too_many_redirects", message: `${where(req.url, req.method)} redirected more than ${MAX_REDIRECTS} times`, retryable: false } };
      const next = new URL(location, url);
      if (next.origin !== url.origin) for (const name of [...CREDENTIAL_HEADERS, ...req.authHeaders]) headers.delete(name);
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")) {
        method = "GET";
        body = undefined;
        headers.delete("content-type");
      }
      url = next;
      continue;
    }
    const text = await readCapped(response, options.maxBytes);
    if (text === undefined) {
      return { ok: false, error: { code: "response_too_large", message: `${where(url, method)} answered ${response.status} with a body over ${options.maxBytes} bytes`, details: { status: response.status, max_bytes: options.maxBytes }, retryable: false } };
    }
    return { ok: true, answer: { status: response.status, headers: response.headers, text, url } };
  }
}

/** The body as text, or undefined when it is larger than `max` bytes. */
export async function readCapped(response: Response, max: number): Promise<string | undefined> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > max) {
    await response.body?.cancel().catch(() => {});
    return undefined;
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
