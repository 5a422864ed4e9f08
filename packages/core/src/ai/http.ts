/**
 * One JSON call to a model provider, through the node's injected fetch and the egress check,
 * the same way http_request and recipes go out (recipes/http.ts `send`: redirects by hand,
 * each hop checked; the body read up to a size cap). Never throws.
 *
 * Egress: the provider's host counts as declared by the node (it is in `base_url`, or is the
 * provider's documented host), like a recipe's `hosts`. A loopback, private or link-local
 * address (a local Ollama at 127.0.0.1) is not: it must be named literally in the node's or
 * the workflow's `egress` (DESIGN § Security defaults).
 *
 * 429 and 5xx are retried inside the node (at most AI_MAX_ATTEMPTS calls), waiting what
 * `Retry-After` asks when it is present and fits in AI_MAX_WAIT_MS, else a short backoff;
 * what is left is a failure with the status and the provider's message (redacted with the
 * node's other secrets by the node runner), retryable so `limits.retries` may try again.
 */
import { checkEgress, restrictedKind } from "../net/egress";
import { retryAfterMs, send, where } from "../recipes/http";
import { failure, type ProviderDeps, type ProviderTarget, type Result } from "./types";

export const AI_MAX_ATTEMPTS = 3;
export const AI_MAX_WAIT_MS = 20_000;
export const AI_BACKOFF_MS = 500;
export const AI_DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/** how much of a provider's error message or of a raw answer goes into an error */
export const AI_MESSAGE_CHARS = 500;

export interface JsonCall {
  url: URL;
  headers: Record<string, string>;
  body: unknown;
  /** headers that carry the key: dropped if a redirect leaves the origin */
  authHeaders: string[];
  /** "openai", "anthropic": named in messages */
  label: string;
}

export async function postJson(call: JsonCall, target: ProviderTarget, deps: ProviderDeps): Promise<Result<unknown>> {
  const { ctx } = deps;
  const allowed = restrictedKind(call.url.hostname) ? ctx.egress : [...ctx.egress, call.url.host];
  const decision = checkEgress(call.url, allowed);
  if (!decision.allowed) return failure("egress_denied", `${decision.message}. ${decision.hint}`, false, { url: call.url.origin });

  const controller = new AbortController();
  const onAbort = () => controller.abort(ctx.signal.reason);
  ctx.signal.addEventListener("abort", onAbort);
  const timeoutMs = target.timeout_ms ?? ctx.limits.timeout_ms;
  const timer = setTimeout(() => controller.abort(new DOMException("timeout", "TimeoutError")), timeoutMs);
  const headers = new Headers({ "content-type": "application/json", accept: "application/json", ...call.headers });
  const body = JSON.stringify(call.body);
  const at = where(call.url, "POST");
  try {
    for (let attempt = 1; ; attempt++) {
      const sent = await send(
        { method: "POST", url: call.url, headers, body, authHeaders: call.authHeaders },
        { fetch: ctx.fetch, allowed, maxBytes: target.max_response_bytes, signal: controller.signal },
      );
      if (!sent.ok) {
        if (sent.error.code === "response_too_large") {
          return failure("response_too_large", `${call.label}: ${sent.error.message}; raise max_response_bytes or ask for less`, false, sent.error.details);
        }
        if (sent.error.code === "timeout" || controller.signal.aborted) return failure("timeout", `${call.label}: ${at} did not answer within ${timeoutMs} ms`, true);
        if (sent.error.code !== "network_error" || attempt >= AI_MAX_ATTEMPTS) return { ok: false, error: { ...sent.error, message: `${call.label}: ${sent.error.message}` } };
        await deps.sleep(AI_BACKOFF_MS * 2 ** (attempt - 1), controller.signal);
        continue;
      }
      const { status, text } = sent.answer;
      if (status >= 200 && status < 300) return parseAnswer(text, sent.answer.headers.get("content-type"), call.label, at, status);
      const said = providerMessage(text);
      const retryable = status === 429 || status >= 500;
      const asked = retryAfterMs(sent.answer.headers.get("retry-after"), Date.now());
      const delay = asked ?? AI_BACKOFF_MS * 2 ** (attempt - 1);
      if (retryable && attempt < AI_MAX_ATTEMPTS && delay <= AI_MAX_WAIT_MS && !controller.signal.aborted) {
        await deps.sleep(delay, controller.signal);
        if (!controller.signal.aborted) continue;
      }
      const waited = asked !== undefined && asked > AI_MAX_WAIT_MS ? ` (asked to wait ${Math.ceil(asked / 1000)} s, longer than a node waits)` : "";
      return failure("http_error", `${call.label}: ${at} answered ${status}${said ? `: ${said}` : ""}${waited}`, retryable, {
        status,
        attempts: attempt,
        ...(said ? { message: said } : {}),
        ...(asked !== undefined ? { retry_after_ms: asked } : {}),
      });
    }
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener("abort", onAbort);
  }
}

function parseAnswer(text: string, contentType: string | null, label: string, at: string, status: number): Result<unknown> {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("<")) {
    return failure("invalid_response", `${label}: ${at} answered ${status} with an HTML page instead of JSON (${contentType ?? "no content-type"}); check base_url`, false, { status, body: truncate(text) });
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return failure("invalid_response", `${label}: ${at} answered ${status} with invalid JSON (${(error as Error).message})`, false, { status, body: truncate(text) });
  }
}

/** What a provider says went wrong: OpenAI and Anthropic `{error: {message}}`, others `{message}`, `{detail}`, `{error: "…"}`, or the text. */
export function providerMessage(text: string): string {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const error = body?.error;
    const said =
      (error && typeof error === "object" && typeof (error as Record<string, unknown>).message === "string" && (error as Record<string, unknown>).message) ||
      (typeof error === "string" && error) ||
      (typeof body?.message === "string" && body.message) ||
      (typeof body?.detail === "string" && body.detail);
    if (said) return truncate(said as string);
  } catch {
    // not JSON
  }
  const trimmed = text.trim();
  if (trimmed.startsWith("<")) return "an HTML page instead of JSON";
  return truncate(trimmed);
}

export function truncate(text: string, max = AI_MESSAGE_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}

/** Sleeps `ms`, waking early when `signal` aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}
