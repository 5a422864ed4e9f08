/**
 * What an HTTP Worker answers for an error (the executor's, the registry's and the auth Worker's
 * `onError` and not-found handlers), framework-free: each Worker passes its web framework's own
 * HTTP error in as `http` and writes the answer with its framework.
 *   - an ArcrunError that is not `internal`: itself, with the status of the error table;
 *   - the framework's HTTP error: `payload_too_large` for a 413, else `http_<status>`;
 *   - anything else: a 500 `internal_error` whose body says nothing about internals. `internal`
 *     tells the Worker to log it; how much it logs is its own choice (the auth Worker never logs
 *     a request: its headers hold a Cloudflare token).
 */
import { apiErrorBody, ArcrunError, arcrunError, ERROR_CODES, type ApiErrorBody } from "../errors";

export interface ErrorAnswer {
  status: number;
  body: ApiErrorBody;
  /** `retry-after` for a `rate_limited` error that says when (`details.retry_after_s`) */
  headers?: Record<string, string>;
  /** an unexpected error: log it */
  internal: boolean;
}

/** An ArcrunError as the answer: its status, its body, and when to retry if it says. */
export function arcrunAnswer(err: ArcrunError): ErrorAnswer {
  const retry = (err.details as { retry_after_s?: unknown } | undefined)?.retry_after_s;
  const headers = err.code === "rate_limited" && typeof retry === "number" && retry > 0 ? { "retry-after": String(Math.ceil(retry)) } : undefined;
  return { status: err.status, body: err.toBody(), ...(headers ? { headers } : {}), internal: false };
}

/** `service` names the Worker in the 500's message ("The executor"). */
export function errorAnswer(err: unknown, service: string, http?: { status: number; message: string }): ErrorAnswer {
  if (err instanceof ArcrunError && err.kind !== "internal") return arcrunAnswer(err);
  if (http) {
    const code = http.status === 413 ? "payload_too_large" : `http_${http.status}`;
    return { status: http.status, body: apiErrorBody(code, http.message || `HTTP ${http.status}`), internal: false };
  }
  const internal = ERROR_CODES.internal_error;
  return {
    status: internal.status,
    body: apiErrorBody("internal_error", `${service} hit an unexpected error while handling this request.`, { hint: internal.hint }),
    internal: true,
  };
}

/** 404 `not_found` for a request no route takes; `endpoints` lists the Worker's ("GET /health, …"). */
export function noEndpoint(method: string, url: string, endpoints: string): ArcrunError {
  return arcrunError("not_found", `No endpoint ${method} ${new URL(url).pathname}.`, { hint: `Endpoints: ${endpoints}.` });
}
