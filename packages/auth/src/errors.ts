/**
 * Errors become `{error: {code, message, hint?}}` with the status from core's error table, as in
 * the executor; anything unexpected is a 500 `internal_error` that says nothing about internals
 * (and never a header: the Cloudflare token is in one).
 */
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { apiErrorBody, ArcrunError, arcrunError, ERROR_CODES } from "@arcrun/core/errors";
import type { z } from "@arcrun/core/schema";
import type { AppEnv } from "./env";

export const onError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof ArcrunError && err.kind !== "internal") return errorResponse(c, err);
  if (err instanceof HTTPException) {
    const code = err.status === 413 ? "payload_too_large" : `http_${err.status}`;
    return c.json(apiErrorBody(code, err.message || `HTTP ${err.status}`), err.status);
  }
  // the error's name and message only: never the request (its headers hold the token)
  console.error(`internal error on ${c.req.method} ${new URL(c.req.url).pathname}: ${err instanceof Error ? `${err.name}: ${err.message}` : "unknown"}`);
  const internal = ERROR_CODES.internal_error;
  return c.json(apiErrorBody("internal_error", "The auth Worker hit an unexpected error while handling this request.", { hint: internal.hint }), internal.status as ContentfulStatusCode);
};

export const onNotFound: NotFoundHandler<AppEnv> = (c) =>
  errorResponse(
    c,
    arcrunError("not_found", `No endpoint ${c.req.method} ${new URL(c.req.url).pathname}.`, {
      hint: "Endpoints: GET /health, POST /register, GET|POST /keys, DELETE /keys/:id, PUT /token, DELETE /tenant.",
    }),
  );

export function errorResponse(c: Context, err: ArcrunError): Response {
  const res = c.json(err.toBody(), err.status as ContentfulStatusCode);
  const retry = (err.details as { retry_after_s?: number } | undefined)?.retry_after_s;
  if (err.code === "rate_limited" && retry) res.headers.set("retry-after", String(retry));
  return res;
}

/** The JSON body (an empty body is `{}`), or 400 invalid_json. */
export async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw arcrunError("invalid_json", "The body is not JSON.", { hint: "Send a JSON body with `Content-Type: application/json`." });
  }
}

/** The body checked against core's schema: 400 invalid_request naming the first field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, hint: string): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.map(String).join(".") || "(body)";
  throw arcrunError("invalid_request", `${field}: ${issue.message}`, { hint, details: { field, problem: issue.message } });
}
